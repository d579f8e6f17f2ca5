// Parses the DATE and TIMESTAMP texts clients send as execute parameters, with
// integer calendar math (Date has millisecond precision and maps years 0-99 to
// the 1900s, so it is not used).

const DATE_PATTERN = /^([+-]?\d{4,6})-(\d{2})-(\d{2})$/;
const TIMESTAMP_PATTERN =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const MICROS_PER_SECOND = 1_000_000n;
const SECONDS_PER_DAY = 86_400n;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function checkedDays(yearText: string, monthText: string, dayText: string, input: string): number {
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`'${input}' is not a calendar date`);
  }
  return daysFromCivil(year, month, day);
}

/** `YYYY-MM-DD` (years may be signed or longer) -> days since the epoch. */
export function parseDateText(text: string): number {
  const match = DATE_PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`'${text}' is not a date in YYYY-MM-DD form`);
  const [, year = '', month = '', day = ''] = match;
  return checkedDays(year, month, day, text);
}

/**
 * `YYYY-MM-DD[( |T)HH:MM[:SS[.fraction]]][Z|±HH[:MM]]` -> microseconds since
 * the epoch, UTC. A zone offset is applied; no zone means UTC. Fractions past
 * microseconds are truncated.
 */
export function parseTimestampText(text: string): bigint {
  const match = TIMESTAMP_PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`'${text}' is not an ISO 8601 timestamp`);
  const [, year = '', month = '', day = '', hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const h = Number(hour);
  const m = Number(minute);
  const s = Number(second);
  if (h > 23 || m > 59 || s > 59) throw new RangeError(`'${text}' has an impossible time of day`);
  const days = BigInt(checkedDays(year, month, day, text));
  const seconds = days * SECONDS_PER_DAY + BigInt(h * 3600 + m * 60 + s) - BigInt(zoneOffsetSeconds(zone, text));
  const micros = BigInt(fraction.padEnd(6, '0').slice(0, 6) || '0');
  return seconds * MICROS_PER_SECOND + micros;
}

function zoneOffsetSeconds(zone: string | undefined, input: string): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 18 || minutes > 59) throw new RangeError(`'${input}' has an impossible zone offset`);
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (hours * 3600 + minutes * 60);
}
