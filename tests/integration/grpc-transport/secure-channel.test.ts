// TLS channels against a grpc-js server with a self-signed certificate made at
// test time with openssl: the CA given as bytes and as a path is trusted; the
// system CAs alone are not; a plaintext client cannot talk to a TLS server.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnavailableError, createEngineClient, grpc, type EngineClient } from '@e6data-ts/grpc-transport';
import { startGrpcServer, type RunningServer } from './servers';

const opensslAvailable = spawnSync('openssl', ['version']).status === 0;
const describeTls = opensslAvailable ? describe : describe.skip;

describeTls(opensslAvailable ? 'secure channel' : 'secure channel (skipped: openssl is not installed, so no certificate can be made)', () => {
  let dir: string;
  let certPath: string;
  let cert: Buffer;
  let server: RunningServer;
  const clients: EngineClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'e6-tls-'));
    certPath = join(dir, 'cert.pem');
    const keyPath = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(certPath);
    server = await startGrpcServer({
      engine: { healthCheck: (_call, callback) => callback(null, {}) },
      credentials: grpc.ServerCredentials.createSsl(null, [{ cert_chain: cert, private_key: readFileSync(keyPath) }], false),
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });
  const open = (options: Partial<Parameters<typeof createEngineClient>[0]>): EngineClient => {
    // Dial the IP but verify the name: Node deprecates an IP address as TLS server name.
    const channelOptions = { 'grpc.ssl_target_name_override': 'localhost' };
    const client = createEngineClient({ host: '127.0.0.1', port: server.port, channelOptions, ...options });
    clients.push(client);
    return client;
  };

  it('trusts a CA given as PEM bytes', async () => {
    await expect(open({ secure: true, caCert: cert }).healthCheck({}, { timeoutMs: 5_000 })).resolves.toEqual({});
  });

  it('trusts a CA given as a path', async () => {
    await expect(open({ secure: true, caCert: certPath }).healthCheck({}, { timeoutMs: 5_000 })).resolves.toEqual({});
  });

  it('with the system CAs only, the self-signed server is refused before any call is sent', async () => {
    const failure = await open({ secure: true }).healthCheck({}, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnavailableError);
    expect(failure).toMatchObject({ grpcCode: grpc.status.UNAVAILABLE, kind: 'transient', ambiguous: false });
  });

  it('a plaintext client cannot talk to the TLS server', async () => {
    const failure = await open({}).healthCheck({}, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'transient' });
  });
});
