// connect()'s options: every mistake is a ConfigurationError that names the
// field (with a did-you-mean for a misspelt name), raised before anything is
// sent, and never quotes a secret.
import { ConfigurationError, connect, type ConnectOptions } from '@e6data-ts/connector';
import { rejectionOf } from '../../support/expected-error';
import { useTestEnvironment } from '../../support/test-environment';

const PASSWORD = 'Hunter2-Secret-Value';

describe('connect options', () => {
  const env = useTestEnvironment();

  /** connect() with the plan's settings, `password` as the secret, `change` applied; must fail. */
  async function misconfigured(change: (o: Record<string, unknown>) => void): Promise<ConfigurationError> {
    const options: Record<string, unknown> = { ...env().connectOptions({ password: PASSWORD }) };
    change(options);
    const err = await rejectionOf(connect(options as unknown as ConnectOptions, env().runtime), ConfigurationError);
    expect(err).toMatchObject({ code: 'INVALID_CONFIGURATION', stage: 'not-sent' });
    for (const text of [err.message, String(err.stack), JSON.stringify(err)]) expect(text).not.toContain(PASSWORD);
    // Raised before a client was even built.
    expect(env().engine.clients).toHaveLength(0);
    return err;
  }

  test.each<[string, (o: Record<string, unknown>) => void, string, RegExp]>([
    ['missing host', (o) => delete o.host, 'host', /host must be a string/],
    ['blank host', (o) => (o.host = '  '), 'host', /host must not be empty/],
    ['port 0', (o) => (o.port = 0), 'port', /port must be an integer from 1 to 65535, got 0/],
    ['port 65536', (o) => (o.port = 65_536), 'port', /got 65536/],
    ['port not an integer', (o) => (o.port = 80.5), 'port', /got 80.5/],
    ['port as a string', (o) => (o.port = '443'), 'port', /got "443"/],
    ['empty username', (o) => (o.username = ''), 'username', /username must not be empty/],
    ['missing password', (o) => delete o.password, 'password', /password is required/],
    ['empty password', (o) => (o.password = ''), 'password', /password must not be empty/],
    ['password not a string', (o) => (o.password = 12345), 'password', /password must be a string$/],
    ['negative prepare timeout', (o) => (o.timeouts = { prepareMs: -5 }), 'timeouts.prepareMs', /timeouts.prepareMs must be a positive/],
    ['zero connect timeout', (o) => (o.timeouts = { connectMs: 0 }), 'timeouts.connectMs', /got 0/],
    ['infinite fetch timeout', (o) => (o.timeouts = { fetchMs: Infinity }), 'timeouts.fetchMs', /got Infinity/],
    ['timeouts not an object', (o) => (o.timeouts = 5), 'timeouts', /timeouts must be an object/],
    ['misspelt timeout', (o) => (o.timeouts = { prepareMS: 5 }), 'timeouts.prepareMS', /did you mean "timeouts.prepareMs"/],
    ['negative cutover hold', (o) => (o.cutoverHoldMs = -1), 'cutoverHoldMs', /cutoverHoldMs must be a finite number/],
    ['retry attempts 0', (o) => (o.retry = { maxAttempts: 0 }), 'retry.maxAttempts', /from 1 to 100/],
    ['autoResume as a string', (o) => (o.autoResume = 'yes'), 'autoResume', /true or false/],
    ['int64 mode unknown', (o) => (o.int64 = 'float'), 'int64', /'bigint', 'number' or 'string'/],
    ['caCert without TLS', (o) => ((o.caCert = 'ca.pem'), (o.secure = false)), 'caCert', /secure is false/],
  ])('%s', async (_name, change, option, message) => {
    const err = await misconfigured(change);
    expect(err.option).toBe(option);
    expect(err.message).toMatch(message);
  });

  test('an unknown option gets a did-you-mean: `pasword` -> "password", and its value is never quoted', async () => {
    const err = await misconfigured((o) => {
      delete o.password;
      o.pasword = PASSWORD;
    });
    expect(err.option).toBe('pasword');
    expect(err.message).toBe('unknown option "pasword" (did you mean "password"?)');
  });

  test('an unknown option with no near name: no suggestion', async () => {
    const err = await misconfigured((o) => (o.frobnicate = true));
    expect(err.message).toBe('unknown option "frobnicate"');
  });

  test('options that are not an object', async () => {
    const err = await rejectionOf(connect(null as unknown as ConnectOptions, env().runtime), ConfigurationError);
    expect(err.option).toBe('options');
  });

  test('a bad per-call timeoutMs or signal: ConfigurationError naming it, nothing sent', async () => {
    const { engine } = env();
    const connection = await env().connect();
    const before = engine.calls.length;
    const timeout = await rejectionOf(connection.query('SELECT 1', undefined, { timeoutMs: 0 }), ConfigurationError);
    expect(timeout.option).toBe('timeoutMs');
    const signal = await rejectionOf(connection.getSchemaNames({ signal: {} as AbortSignal }), ConfigurationError);
    expect(signal.option).toBe('signal');
    expect(engine.calls.length).toBe(before);
  });

  test('defaults: port 80, per-kind deadlines (prepare 10 minutes, every other call finite)', async () => {
    const { engine } = env();
    const options = env().connectOptions();
    delete (options as { port?: number }).port;
    const connection = await connect(options, env().runtime);
    const started = Date.now();
    await connection.query('SELECT 1');
    await connection.getSchemaNames();
    await connection.close();
    const remaining = (method: Parameters<typeof engine.callsOf>[0]): number => engine.callsOf(method)[0]!.deadline! - started;
    // Wide margins: deadlines are absolute, read a few milliseconds apart.
    expect(remaining('prepareStatementV2')).toBeGreaterThan(590_000);
    expect(remaining('prepareStatementV2')).toBeLessThanOrEqual(600_000 + 1_000);
    expect(remaining('authenticate')).toBeLessThanOrEqual(30_000 + 1_000);
    expect(remaining('getSchemaNamesV2')).toBeLessThanOrEqual(60_000 + 1_000);
    for (const call of engine.calls) expect(Number.isFinite(call.deadline)).toBe(true);
    expect(connection.endpoint).toMatch(/^localhost:80\b/);
  });
});
