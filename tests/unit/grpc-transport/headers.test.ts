// docs/wire.md section 1: lowercase keys `strategy`, `cluster-name`, `plannerip`;
// an invalid strategy is never sent; `new_strategy` is read off responses.
import {
  CLUSTER_NAME_HEADER,
  InvalidOptionError,
  PLANNER_IP_HEADER,
  STRATEGY_HEADER,
  buildMetadata,
  readNewStrategy,
} from '@e6data-ts/grpc-transport';

describe('buildMetadata', () => {
  it('sends the three e6data headers under their lowercase wire keys', () => {
    const metadata = buildMetadata({ strategy: 'blue', clusterName: 'Prod-Cluster', plannerIp: '10.0.0.7' });
    expect(metadata.getMap()).toEqual({ strategy: 'blue', 'cluster-name': 'prod-cluster', plannerip: '10.0.0.7' });
    expect([STRATEGY_HEADER, CLUSTER_NAME_HEADER, PLANNER_IP_HEADER]).toEqual(['strategy', 'cluster-name', 'plannerip']);
  });

  it.each([
    ['GREEN', 'green'],
    ['Blue', 'blue'],
    [' green ', 'green'],
  ])('sends strategy %p as %p (always lowercase)', (given, sent) => {
    expect(buildMetadata({ strategy: given }).get('strategy')).toEqual([sent]);
  });

  it.each([['purple'], ['blue-green'], ['b'], ['']])('never sends an invalid strategy %p, and reports it through warn', (value) => {
    const warn = jest.fn();
    const metadata = buildMetadata({ strategy: value, clusterName: 'c' }, { warn });
    expect(metadata.get('strategy')).toEqual([]);
    expect(metadata.getMap()).toEqual({ 'cluster-name': 'c' });
    // The empty string is "no strategy", not an invalid one.
    expect(warn).toHaveBeenCalledTimes(value === '' ? 0 : 1);
  });

  it('stays silent about an invalid strategy when no warn is given', () => {
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(buildMetadata({ strategy: 'purple' }).getMap()).toEqual({});
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('sends nothing for absent, null or empty values', () => {
    expect(buildMetadata().getMap()).toEqual({});
    expect(buildMetadata({ strategy: null, clusterName: undefined, plannerIp: '' }).getMap()).toEqual({});
  });

  it('accepts a plain record with the wire keys in any case, normalised the same way', () => {
    const metadata = buildMetadata({ STRATEGY: 'Green', 'Cluster-Name': 'MyCluster', PlannerIP: '10.1.1.1' });
    expect(metadata.getMap()).toEqual({ strategy: 'green', 'cluster-name': 'mycluster', plannerip: '10.1.1.1' });
  });

  it('drops an invalid strategy given in a plain record too', () => {
    expect(buildMetadata({ strategy: 'red' }).getMap()).toEqual({});
  });

  it('passes other headers through with lowercase keys', () => {
    expect(buildMetadata({ 'X-Request-Id': 'abc', strategy: 'blue' }).getMap()).toEqual({ 'x-request-id': 'abc', strategy: 'blue' });
  });

  it('refuses a header key grpc cannot send with a typed error naming it', () => {
    const attempt = (): unknown => buildMetadata({ 'bad key!': 'v' });
    expect(attempt).toThrow(InvalidOptionError);
    expect(attempt).toThrow(/header "bad key!" cannot be sent/);
  });

  it('plannerip keeps its value exactly (an address is not lowercased or rewritten)', () => {
    expect(buildMetadata({ plannerIp: 'Engine-A.internal:9000' }).get('plannerip')).toEqual(['Engine-A.internal:9000']);
  });
});

describe('readNewStrategy', () => {
  it.each([
    [{ sessionId: 's', new_strategy: 'green' }, 'green'],
    [{ new_strategy: 'BLUE' }, 'blue'],
    [{ sessionId: 's' }, null],
    [{ new_strategy: '' }, null],
    [{ new_strategy: null }, null],
    [null, null],
    [undefined, null],
    ['green', null],
    [42, null],
  ])('reads %p as %p', (response, expected) => {
    expect(readNewStrategy(response)).toBe(expected);
  });

  it('ignores an invalid value and reports it through warn (never cached upstream)', () => {
    const warn = jest.fn();
    expect(readNewStrategy({ new_strategy: 'purple' }, { warn })).toBeNull();
    expect(warn).toHaveBeenCalledWith('ignoring an invalid new_strategy in a response', { value: '"purple"' });
  });

  it('ignores non-string values', () => {
    const warn = jest.fn();
    expect(readNewStrategy({ new_strategy: 7 }, { warn })).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('quotes only a short prefix of an oversized invalid value (it might be a misplaced token)', () => {
    const warn = jest.fn();
    readNewStrategy({ new_strategy: 'tok-' + 'x'.repeat(10_000) }, { warn });
    expect(warn).toHaveBeenCalledWith('ignoring an invalid new_strategy in a response', { value: '"tok-xxxx…" (10004 chars)' });
  });
});
