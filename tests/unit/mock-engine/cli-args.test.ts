import {
  consoleLogger,
  EngineError,
  ListenError,
  MockClusterError,
  InvalidMockOptionError,
  parseDuration,
  silentLogger,
} from '@e6data-ts/mock-engine';
import { parseCliArgs, parseEngineAddresses, parseUsers, runCli, type CliEnvironment, type CliRunOptions } from '@e6data-ts/mock-engine/internal';
import { thrownBy } from '../../support/expected-error';

function run(argv: string[]): CliRunOptions {
  const command = parseCliArgs(argv);
  if (command.kind !== 'run') throw new Error('expected a run command');
  return command.options;
}

function refusal(argv: string[]): string {
  return thrownBy(() => parseCliArgs(argv), InvalidMockOptionError).message;
}

describe('parseCliArgs', () => {
  it('runs the whole cluster on ephemeral ports by default', () => {
    expect(run([])).toEqual({
      role: 'cluster',
      host: '127.0.0.1',
      port: 0,
      users: null,
      json: false,
      exitOnStdinEnd: false,
      adminHost: '127.0.0.1',
      adminPort: 0,
      live: 'blue',
      switchEveryMs: null,
      announceMs: null,
      drainMs: null,
      resumeDelayMs: null,
      tlsCertFile: null,
      tlsKeyFile: null,
      batchRows: null,
      sessionIdleMs: null,
      initSqlFiles: [],
    });
  });

  it('reads every cluster flag, in both --flag value and --flag=value forms', () => {
    expect(
      run([
        '--port',
        '50051',
        '--admin-port=9000',
        '--host',
        '0.0.0.0',
        '--admin-host',
        '0.0.0.0',
        '--switch-every',
        '120s',
        '--announce=500ms',
        '--drain',
        '2m',
        '--resume-delay',
        '1.5s',
        '--users',
        'a@x:t1,b@x:t:2',
        '--batch-rows',
        '100',
        '--session-idle',
        '1h',
        '--init-sql',
        'one.sql',
        '--init-sql=two.sql',
        '--live',
        'green',
        '--json',
        '--exit-on-stdin-end',
      ]),
    ).toEqual({
      role: 'cluster',
      host: '0.0.0.0',
      port: 50051,
      users: [
        { user: 'a@x', token: 't1' },
        { user: 'b@x', token: 't:2' },
      ],
      json: true,
      exitOnStdinEnd: true,
      adminHost: '0.0.0.0',
      adminPort: 9000,
      live: 'green',
      switchEveryMs: 120_000,
      announceMs: 500,
      drainMs: 120_000,
      resumeDelayMs: 1_500,
      tlsCertFile: null,
      tlsKeyFile: null,
      batchRows: 100,
      sessionIdleMs: 3_600_000,
      initSqlFiles: ['one.sql', 'two.sql'],
    });
  });

  it('reads the engine role', () => {
    expect(run(['--role', 'engine', '--name', 'green', '--port', '4001', '--batch-rows', '7'])).toEqual({
      role: 'engine',
      name: 'green',
      host: '127.0.0.1',
      port: 4001,
      users: null,
      json: false,
      exitOnStdinEnd: false,
      batchRows: 7,
      sessionIdleMs: null,
      initSqlFiles: [],
    });
  });

  it('reads the gateway role', () => {
    expect(run(['--role=gateway', '--engines', 'blue=127.0.0.1:4001,green=[::1]:4002', '--switch-every', '0'])).toMatchObject({
      role: 'gateway',
      engines: { blue: { host: '127.0.0.1', port: 4001 }, green: { host: '::1', port: 4002 } },
      switchEveryMs: 0,
    });
  });

  it('reads the gateway TLS files, and refuses one without the other or on an engine', () => {
    expect(run(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'])).toMatchObject({ role: 'cluster', tlsCertFile: 'c.pem', tlsKeyFile: 'k.pem' });
    expect(() => parseCliArgs(['--tls-cert', 'c.pem'])).toThrow(/--tls-key.*both the certificate and its key/);
    expect(() => parseCliArgs(['--tls-key', 'k.pem'])).toThrow(/--tls-cert/);
    expect(() => parseCliArgs(['--role', 'engine', '--name', 'blue', '--tls-cert', 'c.pem'])).toThrow(/--tls-cert.*does not apply to --role engine/);
  });

  it('answers --help and -h whatever else is given', () => {
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--port', '1', '-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--role', 'engine', '--help'])).toEqual({ kind: 'help' });
  });

  it('refuses bad command lines, naming the flag and the problem', () => {
    expect(refusal(['--prot', '1'])).toBe('--prot: unknown flag');
    expect(refusal(['serve'])).toBe('arguments: unexpected argument "serve"');
    expect(refusal(['--port'])).toBe('--port: needs a value');
    expect(refusal(['--port', '--json'])).toBe('--port: needs a value');
    expect(refusal(['--json=yes'])).toBe('--json: takes no value');
    expect(refusal(['--port', '1', '--port', '2'])).toBe('--port: given more than once');
    expect(refusal(['--port', '70000'])).toBe('--port: must be a port from 0 to 65535 (got "70000")');
    expect(refusal(['--port', 'http'])).toBe('--port: must be a port from 0 to 65535 (got "http")');
    expect(refusal(['--role', 'proxy'])).toBe('--role: must be cluster, engine or gateway (got "proxy")');
    expect(refusal(['--live', 'Blue'])).toBe('--live: must be blue or green (got "Blue")');
    expect(refusal(['--switch-every', '120'])).toBe('--switch-every: "120" is not a duration; use e.g. 500ms, 30s, 2m or 1h');
    expect(refusal(['--batch-rows', '0'])).toBe('--batch-rows: must be a whole number, 1 or more (got "0")');
    expect(refusal(['--role', 'engine'])).toBe('--name: is required with --role engine (blue or green)');
    expect(refusal(['--role', 'engine', '--name', 'red'])).toBe('--name: must be blue or green (got "red")');
    expect(refusal(['--role', 'gateway'])).toBe('--engines: is required with --role gateway, e.g. blue=127.0.0.1:4001,green=127.0.0.1:4002');
    expect(refusal(['--name', 'blue'])).toBe('--name: does not apply to --role cluster');
    expect(refusal(['--role', 'engine', '--name', 'blue', '--switch-every', '1s'])).toBe('--switch-every: does not apply to --role engine');
    expect(refusal(['--role', 'gateway', '--engines', 'blue=h:1,green=h:2', '--init-sql', 'x.sql'])).toBe(
      '--init-sql: does not apply to --role gateway',
    );
    expect(refusal(['--port', '5000', '--admin-port', '5000'])).toBe('--admin-port: must differ from --port (both are 5000)');
    expect(refusal(['--role', 'gateway', '--engines', 'blue=h:1,green=h:2', '--port=7', '--admin-port=7'])).toBe(
      '--admin-port: must differ from --port (both are 7)',
    );
    expect(refusal(['--prot=1'])).toBe('--prot: unknown flag');
    expect(refusal(['-x'])).toBe('-x: unknown flag');
    expect(refusal(['--', '--port', '1'])).toBe('--: unknown flag');
    expect(refusal(['--help=yes'])).toBe('--help: takes no value');
    expect(refusal(['--port', '1', 'extra'])).toBe('arguments: unexpected argument "extra"');
  });

  it('takes a value that starts with one dash, and an empty value given with =', () => {
    expect(run(['--host', '-h'])).toMatchObject({ host: '-h' });
    expect(() => run(['--port='])).toThrow('--port: must be a port from 0 to 65535 (got "")');
  });

  it('lists in its help text the flags it reads, each one known to the parser', async () => {
    const out: string[] = [];
    await runCli(['--help'], { ...silentEnv(), writeOut: (text) => out.push(text) });
    const help = out.join('');
    const listed = [...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1] ?? '');
    expect(listed).toEqual(expect.arrayContaining(['--role', '--port', '--admin-port', '--init-sql', '--json', '--help']));
    for (const flag of listed) {
      // A listed flag is known to the parser: whatever else it says, it never calls the flag unknown.
      let message = '';
      try {
        parseCliArgs([flag, 'x']);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).not.toContain('unknown flag');
    }
    expect(help).toContain('--help, -h');
  });
});

function silentEnv(): CliEnvironment {
  return {
    writeOut: () => undefined,
    writeErr: () => undefined,
    readFile: () => Promise.resolve(''),
    waitForStop: () => Promise.resolve('SIGTERM'),
    pid: 1,
    logger: silentLogger,
  };
}

describe('parseDuration', () => {
  it('reads ms, s, m and h, decimals included, and 0', () => {
    expect(parseDuration('--d', '500ms')).toBe(500);
    expect(parseDuration('--d', '30s')).toBe(30_000);
    expect(parseDuration('--d', '2m')).toBe(120_000);
    expect(parseDuration('--d', '1h')).toBe(3_600_000);
    expect(parseDuration('--d', '0.25s')).toBe(250);
    expect(parseDuration('--d', '0')).toBe(0);
  });

  it('wants a unit and a sane size', () => {
    expect(() => parseDuration('--d', '10')).toThrow('--d: "10" is not a duration');
    expect(() => parseDuration('--d', '-1s')).toThrow(InvalidMockOptionError);
    expect(() => parseDuration('--d', '5 days')).toThrow(InvalidMockOptionError);
    expect(() => parseDuration('--d', `${'9'.repeat(20)}h`)).toThrow('--d: is too long');
  });
});

describe('parseUsers', () => {
  it('splits user:token pairs at the first colon', () => {
    expect(parseUsers('admin@e6data.local:e6-mock-token')).toEqual([{ user: 'admin@e6data.local', token: 'e6-mock-token' }]);
    expect(parseUsers('a:b:c, d :e')).toEqual([
      { user: 'a', token: 'b:c' },
      { user: 'd', token: 'e' },
    ]);
  });

  it('refuses malformed entries without echoing them (they hold tokens)', () => {
    for (const bad of ['secret-token', ':tok', 'user:', 'a:1,,b:2']) {
      let message = '';
      try {
        parseUsers(bad);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toBe('--users: each entry must be user:token (neither part empty)');
    }
    expect(() => parseUsers('a:1,a:2')).toThrow('--users: names a user more than once');
  });
});

describe('parseEngineAddresses', () => {
  it('wants both deployments, each once, with a real port', () => {
    expect(parseEngineAddresses('green=10.0.0.2:81,blue=10.0.0.1:80')).toEqual({
      blue: { host: '10.0.0.1', port: 80 },
      green: { host: '10.0.0.2', port: 81 },
    });
    expect(() => parseEngineAddresses('blue=h:1')).toThrow('--engines: must name both blue and green');
    expect(() => parseEngineAddresses('blue=h:1,blue=h:2')).toThrow('--engines: names blue twice');
    expect(() => parseEngineAddresses('red=h:1,green=h:2')).toThrow('--engines: entries must look like blue=127.0.0.1:4001 (got "red=h:1")');
    expect(() => parseEngineAddresses('blue=h,green=h:2')).toThrow('--engines: blue needs host:port');
    expect(() => parseEngineAddresses('blue=h:0,green=h:2')).toThrow('--engines: blue needs a real port, not 0');
    expect(() => parseEngineAddresses('blue=h:1=2,green=h:2')).toThrow(InvalidMockOptionError);
  });
});

describe('runCli', () => {
  function fakeEnv(overrides: Partial<CliEnvironment> = {}): CliEnvironment & { out: string[]; err: string[]; closed: number } {
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      out,
      err,
      closed: 0,
      writeOut: (text: string) => out.push(text),
      writeErr: (text: string) => err.push(text),
      readFile: (path: string) => Promise.resolve(`-- ${path}`),
      waitForStop: () => Promise.resolve('SIGTERM'),
      pid: 4242,
      logger: silentLogger,
      startRole: jest.fn((_options: CliRunOptions, deps: { initSql: readonly string[] }) =>
        Promise.resolve({
          ready: { event: 'ready', role: 'cluster', port: 1, initSql: deps.initSql },
          banner: 'BANNER',
          close: () => {
            env.closed += 1;
            return Promise.resolve();
          },
        }),
      ),
      ...overrides,
    };
    return env;
  }

  it('prints help and exits 0', async () => {
    const env = fakeEnv();
    await expect(runCli(['--help'], env)).resolves.toBe(0);
    expect(env.out.join('')).toContain('Usage:');
    expect(env.out.join('')).toContain('--switch-every DUR');
  });

  it('exits 2 with a clear message on a bad flag', async () => {
    const env = fakeEnv();
    await expect(runCli(['--bogus'], env)).resolves.toBe(2);
    expect(env.err.join('')).toBe('e6-mock-engine: --bogus: unknown flag\nRun e6-mock-engine --help for the flags.\n');
    expect(env.startRole).not.toHaveBeenCalled();
  });

  it('starts the role, prints the banner, stops on a signal and closes everything', async () => {
    const env = fakeEnv();
    await expect(runCli(['--init-sql', 'a.sql', '--init-sql', 'b.sql'], env)).resolves.toBe(0);
    expect(env.out).toEqual(['BANNER\n']);
    expect(env.closed).toBe(1);
    expect(env.startRole).toHaveBeenCalledWith(expect.objectContaining({ role: 'cluster' }), expect.objectContaining({ initSql: ['-- a.sql', '-- b.sql'], pid: 4242 }));
  });

  it('prints JSON ready and stopped lines with --json', async () => {
    const env = fakeEnv();
    await expect(runCli(['--json'], env)).resolves.toBe(0);
    expect(env.out.map((line) => JSON.parse(line) as unknown)).toEqual([
      { event: 'ready', role: 'cluster', port: 1, initSql: [] },
      { event: 'stopped', role: 'cluster', reason: 'SIGTERM' },
    ]);
  });

  it('exits 1 when an --init-sql file cannot be read, naming the file', async () => {
    const env = fakeEnv({ readFile: () => Promise.reject(new Error('ENOENT: no such file')) });
    await expect(runCli(['--init-sql', 'missing.sql', '--json'], env)).resolves.toBe(1);
    expect(env.err.join('')).toBe('e6-mock-engine: could not start the cluster: --init-sql: cannot read missing.sql: ENOENT: no such file\n');
    expect(JSON.parse(env.out[0] ?? '')).toEqual({ event: 'failed', role: 'cluster', error: '--init-sql: cannot read missing.sql: ENOENT: no such file' });
  });

  it('exits 1 when the role fails to start', async () => {
    const env = fakeEnv({ startRole: () => Promise.reject(new Error('listen EADDRINUSE 127.0.0.1:50051')) });
    await expect(runCli(['--port', '50051'], env)).resolves.toBe(1);
    expect(env.err.join('')).toBe('e6-mock-engine: could not start the cluster: listen EADDRINUSE 127.0.0.1:50051\n');
  });

  it('names the part that could not listen and the flag to change', async () => {
    const cases: Array<[string[], Error, string]> = [
      [['--admin-port', '9000'], new ListenError('admin API', '127.0.0.1', 9000, Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' })), 'the admin API cannot listen on 127.0.0.1:9000: port 9000 is already in use (--admin-port)'],
      [['--admin-host', '192.0.2.1'], new ListenError('admin API', '192.0.2.1', 0, Object.assign(new Error('listen EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' })), 'the admin API cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine (--admin-host)'],
      [['--port', '9001'], new ListenError('gateway', '127.0.0.1', 9001, Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' })), 'the gateway cannot listen on 127.0.0.1:9001: port 9001 is already in use (--port)'],
      [
        ['--host', '192.0.2.1'],
        new EngineError('INVALID_OPTION', 'deployment blue cannot listen on 192.0.2.1:0: No address added out of total 1 resolved errors: [listen EADDRNOTAVAIL: address not available 192.0.2.1]'),
        'the blue engine cannot listen on 192.0.2.1:0: 192.0.2.1 is not an address of this machine (--host)',
      ],
      [
        ['--role', 'engine', '--name', 'green', '--port', '4001'],
        new EngineError('INVALID_OPTION', 'deployment green cannot listen on 127.0.0.1:4001: No address added out of total 1 resolved errors: [listen EADDRINUSE: address already in use 127.0.0.1:4001]'),
        'the green engine cannot listen on 127.0.0.1:4001: port 4001 is already in use (--port)',
      ],
    ];
    for (const [argv, error, reason] of cases) {
      const env = fakeEnv({ startRole: () => Promise.reject(error) });
      await expect(runCli(argv, env)).resolves.toBe(1);
      const role = argv.includes('engine') ? 'engine' : 'cluster';
      expect(env.err.join('')).toBe(`e6-mock-engine: could not start the ${role}: ${reason}\n`);
    }
  });

  it('names the --init-sql file that failed, with the database\'s message on one line', async () => {
    const failure = new EngineError('INIT_SQL_FAILED', 'initSql script 2 failed: Parser Error: syntax error at or near "SELEC"\n\nLINE 1: SELEC 1;\n        ^');
    const cluster = fakeEnv({ startRole: () => Promise.reject(new MockClusterError('LAUNCH_FAILED', `the mock engines could not start: ${failure.message}`)) });
    await expect(runCli(['--init-sql', 'a.sql', '--init-sql', 'data/b.sql'], cluster)).resolves.toBe(1);
    expect(cluster.err.join('')).toBe(
      'e6-mock-engine: could not start the cluster: --init-sql data/b.sql failed: Parser Error: syntax error at or near "SELEC" LINE 1: SELEC 1; ^\n',
    );
    const engine = fakeEnv({ startRole: () => Promise.reject(failure) });
    await expect(runCli(['--role', 'engine', '--name', 'blue', '--init-sql', 'a.sql', '--init-sql', 'b.sql'], engine)).resolves.toBe(1);
    expect(engine.err.join('')).toMatch(/^e6-mock-engine: could not start the engine: --init-sql b\.sql failed: Parser Error: [^\n]+\^\n$/);
  });

  it('reads no --init-sql for the gateway role', async () => {
    const readFile = jest.fn(() => Promise.resolve(''));
    const env = fakeEnv({ readFile });
    await expect(runCli(['--role', 'gateway', '--engines', 'blue=h:1,green=h:2'], env)).resolves.toBe(0);
    expect(readFile).not.toHaveBeenCalled();
  });
});

describe('consoleLogger (what the CLI logs through)', () => {
  it('writes one line per event to stderr, leaving stdout to the ready line', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const logger = consoleLogger('e6-mock-engine 7');
      logger.info('phase announce(green)', { deploymentId: 1 });
      logger.warn('connection to blue engine failed');
      logger.error('admin request failed', { url: '/x' });
    } finally {
      spy.mockRestore();
    }
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z info {2}\[e6-mock-engine 7\] phase announce\(green\) \{"deploymentId":1\}\n$/);
    expect(written[1]).toMatch(/ warn {2}\[e6-mock-engine 7\] connection to blue engine failed\n$/);
    expect(written[2]).toMatch(/ error \[e6-mock-engine 7\] admin request failed \{"url":"\/x"\}\n$/);
  });
});
