// The gateway driven by HTTP/2 clients nobody here wrote: nghttp2's h2load and
// nghttp (Debian's nghttp2-client) and curl. A missing tool fails its test
// with the command that installs it (.ci/run installs nghttp2-client).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useMockCluster } from '../../support/mock-cluster';
import { grpcFrame } from '../../support/raw-http2';

const GRPC_HEADERS = ['content-type: application/grpc', 'te: trailers', 'strategy: blue'];

function installed(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Fails (never skips) when `tool` is missing, naming how to get it. */
function requireTool(tool: string, pkg: string): void {
  if (!installed(tool)) throw new Error(`${tool} is not installed; run: apt-get update && apt-get install -y ${pkg} (bash .ci/run does this)`);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(tool: string, args: string[], timeoutMs = 60_000): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(tool, args, { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

describe('gateway with third-party HTTP/2 clients', () => {
  const mock = useMockCluster({ mockTableRows: 20 });
  let dir: string;
  let emptyRequest: string;
  let bigRequest: string;
  let url: (method: string) => string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-peers-'));
    emptyRequest = join(dir, 'empty.bin');
    writeFileSync(emptyRequest, grpcFrame(Buffer.alloc(0)));
    // A healthCheck request of 3 MB: one field healthCheck does not know (number 99), which protobuf skips.
    const size = 3 * 1024 * 1024;
    const field = Buffer.concat([Buffer.from([0x9a, 0x06]), varint(size), Buffer.alloc(size, 1)]);
    bigRequest = join(dir, 'big.bin');
    writeFileSync(bigRequest, grpcFrame(field));
    url = (method) => `http://127.0.0.1:${mock.cluster.port}/QueryEngineService/${method}`;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => mock.cluster.resetCalls());

  it('h2load: 2,000 calls over 4 connections, 50 streams each at once, all answered OK', async () => {
    requireTool('h2load', 'nghttp2-client');
    const result = await run('h2load', ['-n', '2000', '-c', '4', '-m', '50', '-d', emptyRequest, ...GRPC_HEADERS.flatMap((h) => ['-H', h]), url('healthCheck')]);
    expect(result.stdout).toContain('2000 succeeded, 0 failed, 0 errored');
    expect(mock.cluster.calls().counts.healthCheck).toEqual({ blue: { ok: 2000 } });
  }, 120_000);

  it('h2load with a decoder table of 0: the gateway acknowledges the size (RFC 7541 section 4.2) and every call succeeds', async () => {
    requireTool('h2load', 'nghttp2-client');
    const result = await run('h2load', ['-n', '200', '-c', '2', '-m', '10', '--header-table-size=0', '-d', emptyRequest, ...GRPC_HEADERS.flatMap((h) => ['-H', h]), url('healthCheck')]);
    expect(result.stdout).toContain('200 succeeded, 0 failed, 0 errored');
  }, 120_000);

  it('nghttp: a 3 MB request body crosses the gateway and the gRPC trailers come back', async () => {
    requireTool('nghttp', 'nghttp2-client');
    const result = await run('nghttp', ['-v', '-c', '0', '-d', bigRequest, ...GRPC_HEADERS.flatMap((h) => ['-H', h]), url('healthCheck')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/grpc-status: 0/);
    expect(mock.cluster.calls().counts.healthCheck).toEqual({ blue: { ok: 1 } });
  }, 60_000);

  it('curl --http2-prior-knowledge: an early 503 ends a 64 MB upload at once rather than at curl timeout', async () => {
    requireTool('curl', 'curl');
    const huge = join(dir, 'huge.bin');
    writeFileSync(huge, Buffer.alloc(64 * 1024 * 1024));
    mock.cluster.suspend();
    try {
      const result = await run('curl', [
        '--http2-prior-knowledge', '-sS', '-o', '/dev/null', '--max-time', '30',
        '--data-binary', `@${huge}`, ...GRPC_HEADERS.flatMap((h) => ['-H', h]), url('executeStatementV2'),
      ]);
      // The RST_STREAM(NO_ERROR) after the answer stops the upload after about 1 MB: curl 7.88 then
      // reports the unfinished upload as error 92 (later curls as success with the 503); what matters
      // is that it ends now and not with 28, its own timeout.
      expect([0, 92]).toContain(result.code);
      expect(result.ms).toBeLessThan(15_000);
      expect(mock.cluster.calls().entries[0]).toMatchObject({ rpc: 'executeStatementV2', outcome: 'suspended', httpStatus: 503 });
    } finally {
      await mock.cluster.resume();
    }
  }, 60_000);
});

function varint(value: number): Buffer {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Buffer.from(out);
}
