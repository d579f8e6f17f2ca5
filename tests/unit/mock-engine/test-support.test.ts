// The shared helpers the mock-engine tests stand on are code too: they must
// fail when they should, hand back what they promise and close what they open.
import { TransportError } from '@e6data-ts/grpc-transport';
import { MockClusterError } from '@e6data-ts/mock-engine';
import { clusterState } from '../../support/cluster-state';
import { rejectionOf, thrownBy } from '../../support/expected-error';
import { fixtureView, useFixture } from '../../support/fixture';
import { callOutcome, grpcFailure, transportFailure } from '../../support/transport-failure';

const unavailable = (): TransportError => new TransportError('healthCheck: no connection', { code: 'UNAVAILABLE', kind: 'transient', grpcCode: 14, details: 'no connection' });

describe('rejectionOf and thrownBy', () => {
  it('return the error of the expected kind, subclasses included', async () => {
    const error = new MockClusterError('CLOSED', 'closed');
    await expect(rejectionOf(Promise.reject(error), MockClusterError)).resolves.toBe(error);
    expect(thrownBy(() => {
      throw error;
    }, Error)).toBe(error);
  });

  it('fail when the call succeeds', async () => {
    await expect(rejectionOf(Promise.resolve(1), MockClusterError)).rejects.toThrow('expected a rejection with MockClusterError, but the promise resolved');
    expect(() => thrownBy(() => 1, MockClusterError)).toThrow('expected a MockClusterError to be thrown, but the call returned');
  });

  it('fail when the error is of another kind', async () => {
    await expect(rejectionOf(Promise.reject(new TypeError('x')), MockClusterError)).rejects.toThrow(/toBeInstanceOf/);
    expect(() =>
      thrownBy(() => {
        throw new TypeError('x');
      }, MockClusterError),
    ).toThrow(/toBeInstanceOf/);
  });
});

describe('transport failures', () => {
  it('transportFailure and grpcFailure read a TransportError', async () => {
    const error = unavailable();
    await expect(transportFailure(Promise.reject(error))).resolves.toBe(error);
    await expect(grpcFailure(Promise.reject(error))).resolves.toEqual({ code: 14, details: 'no connection' });
    const bare = new TransportError('no details', { code: 'ABORTED', kind: 'fatal' });
    await expect(grpcFailure(Promise.reject(bare))).resolves.toEqual({ code: undefined, details: '' });
  });

  it('callOutcome tells success from a TransportError, and refuses any other failure', async () => {
    await expect(callOutcome(Promise.resolve({}))).resolves.toBe('ok');
    const error = unavailable();
    await expect(callOutcome(Promise.reject(error))).resolves.toBe(error);
    await expect(callOutcome(Promise.reject(new Error('not transport')))).rejects.toThrow(/toBeInstanceOf/);
  });

  it('transportFailure fails when the call succeeds', async () => {
    await expect(transportFailure(Promise.resolve({}))).rejects.toThrow('expected a rejection with TransportError, but the promise resolved');
  });
});

describe('useFixture', () => {
  const log: string[] = [];
  let starts = 0;
  const start = (): Promise<{ id: number; close(): Promise<void> }> => {
    const id = ++starts;
    log.push(`start ${id}`);
    return Promise.resolve({
      id,
      close: () => {
        log.push(`close ${id}`);
        return Promise.resolve();
      },
    });
  };

  let eachView: { readonly id: number } | undefined;

  describe("per: 'each'", () => {
    const running = useFixture(start, { per: 'each' });
    const view = fixtureView(running, ['id']);
    eachView = view;

    it('starts a fixture for the first test', () => {
      expect(view.id).toBe(1);
      expect(log).toEqual(['start 1']);
    });

    it('closes it after the test and starts a fresh one for the next', () => {
      expect(view.id).toBe(2);
      expect(log).toEqual(['start 1', 'close 1', 'start 2']);
    });
  });

  describe("per: 'all' (the default)", () => {
    const running = useFixture(start);

    it('closed the last per-test fixture, then started one for the whole block', () => {
      expect(log).toEqual(['start 1', 'close 1', 'start 2', 'close 2', 'start 3']);
      expect(running().id).toBe(3);
    });

    it('keeps the same fixture for every test of the block', () => {
      expect(running().id).toBe(3);
      expect(log).toHaveLength(5);
    });
  });

  describe('once its block is over', () => {
    it('refuses to hand out a closed fixture', () => {
      expect(() => eachView?.id).toThrow('the fixture is not running: read it inside a test or hook');
    });
  });

  afterAll(() => {
    // Runs after the blocks above closed their fixtures: nothing is left open.
    expect(log.at(-1)).toBe('close 3');
  });
});

describe('clusterState', () => {
  it('is stable on blue with nothing running, and takes whole-field overrides', () => {
    expect(clusterState()).toMatchObject({ phase: 'stable', live: 'blue', next: null, draining: null, power: 'active', suspended: false });
    expect(clusterState({ phase: 'announce', next: 'green' })).toMatchObject({ phase: 'announce', live: 'blue', next: 'green' });
    expect(clusterState().deployments.blue.activeQueries).toBe(0);
  });
});
