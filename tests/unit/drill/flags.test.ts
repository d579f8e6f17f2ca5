import { DEFAULT_QUERIES, DRILL_FLAGS, FlagError, parseDrillArgs, parseTarget, type DrillCommand } from '@e6data-ts/drill';

function run(args: string[]): Extract<DrillCommand, { kind: 'run' }>['options'] {
  const command = parseDrillArgs(args);
  if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`);
  return command.options;
}

function flagError(args: string[]): FlagError {
  try {
    parseDrillArgs(args);
  } catch (err) {
    if (err instanceof FlagError) return err;
    throw err;
  }
  throw new Error('expected a FlagError');
}

describe('parseDrillArgs', () => {
  it('defaults to a mock run of at most 60 s with at least 5 cutovers and the four-query mix', () => {
    const options = run([]);
    expect(options.target).toBeNull();
    expect(options.durationMs).toBeLessThanOrEqual(60_000);
    expect(options.cutovers).toBeGreaterThanOrEqual(5);
    expect(options.workers).toBe(8);
    expect(options.rate).toBeNull();
    expect(options.mode).toBe('graceful');
    expect(options.queries).toEqual(DEFAULT_QUERIES);
    expect(options.clients).toBe(1);
    expect([options.announceMs, options.drainMs]).toEqual([1_000, 5_000]);
  });

  it('fits default phases to close cutovers but keeps phases given explicitly', () => {
    const fitted = run(['--duration', '8s', '--cutovers', '2']);
    expect(fitted.announceMs + fitted.drainMs).toBeLessThan(2_667);
    expect(run(['--duration', '8s', '--cutovers', '2', '--drain', '4s', '--announce', '0'])).toMatchObject({ announceMs: 0, drainMs: 4_000 });
  });

  it('reads every flag', () => {
    const options = run([
      '--workers', '4', '--rate', '250', '--duration', '2m', '--query', 'SELECT 2', '--query', 'SELECT 3',
      '--clients', '3', '--cutovers', '7', '--mode', 'mixed', '--announce', '500ms', '--drain', '0', '--chaos',
      '--json', 'a.json', '--html', 'a.html', '--allow-ambiguous', '--rerun-on-loss', '--seed', '42',
      '--timeout', '5s', '--stop-wait', '1s', '--live', 'plain',
    ]);
    expect(options).toMatchObject({
      workers: 4, rate: 250, durationMs: 120_000, queries: ['SELECT 2', 'SELECT 3'], clients: 3, cutovers: 7,
      mode: 'mixed', announceMs: 500, drainMs: 0, chaos: true, jsonFile: 'a.json', htmlFile: 'a.html',
      allowAmbiguous: true, rerunOnLoss: true, seed: 42, queryTimeoutMs: 5_000, stopWaitMs: 1_000, live: 'plain',
    });
  });

  it('reads a real target with TLS, a CA file and a cluster name', () => {
    const options = run(['--target', 'e6.example.com:443', '--tls', '--ca', 'ca.pem', '--cluster', 'prod']);
    expect(options.target).toEqual({ host: 'e6.example.com', port: 443 });
    expect(options).toMatchObject({ tls: true, caFile: 'ca.pem', cluster: 'prod' });
  });

  it.each([
    [['--wokers', '4'], '--wokers'],
    [['--workers', '0'], '--workers'],
    [['--workers', 'many'], '--workers'],
    [['--workers'], '--workers'],
    [['--rate', '-3'], '--rate'],
    [['--duration', 'forever'], '--duration'],
    [['--duration', '0'], '--duration'],
    [['--mode', 'soft'], '--mode'],
    [['--target', 'nohost'], '--target'],
    [['--target', 'h:70000'], '--target'],
    [['--ca', 'x.pem', '--target', 'h:1'], '--ca'],
    [['--tls'], '--tls'],
    [['--chaos', '--target', 'h:1'], '--chaos'],
    [['--seed', '1.5'], '--seed'],
    [['--query', ' '], '--query'],
    [['--chaos=yes'], '--chaos'],
    [['stray'], 'stray'],
  ])('rejects %j naming %s', (args, flag) => {
    const err = flagError(args);
    expect(err.flag).toBe(flag);
    expect(err.message.startsWith(`${flag}: `)).toBe(true);
    expect(err.message).not.toContain('\n');
  });

  it('never echoes a flag value in its message', () => {
    expect(flagError(['--target', 'secret-host-name']).message).not.toContain('secret-host-name');
    expect(flagError(['--duration', 'hunter2']).message).not.toContain('hunter2');
  });

  it('generates --help from the flag table', () => {
    const command = parseDrillArgs(['--help']);
    expect(command.kind).toBe('help');
    if (command.kind !== 'help') return;
    for (const flag of DRILL_FLAGS) expect(command.text).toContain(`--${flag.name}`);
    expect(command.text).toContain('(default 45s)');
    expect(command.text).toContain('e6-drill merge');
  });

  it('reads merge with its files and outputs', () => {
    expect(parseDrillArgs(['merge', 'a.json', 'b.json', '--json', 'm.json', '--html', 'm.html'])).toEqual({
      kind: 'merge', files: ['a.json', 'b.json'], jsonFile: 'm.json', htmlFile: 'm.html', allowAmbiguous: false,
    });
    expect(flagError(['merge']).flag).toBe('merge');
    expect(flagError(['merge', 'a.json', '--workers', '3']).flag).toBe('--workers');
  });
});

describe('parseTarget', () => {
  it('reads host:port and [v6]:port', () => {
    expect(parseTarget('10.0.0.1:9000')).toEqual({ host: '10.0.0.1', port: 9000 });
    expect(parseTarget('[::1]:80')).toEqual({ host: '::1', port: 80 });
  });
});
