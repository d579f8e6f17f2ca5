// The steps of a query as the mock-engine tests drive an EngineClient through
// the gateway: log in as the default user, prepare and execute a statement
// with the routing headers its later calls need, read every batch, clear.
import { decodeChunk, type AuthenticateResponse, type CallHeaders, type EngineClient, type QueryRef } from '@e6data-ts/grpc-transport';

/** The mock cluster's default user and token (DEFAULT_USERS), as a client sends them. */
export const DEFAULT_CREDENTIALS: Readonly<{ user: string; password: string }> = { user: 'admin@e6data.local', password: 'e6-mock-token' };

/** A prepared query and the headers its later calls carry: the prepare's headers plus the planner's address. */
export interface OpenQuery {
  ref: QueryRef;
  headers: CallHeaders;
}

/** Authenticates as the default user with `strategy` in the header (no strategy header when null). */
export function login(client: EngineClient, strategy: string | null): Promise<AuthenticateResponse> {
  return client.authenticate(DEFAULT_CREDENTIALS, { headers: strategy === null ? {} : { strategy } });
}

/** prepareStatementV2 of `sql` in schema main, sending `headers`. */
export async function prepareQuery(client: EngineClient, sessionId: string, sql: string, headers: CallHeaders): Promise<OpenQuery> {
  const prep = await client.prepareStatementV2({ sessionId, schema: 'main', catalog: '', queryString: sql, quoting: '' }, { headers });
  return { ref: { engineIP: prep.engineIP, sessionId, queryId: prep.queryId }, headers: { ...headers, plannerIp: prep.engineIP } };
}

/** prepareQuery, then executeStatementV2 without parameters. */
export async function openQuery(client: EngineClient, sessionId: string, sql: string, headers: CallHeaders): Promise<OpenQuery> {
  const query = await prepareQuery(client, sessionId, sql, headers);
  await client.executeStatementV2({ ...query.ref, shouldNotCache: false, params: [] }, { headers: query.headers });
  return query;
}

/** Logs in on `strategy`, runs `sql` through its metadata and every batch, clears it, and returns its rows. */
export async function selectRows(client: EngineClient, strategy: string, sql: string): Promise<unknown[][]> {
  const { sessionId } = await login(client, strategy);
  const query = await openQuery(client, sessionId, sql, { strategy });
  await client.getResultMetadata(query.ref, { headers: query.headers });
  const rows: unknown[][] = [];
  for (;;) {
    const batch = decodeChunk((await client.getNextResultBatch(query.ref, { headers: query.headers })).resultBatch);
    if (batch.rowCount === 0) break;
    rows.push(...batch.rows);
  }
  await client.clear(query.ref, { headers: query.headers });
  return rows;
}
