// A user outside this repository installs the client with npm: `pnpm
// release:pack` builds the connector and the packages it needs into tarballs,
// npm installs them into a fresh folder under the system's temp directory
// (no workspace above it, the other dependencies from the npm registry), and
// a CommonJS script, an ES module and a TypeScript file use the installed
// package as a user's code would: the two scripts as their own processes,
// connecting to a mock cluster this test runs and checking a query's answer.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_USERS, startMockCluster, type MockCluster } from '@e6data-ts/mock-engine';
import { REPO_ROOT } from './support/mock-cluster-runtime';

const TSX_CLI = require.resolve('tsx/cli');
const TSC = require.resolve('typescript/bin/tsc');

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end, killing it (and failing) after `timeoutMs`. The
 * package manager's own variables (npm_*) are left out, as a user's shell has none.
 */
async function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<Finished> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearTimeout(timer));
  if (timedOut) throw new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`);
  return { code, stdout, stderr };
}

/** What both scripts print: where the package resolved from, then the query's answer. */
const QUERY_BODY = `
const [host, port, username, password] = process.argv.slice(2);
const connection = await connect({ host, port: Number(port), username, password });
try {
  const result = await connection.query('SELECT 1 AS one');
  console.log(JSON.stringify({ resolved, columns: result.columns.map((c) => c.name + ':' + c.type), rows: result.rows.map((row) => row.map(String)) }));
} finally {
  await connection.close();
}`;

const CJS_SCRIPT = `const { connect } = require('@e6data-ts/connector');
const resolved = require.resolve('@e6data-ts/connector');
(async () => {${QUERY_BODY}
})().catch((err) => { console.error(err); process.exit(1); });
`;

const ESM_SCRIPT = `import { connect } from '@e6data-ts/connector';
const resolved = new URL(import.meta.resolve('@e6data-ts/connector')).pathname;
${QUERY_BODY}
`;

// Checked with the strictest module settings a Node user has; the expected
// error proves the declarations are real types, not an `any` that accepts everything.
const TS_FILE = `import { connect, QueryLostError, type QueryResult } from '@e6data-ts/connector';
const connection = await connect({ host: '127.0.0.1', username: 'me', password: 'token' });
const result: QueryResult = await connection.query('SELECT 1');
const rowCount: number = result.rowCount;
// @ts-expect-error port is a number
await connect({ host: '127.0.0.1', port: '443', username: 'me', password: 'token' });
export { rowCount, QueryLostError };
`;

const TS_CONFIG = {
  compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false },
  files: ['check.mts'],
};

let work: string | undefined;
let cluster: MockCluster | undefined;

afterAll(async () => {
  await cluster?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the connector installed from its npm tarballs', () => {
  it('packs, installs with npm outside the workspace, and queries from CommonJS, ESM and TypeScript', async () => {
    work = mkdtempSync(join(tmpdir(), 'e6data-npm-install-'));
    const packs = join(work, 'packs');
    const app = join(work, 'app');
    mkdirSync(app);

    const packed = await run(process.execPath, [TSX_CLI, 'scripts/release-pack.ts', '--out', packs, '@e6data-ts/connector'], REPO_ROOT, 120_000);
    expect({ code: packed.code, stderr: packed.stderr }).toEqual({ code: 0, stderr: '' });
    const tarballs = readdirSync(packs).sort();
    expect(tarballs).toEqual(['e6data-ts-connector-0.1.0.tgz', 'e6data-ts-grpc-transport-0.1.0.tgz', 'e6data-ts-strategy-core-0.1.0.tgz']);

    expect((await run('npm', ['init', '-y'], app, 30_000)).code).toBe(0);
    const installed = await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs.map((file) => join(packs, file))],
      app,
      90_000,
    );
    expect({ code: installed.code, stderr: installed.stderr }).toMatchObject({ code: 0 });

    cluster = await startMockCluster();
    const user = DEFAULT_USERS[0]!;
    const target = [cluster.host, String(cluster.port), user.user, user.token];
    writeFileSync(join(app, 'query.cjs'), CJS_SCRIPT);
    writeFileSync(join(app, 'query.mjs'), ESM_SCRIPT);
    const [fromCjs, fromEsm] = await Promise.all(
      ['query.cjs', 'query.mjs'].map((script) => run(process.execPath, [script, ...target], app, 30_000)),
    );
    const installedEntry = join(app, 'node_modules', '@e6data-ts', 'connector', 'dist', 'index.js');
    for (const answer of [fromCjs!, fromEsm!]) {
      expect({ code: answer.code, stderr: answer.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(answer.stdout)).toEqual({ resolved: installedEntry, columns: ['one:INTEGER'], rows: [['1']] });
    }

    writeFileSync(join(app, 'check.mts'), TS_FILE);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TS_CONFIG));
    const typed = await run(process.execPath, [TSC, '-p', '.'], app, 60_000);
    expect({ code: typed.code, stdout: typed.stdout }).toEqual({ code: 0, stdout: '' });
  }, 240_000);
});
