// The README shows one run of examples/query-mock-cluster.ts against a cluster
// whose getNextResultBatch fails twice: this runs the example as its own
// process in that situation and checks it prints exactly those lines.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AdminClient, startMockCluster, type MockCluster } from '@e6data-ts/mock-engine';
import { REPO_ROOT } from './support/mock-cluster-runtime';

const TSX_CLI = require.resolve('tsx/cli');
const SQL = 'SELECT COUNT(*) AS n, MIN(col_date) AS first_day FROM mock_table';

let cluster: MockCluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('examples/query-mock-cluster.ts', () => {
  it('finds the live side, retries the failed batch fetches and prints the row, as the README shows', async () => {
    cluster = await startMockCluster();
    const admin = new AdminClient(cluster.adminUrl);
    await admin.setFailPoint('getNextResultBatch', { mode: { times: 2 }, action: { grpcStatus: 14, details: 'engine restarting' } });
    await admin.deploy({ mode: 'hard' });

    const child = spawn(process.execPath, [TSX_CLI, join('examples', 'query-mock-cluster.ts'), `${cluster.host}:${cluster.port}`, SQL], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')).toEqual([
      'live deployment: green',
      'n:LONG, first_day:DATE',
      'getNextResultBatch: engine unavailable [UNAVAILABLE (14): engine restarting]; retry 1 of 3 in 100 ms',
      'getNextResultBatch: engine unavailable [UNAVAILABLE (14): engine restarting]; retry 2 of 3 in 200 ms',
      "[ 10000n, '0001-01-01' ]",
      '',
    ]);
  }, 90_000);
});
