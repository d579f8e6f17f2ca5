import { classifyOutcome, errorKindOf, isFailure, type DrillTrace } from '@e6data-ts/drill';

const trace = (over: Partial<DrillTrace> = {}): DrillTrace => ({ strategy: 'blue', retries: 0, moved: false, rerun: false, ...over });

class FakeConnectorError extends Error {
  constructor(
    override readonly name: string,
    readonly code: string,
    readonly stage: string,
    readonly strategy?: string,
  ) {
    super(name);
  }
}

describe('classifyOutcome', () => {
  it('counts a clean success as ok, on the deployment it ran on', () => {
    expect(classifyOutcome({ ok: true, trace: trace({ strategy: 'green' }) })).toEqual({ cls: 'ok', errorKind: null, deployment: 'green', retries: 0 });
  });

  it('ranks rerun over moved over retried', () => {
    expect(classifyOutcome({ ok: true, trace: trace({ retries: 2 }) }).cls).toBe('retried');
    expect(classifyOutcome({ ok: true, trace: trace({ retries: 2, moved: true }) }).cls).toBe('moved');
    expect(classifyOutcome({ ok: true, trace: trace({ retries: 1, moved: true, rerun: true }) }).cls).toBe('rerun');
    expect(classifyOutcome({ ok: true, trace: trace({ retries: 3 }) }).retries).toBe(3);
  });

  it('counts an ambiguous failure as ambiguous and any other failure as lost, with the error kind', () => {
    expect(classifyOutcome({ ok: false, error: new FakeConnectorError('E6DataError', 'UNAVAILABLE', 'ambiguous', 'green') })).toEqual({
      cls: 'ambiguous', errorKind: 'E6DataError/UNAVAILABLE', deployment: 'green', retries: 0,
    });
    expect(classifyOutcome({ ok: false, error: new FakeConnectorError('QueryLostError', 'QUERY_LOST', 'executed', 'blue') })).toMatchObject({
      cls: 'lost', errorKind: 'QueryLostError/QUERY_LOST', deployment: 'blue',
    });
    expect(classifyOutcome({ ok: false, error: new FakeConnectorError('E6DataError', 'DEADLINE_EXCEEDED', 'rejected', 'purple') }).deployment).toBeNull();
  });

  it('names untyped failures so they stand out in the report', () => {
    expect(errorKindOf(new TypeError('x'))).toBe('TypeError');
    expect(errorKindOf('boom')).toBe('non-error');
    expect(errorKindOf(null)).toBe('non-error');
    expect(classifyOutcome({ ok: false, error: 42 })).toMatchObject({ cls: 'lost', errorKind: 'non-error', deployment: null });
  });
});

describe('isFailure', () => {
  it('fails on lost always and on ambiguous unless allowed', () => {
    expect(isFailure('lost', true)).toBe(true);
    expect(isFailure('ambiguous', false)).toBe(true);
    expect(isFailure('ambiguous', true)).toBe(false);
    for (const cls of ['ok', 'retried', 'moved', 'rerun'] as const) expect(isFailure(cls, false)).toBe(false);
  });
});
