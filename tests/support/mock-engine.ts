// One in-process mock engine with a grpc-js client connected straight to it
// (no gateway): the starting point of the engine's integration tests.
import { type EngineClient } from '@e6data-ts/grpc-transport';
import { startEngine, type EngineOptions, type MockEngine } from '@e6data-ts/mock-engine';
import { connectClient } from './connected-client';
import { fixtureView, useFixture, type Closable, type FixtureOptions } from './fixture';

export interface EngineClientPair {
  readonly engine: MockEngine;
  /** Connected to the engine itself. */
  readonly client: EngineClient;
}

/** Starts an engine and connects a client to it; close() closes both. */
export async function startEngineClient(options: EngineOptions): Promise<EngineClientPair & Closable> {
  const engine = await startEngine(options);
  return { engine, ...(await connectClient(engine)) };
}

/**
 * startEngineClient around the tests of the enclosing describe block. `options`
 * may be a function, called at each start, for options made fresh per start
 * (an injected clock). Read `engine` and `client` inside tests and hooks.
 */
export function useMockEngine(options: EngineOptions | (() => EngineOptions), fixture: FixtureOptions = {}): EngineClientPair {
  const running = useFixture(() => startEngineClient(typeof options === 'function' ? options() : options), fixture);
  return fixtureView(running, ['engine', 'client']);
}
