// A result of every type read three ways through the connector: rows, columnar
// batches, and Apache Arrow, checked value for value against the row API.
import { E6DataError, type ArrowTable, type Connection, type Row } from '@e6data-ts/connector';
import { useConnectorCluster } from '../../support/connector-fixture';
import { rejectionOf } from '../../support/expected-error';

const SQL = 'SELECT * FROM mock_table ORDER BY id LIMIT 2000';

/** Microseconds since the epoch of the connector's ISO text ('...Z' or '...+05:30'). */
function isoToMicros(text: string): bigint {
  const match = /^([+-]\d{6}|\d{4})(-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})(Z|[+-]\d\d:\d\d(?::\d\d)?)$/.exec(text);
  if (match === null) throw new Error(`not a timestamp: ${text}`);
  const [, year, rest, micros, zone] = match;
  const yearText = year!.length === 4 ? year! : year!;
  const zoneText = zone === 'Z' ? 'Z' : zone!.slice(0, 6);
  const ms = Date.parse(`${yearText}${rest}${zoneText}`);
  const zoneSeconds = zone!.length > 6 ? Number(zone!.slice(7)) * (zone!.startsWith('-') ? -1 : 1) : 0;
  return BigInt(ms) * 1000n + BigInt(micros!) - BigInt(zoneSeconds) * 1_000_000n;
}

/** Days since the epoch of 'YYYY-MM-DD' (or '+YYYYY-MM-DD'). */
function dateToDays(text: string): number {
  const iso = /^[+-]/.test(text) ? `${text[0]}${text.slice(1).padStart(12, '0')}` : text;
  return Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
}

/** The plain decimal text of an Arrow Decimal128 value (four little-endian 32-bit words, two's complement). */
function decimalText(words: Uint32Array, scale: number): string {
  let unscaled = 0n;
  for (let i = 3; i >= 0; i--) unscaled = (unscaled << 32n) | BigInt(words[i]!);
  if (unscaled >= 1n << 127n) unscaled -= 1n << 128n;
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** Checks every cell of an Arrow table against the rows the row API returned. */
function expectSameAsRows(table: ArrowTable, rows: Row[], columns: readonly { name: string; type: string }[]): void {
  expect(table.numRows).toBe(rows.length);
  columns.forEach((column, c) => {
    const vector = table.getChildAt(c)!;
    const field = table.schema.fields[c]!;
    expect(field.name).toBe(column.name);
    let offset = 0;
    for (const data of vector.data) {
      for (let i = 0; i < data.length; i++) {
        const expected = rows[offset + i]![c];
        const actual: unknown = vector.get(offset + i);
        if (expected === null) {
          expect(actual).toBeNull();
          continue;
        }
        switch (column.type) {
          case 'DATE':
            expect((data.values as Int32Array)[i]).toBe(dateToDays(expected as string));
            break;
          case 'DATETIME':
          case 'TIMESTAMP':
          case 'TIMESTAMP_TZ':
            expect((data.values as BigInt64Array)[i]).toBe(isoToMicros(expected as string));
            break;
          case 'DECIMAL128': {
            const scale = (field.type as { scale: number }).scale;
            expect(decimalText((data.values as Uint32Array).subarray(i * 4, i * 4 + 4), scale)).toBe(expected);
            break;
          }
          case 'BINARY':
            expect(Buffer.from(actual as Uint8Array).equals(expected as Buffer)).toBe(true);
            break;
          default:
            expect(actual).toEqual(expected);
        }
      }
      offset += data.length;
    }
  });
}

describe('columnar batches and Apache Arrow', () => {
  const harness = useConnectorCluster({ batchRows: 333 }, { per: 'all' });
  let connection: Connection;
  let rows: Row[];
  let columns: readonly { name: string; type: string }[];

  beforeEach(async () => {
    connection = await harness().connect();
    const result = await connection.query(SQL);
    rows = result.rows;
    columns = result.columns;
  });

  test('the result covers every e6data type the engine produces', () => {
    expect(new Set(columns.map((c) => c.type))).toEqual(
      new Set(['LONG', 'INTEGER', 'DOUBLE', 'FLOAT', 'STRING', 'BOOLEAN', 'DATE', 'DATETIME', 'TIMESTAMP_TZ', 'DECIMAL128', 'BINARY', 'ARRAY', 'STRUCT', 'MAP']),
    );
    expect(rows).toHaveLength(2000);
  });

  test('batches(): every column of every batch hands out what the row API does, with its name', async () => {
    const cursor = connection.cursor();
    await cursor.execute(SQL);
    let offset = 0;
    let batches = 0;
    for await (const batch of cursor.batches()) {
      batches++;
      expect(batch.columns.map((c) => c.name)).toEqual(columns.map((c) => c.name));
      batch.columns.forEach((column, c) => {
        expect(column.type).toBe(columns[c]!.type);
        expect(column.length).toBe(batch.rowCount);
        for (let r = 0; r < batch.rowCount; r++) expect(column.get(r)).toEqual(rows[offset + r]![c]);
      });
      offset += batch.rowCount;
    }
    expect(offset).toBe(2000);
    expect(batches).toBeGreaterThan(1);
    expect(cursor.trace?.rowsHandedOut).toBe(2000);
    await cursor.close();
  });

  test('typed arrays where the type allows', async () => {
    const cursor = connection.cursor();
    await cursor.execute(SQL);
    const batch = (await cursor.fetchColumns())!;
    const byName = new Map(batch.columns.map((c) => [c.name, c]));
    expect(byName.get('id')!.values).toBeInstanceOf(BigInt64Array);
    expect(byName.get('col_integer')!.values).toBeInstanceOf(Int32Array);
    expect(byName.get('col_double')!.values).toBeInstanceOf(Float64Array);
    expect(byName.get('col_date')!.values).toBeInstanceOf(Int32Array);
    expect(byName.get('col_timestamp')!.values).toBeInstanceOf(BigInt64Array);
    await cursor.close();
  });

  test('fetchArrow(): a Table equal, cell for cell, to the rows; int64 past 2^53 exact', async () => {
    const cursor = connection.cursor();
    await cursor.execute(SQL);
    const table = await cursor.fetchArrow();
    expectSameAsRows(table, rows, columns);
    expect(String(table.schema.fields.find((f) => f.name === 'col_date')!.type)).toBe('Date32<DAY>');
    expect(String(table.schema.fields.find((f) => f.name === 'col_timestamp')!.type)).toBe('Timestamp<MICROSECOND, UTC>');
    expect(String(table.schema.fields.find((f) => f.name === 'col_decimal_18_4')!.type)).toBe('Decimal[38e+4]');
    await cursor.close();
  });

  test('arrowBatches(): one RecordBatch per result batch; leaving early clears the query', async () => {
    const cursor = connection.cursor();
    await cursor.execute(SQL);
    let seen = 0;
    for await (const batch of cursor.arrowBatches()) {
      expect(batch.numRows).toBeLessThanOrEqual(333);
      seen++;
      if (seen === 2) break;
    }
    expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    await cursor.close();
  });

  test('an empty result gives an empty Table with the result schema', async () => {
    const cursor = connection.cursor();
    await cursor.execute('SELECT id, col_varchar, col_decimal_18_4 FROM mock_table WHERE id < 0');
    const table = await cursor.fetchArrow();
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'col_varchar', 'col_decimal_18_4']);
    await cursor.close();
  });

  test('fetchColumns() on a batch already being read as rows is refused, naming what to do', async () => {
    const cursor = connection.cursor();
    await cursor.execute(SQL);
    await cursor.fetchOne();
    const err = await rejectionOf(cursor.fetchColumns(), E6DataError);
    expect(err.message).toMatch(/being read as rows/);
    expect(err.stage).toBe('not-sent');
    await cursor.close();
  });
});
