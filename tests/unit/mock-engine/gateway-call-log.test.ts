// The gateway's call log keeps the newest records up to its limit (a ring)
// and counts every call regardless.
import { type CallInput } from '@e6data-ts/mock-engine';
import { CallLog } from '@e6data-ts/mock-engine/internal';

function call(rpc: string): CallInput {
  return { rpc, deployment: 'blue', strategy: 'blue', clusterName: null, plannerIp: null, outcome: 'ok', grpcStatus: 0, httpStatus: 200, failPoint: null, durationMs: 1 };
}

describe('CallLog', () => {
  it('keeps the newest records in order once full, and counts the dropped ones', () => {
    let now = 0;
    const log = new CallLog({ limit: 3, clock: { now: () => ++now } });
    for (const rpc of ['a', 'b', 'c', 'd', 'e']) log.record(call(rpc));
    const snapshot = log.snapshot();
    expect(snapshot.entries.map((e) => [e.rpc, e.seq, e.at])).toEqual([
      ['c', 3, 3],
      ['d', 4, 4],
      ['e', 5, 5],
    ]);
    expect(snapshot).toMatchObject({ total: 5, dropped: 2, limit: 3 });
    expect(log.count('a')).toBe(1);
    log.record(call('f'));
    expect(log.snapshot().entries.map((e) => e.rpc)).toEqual(['d', 'e', 'f']);
  });

  it('starts over on reset', () => {
    const log = new CallLog({ limit: 2 });
    for (const rpc of ['a', 'b', 'c']) log.record(call(rpc));
    log.reset();
    log.record(call('x'));
    expect(log.snapshot()).toMatchObject({ total: 1, dropped: 0, entries: [{ rpc: 'x', seq: 1 }] });
  });

  it('with a limit of 0 keeps no record but still counts', () => {
    const log = new CallLog({ limit: 0 });
    log.record(call('a'));
    expect(log.snapshot()).toMatchObject({ total: 1, dropped: 1, entries: [] });
    expect(log.count('a', 'blue', 'ok')).toBe(1);
  });

  it('cuts long routing headers in its records', () => {
    const log = new CallLog();
    const record = log.record({ ...call('a'), plannerIp: 'p'.repeat(100) });
    expect(record.plannerIp).toBe(`${'p'.repeat(64)}…`);
  });
});
