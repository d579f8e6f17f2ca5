// The small business data set of the schemas sales, marketing and finance:
// generated row by row from a seeded PRNG, so the same seed always yields the
// same rows (and the tests can check foreign keys and amounts).
import { createPrng, type Prng } from './prng';
import { sqlDate, sqlDecimal, sqlTimestamp, type SqlValue } from './sql-values';

export interface ColumnDef {
  readonly name: string;
  /** The DuckDB column type. */
  readonly type: string;
}

export interface TableData {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  readonly rows: readonly (readonly SqlValue[])[];
}

export interface BusinessTableSizes {
  customers: number;
  products: number;
  orders: number;
  campaigns: number;
  leads: number;
}

export const DEFAULT_BUSINESS_TABLE_SIZES: Readonly<BusinessTableSizes> = Object.freeze({
  customers: 60,
  products: 24,
  orders: 600,
  campaigns: 12,
  leads: 150,
});

const FIRST_NAMES = ['Asha', 'Bruno', 'Chen', 'Dana', 'Emeka', 'Freya', 'Goran', 'Hana', 'Ivan', 'Jules', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya'];
const LAST_NAMES = ['Adeyemi', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Iyer', 'Jensen', 'Kim', 'Lopez', 'Müller', "O'Brien"];
const COUNTRIES = ['IN', 'US', 'DE', 'BR', 'JP', 'NG', 'FR', 'GB'];
const CATEGORIES = ['hardware', 'software', 'services', 'training'];
const PRODUCT_WORDS = ['Edge', 'Query', 'Lake', 'Stream', 'Vector', 'Cache', 'Shard', 'Pulse'];
const ORDER_STATUSES = ['placed', 'shipped', 'delivered', 'delivered', 'delivered', 'cancelled', 'returned'];
const CHANNELS = ['email', 'search', 'social', 'display', 'events'];

const DAY_MS = 86_400_000;
const epochDay = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const isoSecond = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
/** Integer cents as plain decimal text: 12345 -> '123.45'. */
const centsText = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
const round2 = (value: number): number => Math.round(value * 100) / 100;

function customers(prng: Prng, count: number): TableData {
  const first = epochDay('2015-01-01');
  const last = epochDay('2024-12-31');
  const rows = Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    const given = prng.pick(FIRST_NAMES);
    const family = prng.pick(LAST_NAMES);
    const email = `${given}.${family}.${id}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, '');
    return [BigInt(id), `${given} ${family}`, email, prng.pick(COUNTRIES), sqlDate(isoDay(prng.int(first, last))), prng.next() < 0.85];
  });
  return {
    schema: 'sales',
    name: 'customers',
    columns: [
      { name: 'customer_id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'email', type: 'VARCHAR' },
      { name: 'country', type: 'VARCHAR' },
      { name: 'created_date', type: 'DATE' },
      { name: 'is_active', type: 'BOOLEAN' },
    ],
    rows,
  };
}

function products(prng: Prng, count: number): { table: TableData; priceCents: number[] } {
  const priceCents: number[] = [];
  const rows = Array.from({ length: count }, (_, i) => {
    const cents = prng.int(199, 99_999);
    priceCents.push(cents);
    const name = `${PRODUCT_WORDS[i % PRODUCT_WORDS.length] ?? 'Item'} ${Math.floor(i / PRODUCT_WORDS.length) + 1}`;
    return [BigInt(i + 1), name, prng.pick(CATEGORIES), sqlDecimal(centsText(cents)), sqlDate(isoDay(prng.int(epochDay('2018-01-01'), epochDay('2024-06-30'))))];
  });
  return {
    priceCents,
    table: {
      schema: 'sales',
      name: 'products',
      columns: [
        { name: 'product_id', type: 'BIGINT' },
        { name: 'name', type: 'VARCHAR' },
        { name: 'category', type: 'VARCHAR' },
        { name: 'unit_price', type: 'DECIMAL(10,2)' },
        { name: 'launched_on', type: 'DATE' },
      ],
      rows,
    },
  };
}

interface OrderFacts {
  id: number;
  totalCents: number;
  placedAt: number;
  status: string;
}

function orders(prng: Prng, count: number, customerCount: number, priceCents: readonly number[]): { table: TableData; facts: OrderFacts[] } {
  const from = epochDay('2022-01-01') * 86_400;
  const to = epochDay('2024-12-31') * 86_400;
  const facts: OrderFacts[] = [];
  const rows = Array.from({ length: count }, (_, i) => {
    const productIndex = prng.int(0, priceCents.length - 1);
    const quantity = prng.int(1, 10);
    const totalCents = quantity * (priceCents[productIndex] ?? 0);
    const placedAt = prng.int(from, to);
    const status = prng.pick(ORDER_STATUSES);
    facts.push({ id: i + 1, totalCents, placedAt, status });
    return [BigInt(i + 1), BigInt(prng.int(1, customerCount)), BigInt(productIndex + 1), quantity, sqlTimestamp(isoSecond(placedAt)), sqlDecimal(centsText(totalCents)), status];
  });
  return {
    facts,
    table: {
      schema: 'sales',
      name: 'orders',
      columns: [
        { name: 'order_id', type: 'BIGINT' },
        { name: 'customer_id', type: 'BIGINT' },
        { name: 'product_id', type: 'BIGINT' },
        { name: 'quantity', type: 'INTEGER' },
        { name: 'order_ts', type: 'TIMESTAMP' },
        { name: 'total_amount', type: 'DECIMAL(12,2)' },
        { name: 'status', type: 'VARCHAR' },
      ],
      rows,
    },
  };
}

function campaigns(prng: Prng, count: number): TableData {
  const rows = Array.from({ length: count }, (_, i) => {
    const start = prng.int(epochDay('2022-01-01'), epochDay('2024-10-01'));
    const channel = prng.pick(CHANNELS);
    return [BigInt(i + 1), `${channel}-${2022 + (i % 3)}-${i + 1}`, channel, sqlDecimal(centsText(prng.int(50_000, 5_000_000))), sqlDate(isoDay(start)), sqlDate(isoDay(start + prng.int(14, 90)))];
  });
  return {
    schema: 'marketing',
    name: 'campaigns',
    columns: [
      { name: 'campaign_id', type: 'BIGINT' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'channel', type: 'VARCHAR' },
      { name: 'budget', type: 'DECIMAL(12,2)' },
      { name: 'start_date', type: 'DATE' },
      { name: 'end_date', type: 'DATE' },
    ],
    rows,
  };
}

function leads(prng: Prng, count: number, campaignCount: number, customerCount: number): TableData {
  const from = epochDay('2022-01-01') * 86_400;
  const to = epochDay('2024-12-31') * 86_400;
  const rows = Array.from({ length: count }, (_, i) => {
    // About a third of the leads became customers; the rest have no customer yet.
    const customer = prng.next() < 0.35 ? BigInt(prng.int(1, customerCount)) : null;
    return [BigInt(i + 1), BigInt(prng.int(1, campaignCount)), customer, round2(prng.next() * 100), sqlTimestamp(isoSecond(prng.int(from, to)))];
  });
  return {
    schema: 'marketing',
    name: 'leads',
    columns: [
      { name: 'lead_id', type: 'BIGINT' },
      { name: 'campaign_id', type: 'BIGINT' },
      { name: 'customer_id', type: 'BIGINT' },
      { name: 'score', type: 'DOUBLE' },
      { name: 'created_at', type: 'TIMESTAMP' },
    ],
    rows,
  };
}

function invoices(prng: Prng, facts: readonly OrderFacts[]): TableData {
  const rows = facts
    .filter((order) => order.status !== 'cancelled')
    .map((order, i) => [
      BigInt(i + 1),
      BigInt(order.id),
      sqlDecimal(centsText(order.totalCents)),
      sqlDate(isoDay(Math.floor(order.placedAt / 86_400) + prng.int(0, 3))),
      order.status === 'delivered' ? prng.next() < 0.95 : prng.next() < 0.3,
    ]);
  return {
    schema: 'finance',
    name: 'invoices',
    columns: [
      { name: 'invoice_id', type: 'BIGINT' },
      { name: 'order_id', type: 'BIGINT' },
      { name: 'amount', type: 'DECIMAL(12,2)' },
      { name: 'issued_on', type: 'DATE' },
      { name: 'paid', type: 'BOOLEAN' },
    ],
    rows,
  };
}

/** The business tables, in an order that respects their foreign keys. Pure: same seed, same rows. */
export function generateBusinessTables(seed: number, sizes: Partial<BusinessTableSizes> = {}): TableData[] {
  const size = { ...DEFAULT_BUSINESS_TABLE_SIZES, ...sizes };
  for (const [name, value] of Object.entries(size)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  const prng = createPrng(seed);
  const customerTable = customers(prng, size.customers);
  const { table: productTable, priceCents } = products(prng, size.products);
  const { table: orderTable, facts } = orders(prng, size.orders, size.customers, priceCents);
  const campaignTable = campaigns(prng, size.campaigns);
  const leadTable = leads(prng, size.leads, size.campaigns, size.customers);
  return [customerTable, productTable, orderTable, campaignTable, leadTable, invoices(prng, facts)];
}
