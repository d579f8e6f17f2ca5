// Warnings about refused values must stay short and must not leak secrets: a
// strategy header or a server field can carry anything, including a token that
// was pasted into the wrong place. Only a short prefix of a string is quoted,
// and objects are never serialised.

const MAX_QUOTED_CHARS = 16;
const QUOTED_PREFIX_CHARS = 8;

/** A short, secret-safe description of an arbitrary value, for log messages. */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return describeString(value);
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
      return 'undefined';
    case 'bigint':
    case 'symbol':
      return typeof value;
    case 'function':
      return 'function';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `array(${value.length})`;
      return 'object';
  }
}

function describeString(value: string): string {
  if (value.length <= MAX_QUOTED_CHARS) return JSON.stringify(value);
  const prefix = JSON.stringify(value.slice(0, QUOTED_PREFIX_CHARS)).slice(0, -1);
  return `${prefix}…" (${value.length} chars)`;
}
