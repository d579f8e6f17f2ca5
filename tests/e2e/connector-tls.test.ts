// The connector over TLS: the mock cluster's gateway serves a certificate
// made at test time with openssl, the client trusts it through `caCert`, and
// a client that trusts another CA fails at connect with an error that names
// TLS. The cluster runs as separate processes on either e2e runtime: the
// compose file has no way to hand a test's certificate to a container.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, E6DataError } from '@e6data-ts/connector';
import { launchMockClusterProcesses } from '@e6data-ts/mock-engine';
import { useConnectorSuite, within } from './support/connector-e2e';
import { REPO_ROOT } from './support/mock-cluster-runtime';

/** A self-signed certificate for localhost and 127.0.0.1, written to `dir`. */
function makeCertificate(dir: string, name: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}-key.pem`);
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', keyFile, '-out', certFile],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr || made.error?.message}`);
  return { certFile, keyFile };
}

describe('the connector over TLS (mock cluster as processes, gateway with a certificate made at test time)', () => {
  let dir: string;
  let served: { certFile: string; keyFile: string };
  let other: { certFile: string; keyFile: string };
  const suite = useConnectorSuite({
    start: async () => {
      dir = mkdtempSync(join(tmpdir(), 'e6-tls-'));
      served = makeCertificate(dir, 'gateway');
      other = makeCertificate(dir, 'stranger');
      return launchMockClusterProcesses({ cwd: REPO_ROOT, tls: served });
    },
    startTimeoutMs: 90_000,
    title: 'connector TLS scenarios:',
    afterClose: () => {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  });

  test('a client that trusts the gateway certificate (caCert as a path and as bytes) connects and queries', async () => {
    await suite.timings.time('TLS with the right CA', async () => {
      const byPath = suite.scenario.track(await within(20_000, 'connect over TLS', connect(suite.scenario.options({ host: 'localhost', secure: true, caCert: served.certFile }))));
      const byBytes = suite.scenario.track(await within(20_000, 'connect over TLS', connect(suite.scenario.options({ host: 'localhost', caCert: readFileSync(served.certFile) }))));
      await expect(byPath.query('SELECT COUNT(*) FROM mock_table')).resolves.toMatchObject({ rows: [[10_000n]] });
      await expect(byBytes.getSchemaNames()).resolves.toContain('main');
      await suite.scenario.expectNoLeaks();
    });
  }, 60_000);

  test('a client that trusts another CA fails at connect with a typed error naming TLS and the certificate', async () => {
    await suite.timings.time('TLS with a wrong CA', async () => {
      const failure = await within(
        20_000,
        'connect with a wrong CA',
        connect(suite.scenario.options({ host: 'localhost', caCert: other.certFile, timeouts: { connectMs: 5_000 } })).then(
          () => null,
          (err: unknown) => err,
        ),
      );
      expect(failure).toBeInstanceOf(E6DataError);
      const message = (failure as E6DataError).message;
      expect(message).toMatch(/TLS/);
      expect(message).toMatch(/certificate/i);
      // A plaintext client against the TLS gateway fails typed too, never hangs.
      const plaintext = await within(
        20_000,
        'a plaintext connect to a TLS gateway',
        connect(suite.scenario.options({ timeouts: { connectMs: 5_000 } })).then(
          () => null,
          (err: unknown) => err,
        ),
      );
      expect(plaintext).toBeInstanceOf(E6DataError);
      await suite.scenario.expectNoLeaks();
      return message;
    }, (message) => message.slice(0, 160));
  }, 60_000);
});
