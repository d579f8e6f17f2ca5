// One StrategyStore per endpoint, with normalised keys, a process-wide default
// registry and injectable registries.
import {
  endpointKey,
  getDefaultRegistry,
  StrategyCoreError,
  StrategyRegistry,
  type StrategyTransition,
} from '@e6data-ts/strategy-core';
import { caught, FakeClock, RecordingLogger } from './fakes';

const endpoint = { host: 'cluster.example.com', port: 443, clusterName: 'analytics' };

describe('endpointKey', () => {
  test.each([
    [{ host: 'Cluster.Example.COM', port: 443, clusterName: 'Analytics' }, 'cluster.example.com:443/analytics'],
    [{ host: '  localhost ', port: 50052 }, 'localhost:50052/'],
    [{ host: 'localhost', port: 50052, clusterName: '' }, 'localhost:50052/'],
    [{ host: 'localhost', port: 50052, clusterName: ' Blue-Team ' }, 'localhost:50052/blue-team'],
    [{ host: '::1', port: 1 }, '[::1]:1/'],
    [{ host: '[::1]', port: 65535 }, '[::1]:65535/'],
  ])('%j -> %s', (input, key) => {
    expect(endpointKey(input)).toBe(key);
  });

  test.each([
    [{ host: '', port: 1 }, /host must be a non-empty string, got ""/],
    [{ host: '  ', port: 1 }, /host must be a non-empty string/],
    [{ host: '[]', port: 1 }, /host must be a non-empty string/],
    [{ host: undefined as unknown as string, port: 1 }, /host must be a non-empty string, got undefined/],
    [{ host: 'h', port: 0 }, /port must be an integer from 1 to 65535, got number 0/],
    [{ host: 'h', port: 65_536 }, /port must be an integer/],
    [{ host: 'h', port: 1.5 }, /port must be an integer/],
    [{ host: 'h', port: '443' as unknown as number }, /port must be an integer from 1 to 65535, got "443"/],
    [{ host: 'h', port: 1, clusterName: 5 as unknown as string }, /clusterName must be a string, got number 5/],
  ])('%j is rejected with INVALID_ENDPOINT', (input, message) => {
    const err = caught(() => endpointKey(input));
    expect(err).toBeInstanceOf(StrategyCoreError);
    expect(err).toMatchObject({ code: 'INVALID_ENDPOINT', message: expect.stringMatching(message) });
  });
});

describe('StrategyRegistry', () => {
  test('get creates one store per endpoint and returns it again', () => {
    const registry = new StrategyRegistry({ logger: new RecordingLogger() });
    const a = registry.get(endpoint);
    expect(registry.get({ ...endpoint })).toBe(a);
    expect(registry.size).toBe(1);
    expect(registry.keys()).toEqual(['cluster.example.com:443/analytics']);
  });

  test('endpoints differing only in host case, cluster case or whitespace share a store', () => {
    const registry = new StrategyRegistry({ logger: new RecordingLogger() });
    const a = registry.get(endpoint);
    expect(registry.get({ host: 'CLUSTER.example.com', port: 443, clusterName: 'ANALYTICS ' })).toBe(a);
  });

  test('stores are isolated per host, port and cluster name', () => {
    const registry = new StrategyRegistry({ logger: new RecordingLogger() });
    const base = registry.get(endpoint);
    const otherPort = registry.get({ ...endpoint, port: 444 });
    const otherHost = registry.get({ ...endpoint, host: 'other.example.com' });
    const otherCluster = registry.get({ ...endpoint, clusterName: 'etl' });
    const noCluster = registry.get({ host: endpoint.host, port: endpoint.port });
    base.setActive('blue');
    base.registerQuery('q', 'blue');
    otherPort.setActive('green');
    for (const store of [otherHost, otherCluster, noCluster]) {
      expect(store.getActive()).toBeNull();
      expect(store.pinnedCount('blue')).toBe(0);
    }
    expect(base.getActive()).toBe('blue');
    expect(otherPort.getActive()).toBe('green');
    expect(registry.size).toBe(5);
  });

  test('stores are created with the registry-wide options', () => {
    const clock = new FakeClock();
    const logger = new RecordingLogger();
    const registry = new StrategyRegistry({ clock, logger, ttlMs: 1_000 });
    const store = registry.get(endpoint);
    store.setActive('blue');
    store.setActive('invalid');
    expect(logger.entries).toHaveLength(1);
    clock.advance(1_000);
    expect(store.getActive()).toBeNull();
  });

  test('invalid registry options fail at construction', () => {
    expect(caught(() => new StrategyRegistry({ ttlMs: -5 }))).toMatchObject({ code: 'INVALID_OPTION' });
  });

  test('peek and has never create', () => {
    const registry = new StrategyRegistry({ logger: new RecordingLogger() });
    expect(registry.peek(endpoint)).toBeUndefined();
    expect(registry.has(endpoint)).toBe(false);
    expect(registry.size).toBe(0);
    const store = registry.get(endpoint);
    expect(registry.peek(endpoint)).toBe(store);
    expect(registry.has(endpoint)).toBe(true);
  });

  test('delete forgets one endpoint; the next get starts fresh', () => {
    const registry = new StrategyRegistry({ logger: new RecordingLogger() });
    const first = registry.get(endpoint);
    first.setActive('green');
    const kept = registry.get({ ...endpoint, port: 1 });
    expect(registry.delete(endpoint)).toBe(true);
    expect(registry.delete(endpoint)).toBe(false);
    const second = registry.get(endpoint);
    expect(second).not.toBe(first);
    expect(second.getActive()).toBeNull();
    expect(registry.get({ ...endpoint, port: 1 })).toBe(kept);
  });

  test('clear forgets every endpoint', () => {
    const registry = new StrategyRegistry({ logger: new RecordingLogger() });
    registry.get(endpoint);
    registry.get({ ...endpoint, port: 1 });
    registry.clear();
    expect(registry.size).toBe(0);
    expect(registry.keys()).toEqual([]);
  });

  test('onTransition reports every store, tagged with its key, until the store is dropped', () => {
    const logger = new RecordingLogger();
    const registry = new StrategyRegistry({ logger, clock: new FakeClock(0) });
    const seen: [string, StrategyTransition['reason'], StrategyTransition['to']][] = [];
    const unsubscribe = registry.onTransition((key, t) => seen.push([key, t.reason, t.to]));
    const early = registry.get(endpoint);
    early.setActive('blue');
    const late = registry.get({ host: 'b', port: 2 });
    late.setActive('green');
    registry.delete(endpoint);
    early.setActive('green'); // dropped store: no longer forwarded
    registry.get({ host: 'c', port: 3 });
    registry.clear();
    late.setActive('blue'); // dropped by clear
    const afterClear = registry.get({ host: 'd', port: 4 });
    afterClear.setActive('blue');
    unsubscribe();
    afterClear.setActive('green');
    expect(seen).toEqual([
      ['cluster.example.com:443/analytics', 'set', 'blue'],
      ['b:2/', 'set', 'green'],
      ['d:4/', 'set', 'blue'],
    ]);
  });

  test('a throwing registry listener is logged and does not starve the others', () => {
    const logger = new RecordingLogger();
    const registry = new StrategyRegistry({ logger });
    const seen: string[] = [];
    registry.onTransition(() => {
      throw new Error('sink down');
    });
    registry.onTransition(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a non-Error throwable is the case under test
      throw 404;
    });
    registry.onTransition((key) => seen.push(key));
    registry.get(endpoint).setActive('blue');
    expect(seen).toEqual(['cluster.example.com:443/analytics']);
    expect(logger.entries).toEqual([
      {
        message: "registry transition listener threw on 'set' for cluster.example.com:443/analytics",
        fields: { key: 'cluster.example.com:443/analytics', reason: 'set', error: 'sink down' },
      },
      {
        message: "registry transition listener threw on 'set' for cluster.example.com:443/analytics",
        fields: { key: 'cluster.example.com:443/analytics', reason: 'set', error: 'number 404' },
      },
    ]);
  });

  test('injected registries are independent of each other and of the default one', () => {
    const a = new StrategyRegistry({ logger: new RecordingLogger() });
    const b = new StrategyRegistry({ logger: new RecordingLogger() });
    a.get(endpoint).setActive('blue');
    expect(b.get(endpoint).getActive()).toBeNull();
    expect(getDefaultRegistry().peek(endpoint)).toBeUndefined();
  });
});

describe('getDefaultRegistry', () => {
  afterEach(() => getDefaultRegistry().clear());

  test('is one process-wide registry', () => {
    const registry = getDefaultRegistry();
    expect(registry).toBeInstanceOf(StrategyRegistry);
    expect(getDefaultRegistry()).toBe(registry);
    registry.get(endpoint).setActive('green');
    expect(getDefaultRegistry().get({ ...endpoint, host: 'CLUSTER.EXAMPLE.COM' }).getActive()).toBe('green');
  });
});
