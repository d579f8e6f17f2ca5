// Client options without the network: channel option mapping and defaults,
// credentials, validation, and the calls that must fail before anything is
// sent (already-aborted signal, closed client, bad per-call options).
// grpc-js connects lazily, so creating a client here opens no socket.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CallAbortedError,
  ClientClosedError,
  DEFAULT_EXECUTE_TIMEOUT_MS,
  DEFAULT_KEEPALIVE_MS,
  DEFAULT_KEEPALIVE_TIMEOUT_MS,
  DEFAULT_MAX_RECEIVE_MESSAGE_BYTES,
  DEFAULT_MAX_SEND_MESSAGE_BYTES,
  PREPARE_TIMEOUT_OPTION,
  DEFAULT_PREPARE_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  ENGINE_METHOD_NAMES,
  InvalidOptionError,
  REFERENCE_OPTION_NAMES,
  createClusterClient,
  createEngineClient,
  resolveChannelOptions,
  type EngineClient,
} from '@e6data-ts/grpc-transport';

// A self-signed certificate (EC P-256), only ever parsed here.
const TEST_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBkzCCATmgAwIBAgIUL+2pyEffCElc5VAFv5M6A6aCfMYwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTZTZkYXRhLXRzLXVuaXQtdGVzdDAgFw0yNjExMjQxNDA3Mjla
GA8yMTI2MTAzMTE0MDcyOVowHjEcMBoGA1UEAwwTZTZkYXRhLXRzLXVuaXQtdGVz
dDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABDgFZ4BPmI1l7rn9fv63FNAsXFGX
spul4UOyerOdcdON4dygAWlcanGVbK/QM/rFnmtC1lD3Pm2crixHEuepVAWjUzBR
MB0GA1UdDgQWBBQyV/tAkZGUwn2R6KgIeq0nh2GgKzAfBgNVHSMEGDAWgBQyV/tA
kZGUwn2R6KgIeq0nh2GgKzAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gA
MEUCIFZ+/9F9bcvCPuopKXg4oWuXpfOvNYBNolmK8IIJs9SGAiEA6pki/drkSNV6
MqoqhS+qwNSPbbenUGeO5WSkhim5BAA=
-----END CERTIFICATE-----
`;

function thrown(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidOptionError);
    return err as InvalidOptionError;
  }
  throw new Error('expected an InvalidOptionError');
}

describe('resolveChannelOptions', () => {
  it('sets explicit defaults: 256 MB receive, 64 MB send, keepalive every 5 minutes, no pings without calls', () => {
    expect(resolveChannelOptions()).toEqual({
      channelOptions: {
        'grpc.max_receive_message_length': 256 * 1024 * 1024,
        'grpc.max_send_message_length': 64 * 1024 * 1024,
        'grpc.keepalive_time_ms': 300_000,
        'grpc.keepalive_timeout_ms': 20_000,
        'grpc.keepalive_permit_without_calls': 0,
      },
      inert: [],
    });
    // Well above grpc-js's own 4 MB receive limit.
    expect(DEFAULT_MAX_RECEIVE_MESSAGE_BYTES).toBeGreaterThan(4 * 1024 * 1024);
    // grpc-core and grpc-java servers refuse pings more often than every 5 minutes by default.
    expect(DEFAULT_KEEPALIVE_MS).toBeGreaterThanOrEqual(5 * 60 * 1000);
    expect([DEFAULT_MAX_RECEIVE_MESSAGE_BYTES, DEFAULT_MAX_SEND_MESSAGE_BYTES, DEFAULT_KEEPALIVE_MS, DEFAULT_KEEPALIVE_TIMEOUT_MS]).toEqual([
      268_435_456, 67_108_864, 300_000, 20_000,
    ]);
  });

  it("maps every one of the reference client's grpc_options names to its grpc key", () => {
    const reference = {
      keepalive_timeout_ms: 900_000,
      keepalive_time_ms: 600_000,
      keepalive_permit_without_calls: 1,
      max_receive_message_length: -1,
      max_send_message_length: 300 * 1024 * 1024,
      'http2.max_pings_without_data': 0,
      'http2.min_time_between_pings_ms': 15_000,
      'http2.min_ping_interval_without_data_ms': 15_000,
      grpc_prepare_timeout: 600,
    };
    const resolved = resolveChannelOptions({ channelOptions: reference });
    expect(resolved.channelOptions).toEqual({
      'grpc.keepalive_timeout_ms': 900_000,
      'grpc.keepalive_time_ms': 600_000,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.max_receive_message_length': -1,
      'grpc.max_send_message_length': 300 * 1024 * 1024,
      'grpc.http2.max_pings_without_data': 0,
      'grpc.http2.min_time_between_pings_ms': 15_000,
      'grpc.http2.min_ping_interval_without_data_ms': 15_000,
    });
    expect(resolved.prepareTimeoutMs).toBe(600_000);
    expect(PREPARE_TIMEOUT_OPTION).toBe('grpc_prepare_timeout');
    // grpc-js has no equivalent of grpc-core's ping policy: accepted, but said to be inert.
    expect(resolved.inert).toEqual(['http2.max_pings_without_data', 'http2.min_time_between_pings_ms', 'http2.min_ping_interval_without_data_ms']);
    expect(Object.keys(REFERENCE_OPTION_NAMES)).toHaveLength(8);
  });

  it('accepts grpc-js keys as they are, and the reference values as Python would give them (booleans, numeric strings)', () => {
    const resolved = resolveChannelOptions({
      channelOptions: {
        'grpc.keepalive_time_ms': '400000',
        keepalive_permit_without_calls: true,
        'grpc.enable_retries': false,
        'grpc.primary_user_agent': 'e6data-ts',
        'grpc.http2.max_pings_without_data': 2,
        grpc_prepare_timeout: '1.5',
      },
    });
    expect(resolved.channelOptions).toMatchObject({
      'grpc.keepalive_time_ms': 400_000,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.enable_retries': 0,
      'grpc.primary_user_agent': 'e6data-ts',
    });
    expect(resolved.prepareTimeoutMs).toBe(1_500);
    expect(resolved.inert).toEqual(['grpc.http2.max_pings_without_data']);
  });

  it('the typed options override the defaults', () => {
    const { channelOptions } = resolveChannelOptions({ maxReceiveMessageBytes: 1024, maxSendMessageBytes: 2048, keepaliveMs: 600_000, keepaliveTimeoutMs: 5_000 });
    expect(channelOptions).toMatchObject({
      'grpc.max_receive_message_length': 1024,
      'grpc.max_send_message_length': 2048,
      'grpc.keepalive_time_ms': 600_000,
      'grpc.keepalive_timeout_ms': 5_000,
    });
  });

  it('the same setting given twice with different values is an error naming both', () => {
    const err = thrown(() => resolveChannelOptions({ channelOptions: { keepalive_time_ms: 30_000 }, keepaliveMs: 600_000 }));
    expect(err.message).toBe("option keepaliveMs (600000) conflicts with channelOptions['keepalive_time_ms'] (30000)");
    expect(err.option).toBe('keepaliveMs');
    thrown(() => resolveChannelOptions({ channelOptions: { max_receive_message_length: 1, 'grpc.max_receive_message_length': 2 } }));
  });

  it('the same setting given twice with the same value is fine', () => {
    expect(resolveChannelOptions({ channelOptions: { keepalive_time_ms: 400_000 }, keepaliveMs: 400_000 }).channelOptions['grpc.keepalive_time_ms']).toBe(400_000);
  });

  it.each([
    ['keepalive_tme_ms', 'keepalive_time_ms'],
    ['max_recieve_message_length', 'max_receive_message_length'],
    ['grpc.keepalive_time', 'grpc.keepalive_time_ms'],
    ['grpc_prepare_timout', 'grpc_prepare_timeout'],
  ])('an unknown option %p is a typed error that suggests %p', (name, suggestion) => {
    const err = thrown(() => resolveChannelOptions({ channelOptions: { [name]: 1 } }));
    expect(err.option).toBe(name);
    expect(err.message).toBe(`unknown channel option "${name}"; did you mean "${suggestion}"?`);
    expect(err.code).toBe('INVALID_OPTION');
  });

  it('an unknown option nothing resembles gets no suggestion', () => {
    expect(thrown(() => resolveChannelOptions({ channelOptions: { frobnicate: 1 } })).message).toBe('unknown channel option "frobnicate"');
  });

  it.each([
    [{ keepalive_time_ms: 'soon' }, 'channel option "keepalive_time_ms" must be an integer, got "soon"'],
    [{ keepalive_time_ms: 1.5 }, 'channel option "keepalive_time_ms" must be an integer, got 1.5'],
    [{ keepalive_time_ms: 0 }, 'channel option "keepalive_time_ms" must be a positive number of milliseconds, got 0'],
    [{ keepalive_timeout_ms: -10 }, 'channel option "keepalive_timeout_ms" must be a positive number of milliseconds, got -10'],
    [{ max_receive_message_length: -2 }, 'channel option "max_receive_message_length" must be a byte count or -1 (unlimited), got -2'],
    [{ 'grpc.primary_user_agent': 5 }, 'channel option "grpc.primary_user_agent" must be a string, got number'],
    [{ grpc_prepare_timeout: 0 }, 'channel option "grpc_prepare_timeout" must be a positive number of seconds, got 0'],
    [{ grpc_prepare_timeout: 'later' }, 'channel option "grpc_prepare_timeout" must be a positive number of seconds, got "later"'],
    [{ 'grpc.max_concurrent_streams': Number.POSITIVE_INFINITY }, 'channel option "grpc.max_concurrent_streams" must be an integer, got Infinity'],
  ])('refuses %p', (channelOptions, message) => {
    expect(thrown(() => resolveChannelOptions({ channelOptions })).message).toBe(message);
  });

  it('refuses a bad typed option, naming it', () => {
    const err = thrown(() => resolveChannelOptions({ maxReceiveMessageBytes: 10.5 }));
    expect(err.option).toBe('maxReceiveMessageBytes');
  });
});

describe('createEngineClient', () => {
  const clients: { close(): void }[] = [];
  const track = <T extends { close(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'e6-ca-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a typed method for every QueryEngineService method, the cluster calls, and close', () => {
    const client = track(createEngineClient({ host: '127.0.0.1', port: 50051 }));
    for (const method of ENGINE_METHOD_NAMES) expect(typeof client[method]).toBe('function');
    expect(Object.keys(client.cluster).sort()).toEqual(['resume', 'status', 'suspend']);
    expect(client.target).toBe('127.0.0.1:50051');
    expect(client.closed).toBe(false);
  });

  it('defaults every call to a deadline: 60 s, prepare and execute 600 s', () => {
    const { settings } = track(createEngineClient({ host: 'h', port: 1 }));
    expect(settings).toMatchObject({ defaultTimeoutMs: 60_000, prepareTimeoutMs: 600_000, executeTimeoutMs: 600_000, secure: false, inertOptions: [] });
    expect([DEFAULT_TIMEOUT_MS, DEFAULT_PREPARE_TIMEOUT_MS, DEFAULT_EXECUTE_TIMEOUT_MS]).toEqual([60_000, 600_000, 600_000]);
  });

  it('takes per-client deadlines, and grpc_prepare_timeout (seconds) as the prepare deadline', () => {
    const a = track(createEngineClient({ host: 'h', port: 1, defaultTimeoutMs: 5_000, prepareTimeoutMs: 7_000, executeTimeoutMs: 9_000 }));
    expect(a.settings).toMatchObject({ defaultTimeoutMs: 5_000, prepareTimeoutMs: 7_000, executeTimeoutMs: 9_000 });
    const b = track(createEngineClient({ host: 'h', port: 1, channelOptions: { grpc_prepare_timeout: 30 } }));
    expect(b.settings.prepareTimeoutMs).toBe(30_000);
    const c = track(createEngineClient({ host: 'h', port: 1, channelOptions: { grpc_prepare_timeout: 30 }, prepareTimeoutMs: 30_000 }));
    expect(c.settings.prepareTimeoutMs).toBe(30_000);
  });

  it('refuses a prepare deadline given two ways with different values', () => {
    const err = thrown(() => createEngineClient({ host: 'h', port: 1, channelOptions: { grpc_prepare_timeout: 30 }, prepareTimeoutMs: 1_000 }));
    expect(err.message).toBe("option prepareTimeoutMs (1000) conflicts with channelOptions['grpc_prepare_timeout'] (30 s)");
  });

  it.each([
    [{ host: '', port: 1 }, 'host', 'host must be a non-empty string'],
    [{ host: '  ', port: 1 }, 'host', 'host must be a non-empty string'],
    [{ host: 'h', port: 0 }, 'port', 'port must be an integer from 1 to 65535, got 0'],
    [{ host: 'h', port: 70_000 }, 'port', 'port must be an integer from 1 to 65535, got 70000'],
    [{ host: 'h', port: 80.5 }, 'port', 'port must be an integer from 1 to 65535, got 80.5'],
    [{ host: 'h', port: 80, defaultTimeoutMs: 0 }, 'defaultTimeoutMs', 'defaultTimeoutMs must be a positive number of milliseconds, got 0'],
    [{ host: 'h', port: 80, executeTimeoutMs: Number.NaN }, 'executeTimeoutMs', 'executeTimeoutMs must be a positive number of milliseconds, got NaN'],
  ])('refuses %p', (options, option, message) => {
    const err = thrown(() => createEngineClient(options));
    expect([err.option, err.message]).toEqual([option, message]);
  });

  it('brackets an IPv6 host in the target', () => {
    expect(track(createEngineClient({ host: '::1', port: 443 })).target).toBe('[::1]:443');
    expect(track(createEngineClient({ host: '[::1]', port: 443 })).target).toBe('[::1]:443');
  });

  it('secure channels accept the CA as PEM bytes, a PEM string, or a path; caCert alone implies TLS', () => {
    const path = join(dir, 'ca.pem');
    writeFileSync(path, TEST_CA_PEM);
    expect(track(createEngineClient({ host: 'h', port: 443, secure: true, caCert: Buffer.from(TEST_CA_PEM) })).settings.secure).toBe(true);
    expect(track(createEngineClient({ host: 'h', port: 443, secure: true, caCert: TEST_CA_PEM })).settings.secure).toBe(true);
    expect(track(createEngineClient({ host: 'h', port: 443, caCert: path })).settings.secure).toBe(true);
    expect(track(createEngineClient({ host: 'h', port: 443, secure: true })).settings.secure).toBe(true);
  });

  it('an unreadable CA path is a clear typed error naming the path', () => {
    const missing = join(dir, 'missing.pem');
    const err = thrown(() => createEngineClient({ host: 'h', port: 443, secure: true, caCert: missing }));
    expect(err.option).toBe('caCert');
    expect(err.message).toBe(`cannot read the CA certificate file "${missing}" (ENOENT)`);
    expect((err.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('a CA file that is not a certificate is refused when the client is created', () => {
    const path = join(dir, 'not-a-cert.pem');
    writeFileSync(path, 'hello');
    expect(thrown(() => createEngineClient({ host: 'h', port: 443, caCert: path })).message).toMatch(/^caCert is not a PEM certificate/);
    expect(thrown(() => createEngineClient({ host: 'h', port: 443, caCert: Buffer.from('-----BEGIN CERTIFICATE-----\nnope\n') })).option).toBe('caCert');
  });

  it('refuses an empty CA and a CA on a plaintext channel', () => {
    expect(thrown(() => createEngineClient({ host: 'h', port: 443, caCert: Buffer.alloc(0) })).message).toBe('caCert is empty');
    expect(thrown(() => createEngineClient({ host: 'h', port: 443, caCert: ' ' })).message).toBe('caCert is empty');
    expect(thrown(() => createEngineClient({ host: 'h', port: 80, secure: false, caCert: TEST_CA_PEM })).message).toMatch(/caCert is given but secure is false/);
  });

  it('lists the inert options it accepted', () => {
    const client = track(createEngineClient({ host: 'h', port: 1, channelOptions: { 'http2.min_time_between_pings_ms': 10_000 } }));
    expect(client.settings.inertOptions).toEqual(['http2.min_time_between_pings_ms']);
  });
});

describe('calls that never reach the wire', () => {
  let client: EngineClient;
  beforeEach(() => {
    client = createEngineClient({ host: '127.0.0.1', port: 50051 });
  });
  afterEach(() => {
    client.close();
  });

  it('an already-aborted signal never sends: a typed abort error with the reason', async () => {
    const reason = new Error('not any more');
    const failure = await client.healthCheck({}, { signal: AbortSignal.abort(reason) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CallAbortedError);
    expect(failure).toMatchObject({ reason, method: 'healthCheck', kind: 'fatal', message: 'healthCheck: aborted (not any more)' });
  });

  it('the cluster calls honour an already-aborted signal too', async () => {
    await expect(client.cluster.status({ user: 'u', password: 'p' }, { signal: AbortSignal.abort('x') })).rejects.toMatchObject({
      name: 'CallAbortedError',
      method: 'ClusterService.status',
    });
  });

  it.each([
    [{ timeoutMs: -1 }, 'timeoutMs must be a finite number of milliseconds >= 0, got -1'],
    [{ timeoutMs: Number.POSITIVE_INFINITY }, 'timeoutMs must be a finite number of milliseconds >= 0, got Infinity'],
    [{ deadline: new Date(Number.NaN) }, 'deadline must be a valid Date or epoch milliseconds'],
    [{ deadline: Number.NaN }, 'deadline must be a valid Date or epoch milliseconds'],
  ])('refuses call options %p before sending', async (callOptions, message) => {
    await expect(client.status({ engineIP: 'e', sessionId: 's', queryId: 'q' }, callOptions)).rejects.toMatchObject({
      name: 'InvalidOptionError',
      message,
    });
  });

  it('refuses a header grpc cannot send before sending', async () => {
    await expect(client.healthCheck({}, { headers: { 'Bad Header': 'x' } })).rejects.toBeInstanceOf(InvalidOptionError);
  });

  it('after close() every call rejects with ClientClosedError; close is idempotent', async () => {
    client.close();
    client.close();
    expect(client.closed).toBe(true);
    await expect(client.healthCheck({})).rejects.toBeInstanceOf(ClientClosedError);
    await expect(client.cluster.resume({ user: 'u', password: 'p' })).rejects.toMatchObject({
      message: 'ClusterService.resume: the client for 127.0.0.1:50051 is closed',
    });
  });
});

describe('createClusterClient', () => {
  it('has status, resume and suspend, validates like the engine client, and closes', async () => {
    const cluster = createClusterClient({ host: 'localhost', port: 9000 });
    try {
      expect([typeof cluster.status, typeof cluster.resume, typeof cluster.suspend]).toEqual(['function', 'function', 'function']);
      expect(cluster.target).toBe('localhost:9000');
      await expect(cluster.suspend({ user: 'u', password: 'p' }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CallAbortedError);
    } finally {
      cluster.close();
      cluster.close();
    }
    expect(cluster.closed).toBe(true);
    await expect(cluster.status({ user: 'u', password: 'p' })).rejects.toBeInstanceOf(ClientClosedError);
    expect(() => createClusterClient({ host: 'h', port: -1 })).toThrow(InvalidOptionError);
  });
});
