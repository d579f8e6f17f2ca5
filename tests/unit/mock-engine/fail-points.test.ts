import { InvalidMockOptionError, seededRandom, type FailPointSpec } from '@e6data-ts/mock-engine';
import { FailPoints, parseFailPointSpec } from '@e6data-ts/mock-engine/internal';
import { thrownBy } from '../../support/expected-error';

describe('FailPoints', () => {
  it('fires { times: n } on the next n matching calls, then lets calls through', () => {
    const points = new FailPoints();
    points.set('authenticate', { mode: { times: 2 }, action: { httpStatus: 456 } });
    expect(points.evaluate('authenticate', 'blue')).toEqual({ rpc: 'authenticate', delayMs: 0, effect: { kind: 'http-status', status: 456 } });
    expect(points.get('authenticate')).toMatchObject({ hits: 1, remaining: 1 });
    expect(points.evaluate('authenticate', 'green')).not.toBeNull();
    expect(points.evaluate('authenticate', 'blue')).toBeNull();
    expect(points.evaluate('authenticate', 'blue')).toBeNull();
    expect(points.get('authenticate')).toMatchObject({ hits: 2, remaining: 0 });
  });

  it('fires alwaysOn on every call and never when off', () => {
    const points = new FailPoints();
    points.set('status', { mode: 'alwaysOn', action: { grpcStatus: 14 } });
    points.set('clear', { mode: 'off', action: { grpcStatus: 14 } });
    for (let i = 0; i < 5; i++) {
      expect(points.evaluate('status', 'blue')?.effect).toEqual({ kind: 'grpc-status', code: 14, details: 'injected by a fail point' });
      expect(points.evaluate('clear', 'blue')).toBeNull();
    }
    expect(points.get('status')?.hits).toBe(5);
    expect(points.get('clear')).toMatchObject({ hits: 0, remaining: null, mode: 'off' });
  });

  it('fires { probability } by the injected random source', () => {
    const draws = [0.1, 0.9, 0.29, 0.3];
    const points = new FailPoints({ random: () => draws.shift() ?? 1 });
    points.set('getNextResultBatch', { mode: { probability: 0.3 }, action: { drop: true } });
    const fired = [0, 1, 2, 3].map(() => points.evaluate('getNextResultBatch', 'blue') !== null);
    expect(fired).toEqual([true, false, true, false]);
  });

  it('replays a seeded probability exactly', () => {
    const run = (): boolean[] => {
      const points = new FailPoints({ random: () => 0 });
      points.set('prepareStatementV2', { mode: { probability: 0.5, seed: 42 }, action: { delayMs: 5 } });
      return Array.from({ length: 32 }, () => points.evaluate('prepareStatementV2', 'green') !== null);
    };
    const first = run();
    expect(run()).toEqual(first);
    // The seed, not the registry's random (always 0, always firing), decides.
    expect(first).toContain(false);
    expect(first).toContain(true);
  });

  it('fires only for calls routed to the deployment it names', () => {
    const points = new FailPoints();
    points.set('prepareStatement', { mode: 'alwaysOn', action: { grpcStatus: 13, details: 'boom' }, deployment: 'green' });
    expect(points.evaluate('prepareStatement', 'blue')).toBeNull();
    expect(points.evaluate('prepareStatement', 'green')?.effect).toEqual({ kind: 'grpc-status', code: 13, details: 'boom' });
    expect(points.get('prepareStatement')?.deployment).toBe('green');
  });

  it("consults a method's own fail point first and the catch-all '*' otherwise", () => {
    const points = new FailPoints();
    points.set('*', { mode: 'alwaysOn', action: { delayMs: 20 } });
    points.set('status', { mode: { times: 1 }, action: { httpStatus: 503 } });
    expect(points.evaluate('status', 'blue')).toMatchObject({ rpc: 'status', effect: { kind: 'http-status', status: 503 } });
    expect(points.evaluate('status', 'blue')).toEqual({ rpc: '*', delayMs: 20, effect: { kind: 'pass' } });
    expect(points.evaluate('healthCheck', 'blue')).toMatchObject({ rpc: '*' });
  });

  it('normalises every action into the effect the gateway applies', () => {
    const points = new FailPoints();
    const cases: Array<[string, FailPointSpec['action'], unknown]> = [
      ['authenticate', { referenceMismatch: true }, { kind: 'reference-mismatch' }],
      ['getResultMetadata', { corrupt: true, delayMs: 3 }, { kind: 'corrupt' }],
      ['executeStatement', { drop: true }, { kind: 'drop' }],
      ['status', { stall: true, delayMs: 2 }, { kind: 'stall' }],
      ['explain', { grpcStatus: 3, details: 'nope', delayMs: 1 }, { kind: 'grpc-status', code: 3, details: 'nope' }],
    ];
    for (const [rpc, action, effect] of cases) {
      points.set(rpc, { mode: 'alwaysOn', action });
      expect(points.evaluate(rpc, 'blue')?.effect).toEqual(effect);
    }
    expect(points.evaluate('getResultMetadata', 'blue')?.delayMs).toBe(3);
  });

  it('lists, clears one and clears all', () => {
    const points = new FailPoints();
    points.set('status', { mode: 'alwaysOn', action: { delayMs: 1 } });
    points.set('clear', { mode: { times: 3 }, action: { httpStatus: 500 } });
    expect(points.list().map((p) => p.rpc)).toEqual(['status', 'clear']);
    expect(points.list()[1]).toEqual({ rpc: 'clear', mode: { times: 3 }, action: { httpStatus: 500 }, deployment: null, hits: 0, remaining: 3 });
    expect(points.clear('status')).toBe(true);
    expect(points.clear('status')).toBe(false);
    expect(points.get('status')).toBeUndefined();
    points.clearAll();
    expect(points.list()).toEqual([]);
  });

  it('replaces the fail point of a method when set again, resetting its counters', () => {
    const points = new FailPoints();
    points.set('status', { mode: { times: 1 }, action: { httpStatus: 500 } });
    points.evaluate('status', 'blue');
    points.set('status', { mode: { times: 1 }, action: { httpStatus: 500 } });
    expect(points.get('status')).toMatchObject({ hits: 0, remaining: 1 });
  });
});

describe('parseFailPointSpec and FailPoints.set validation', () => {
  const points = new FailPoints();
  const refused = (rpc: string, spec: unknown): string => thrownBy(() => points.set(rpc, spec as FailPointSpec), InvalidMockOptionError).message;

  it('names the problem of each bad input', () => {
    expect(refused('nope', { mode: 'alwaysOn', action: { delayMs: 1 } })).toBe(
      "rpc: must be a QueryEngineService method name (e.g. getNextResultBatch) or '*'",
    );
    expect(refused('status', null)).toBe('body: must be a JSON object');
    expect(refused('status', [])).toBe('body: must be a JSON object');
    expect(refused('status', { mode: 'alwaysOn', action: { delayMs: 1 }, extra: 1 })).toBe(
      'body: unknown field "extra"; allowed: mode, action, deployment',
    );
    expect(refused('status', { mode: 'sometimes', action: { delayMs: 1 } })).toBe(
      "mode: must be 'alwaysOn', 'off', { times: n } or { probability: p }",
    );
    expect(refused('status', { mode: { every: 2 }, action: { delayMs: 1 } })).toMatch(/^mode: must be/);
    expect(refused('status', { mode: { times: 0 }, action: { delayMs: 1 } })).toBe('mode.times: must be a whole number, 1 or more');
    expect(refused('status', { mode: { times: 1, seed: 1 }, action: { delayMs: 1 } })).toBe('mode: unknown field "seed"; allowed: times');
    expect(refused('status', { mode: { probability: 1.5 }, action: { delayMs: 1 } })).toBe('mode.probability: must be a number from 0 to 1');
    expect(refused('status', { mode: { probability: Number.NaN }, action: { delayMs: 1 } })).toBe('mode.probability: must be a number from 0 to 1');
    expect(refused('status', { mode: { probability: 0.5, seed: 'x' }, action: { delayMs: 1 } })).toBe('mode.seed: must be a whole number');
    expect(refused('status', { mode: 'alwaysOn', action: 'drop' })).toBe('action: must be a JSON object');
    expect(refused('status', { mode: 'alwaysOn', action: {} })).toBe(
      'action: needs delayMs or one of grpcStatus, httpStatus, drop, corrupt, referenceMismatch, stall',
    );
    expect(refused('status', { mode: 'alwaysOn', action: { grpcStatus: 14, httpStatus: 503 } })).toBe(
      'action: takes one of grpcStatus, httpStatus, drop, corrupt, referenceMismatch, stall (got grpcStatus and httpStatus)',
    );
    expect(refused('status', { mode: 'alwaysOn', action: { kill: true } })).toMatch(/^action: unknown field "kill"/);
    expect(refused('status', { mode: 'alwaysOn', action: { grpcStatus: 0 } })).toBe('action.grpcStatus: must be a gRPC status code from 1 to 16');
    expect(refused('status', { mode: 'alwaysOn', action: { grpcStatus: 2, details: 7 } })).toBe(
      'action.details: must be a string of at most 1000 characters',
    );
    expect(refused('status', { mode: 'alwaysOn', action: { httpStatus: 456, details: 'x' } })).toBe('action.details: goes with grpcStatus only');
    expect(refused('status', { mode: 'alwaysOn', action: { httpStatus: 200 } })).toBe('action.httpStatus: must be an HTTP status from 400 to 599');
    expect(refused('status', { mode: 'alwaysOn', action: { drop: false } })).toBe('action.drop: must be true');
    expect(refused('status', { mode: 'alwaysOn', action: { delayMs: -1 } })).toBe(
      'action.delayMs: must be a whole number of milliseconds from 0 to 600000',
    );
    expect(refused('status', { mode: 'alwaysOn', action: { corrupt: true } })).toBe(
      'action.corrupt: applies to getNextResultBatch or getResultMetadata only, not status',
    );
    expect(refused('*', { mode: 'alwaysOn', action: { corrupt: true } })).toBe(
      'action.corrupt: applies to getNextResultBatch or getResultMetadata only, not *',
    );
    expect(refused('status', { mode: 'alwaysOn', action: { delayMs: 1 }, deployment: 'Blue' })).toBe("deployment: must be 'blue' or 'green'");
    expect(points.list()).toEqual([]);
  });

  it('accepts a null deployment as no filter and keeps exactly the fields given', () => {
    expect(parseFailPointSpec('status', { mode: { probability: 0.25, seed: 7 }, action: { grpcStatus: 2 }, deployment: null })).toEqual({
      mode: { probability: 0.25, seed: 7 },
      action: { grpcStatus: 2 },
    });
    expect(parseFailPointSpec('getNextResultBatch', { mode: 'off', action: { corrupt: true, delayMs: 0 }, deployment: 'blue' })).toEqual({
      mode: 'off',
      action: { corrupt: true, delayMs: 0 },
      deployment: 'blue',
    });
  });
});

describe('seededRandom', () => {
  it('gives the same sequence for the same seed, values in [0, 1)', () => {
    const a = seededRandom(123);
    const b = seededRandom(123);
    const c = seededRandom(124);
    const seqA = Array.from({ length: 100 }, a);
    expect(Array.from({ length: 100 }, b)).toEqual(seqA);
    expect(Array.from({ length: 100 }, c)).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = seqA.reduce((s, x) => s + x, 0) / seqA.length;
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.65);
  });
});
