// `pnpm mock-engine` as the README has a newcomer run it, then stop it the way a
// shell does (`kill $!`): the signal reaches only the outermost process, the
// package manager. The cluster below it must stop too and free its ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './support/mock-cluster-runtime';

interface ReadyLine {
  pid: number;
  port: number;
  adminUrl: string;
  engines: Record<'blue' | 'green', { port: number }>;
}

/** pnpm as the test run was started with it (npm_execpath), else the one on PATH. */
function pnpmCommand(): { command: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath)) {
    return /\.[cm]?js$/.test(execPath) ? { command: process.execPath, args: [execPath] } : { command: execPath, args: [] };
  }
  return { command: 'pnpm', args: [] };
}

/**
 * True while `pid` runs. An exited process whose new parent has not reaped it
 * yet (a zombie, state Z in /proc) still answers kill(pid, 0) but holds no
 * port and runs no code: it counts as stopped.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let outer: ChildProcess | undefined;
let cliPid: number | undefined;

afterEach(async () => {
  if (outer !== undefined && outer.exitCode === null && outer.signalCode === null) {
    outer.kill('SIGKILL');
    await new Promise((resolve) => outer?.once('exit', resolve));
  }
  // Whatever the outcome, leave no cluster behind.
  if (cliPid !== undefined && isAlive(cliPid)) process.kill(cliPid, 'SIGKILL');
  outer = undefined;
  cliPid = undefined;
});

describe('pnpm mock-engine', () => {
  it('stops the whole chain and frees its ports when the outermost process gets SIGTERM', async () => {
    const pnpm = pnpmCommand();
    const child = spawn(pnpm.command, [...pnpm.args, 'mock-engine', '--json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    outer = child;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const ready = await new Promise<ReadyLine>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line within 60 s; stderr: ${stderr}`)), 60_000);
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.includes('"event":"ready"')) return;
        clearTimeout(timer);
        resolve(JSON.parse(line) as ReadyLine);
      });
      child.once('exit', () => reject(new Error(`pnpm exited before the ready line; stderr: ${stderr}`)));
    });
    cliPid = ready.pid;
    expect(ready.pid).not.toBe(child.pid);
    const ports = [ready.port, Number(new URL(ready.adminUrl).port), ready.engines.blue.port, ready.engines.green.port];
    for (const port of ports) expect(await portIsFree(port)).toBe(false);

    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));

    // Stopping closes the engines' DuckDB databases, which takes a while on a loaded machine.
    expect(await eventually(() => !isAlive(ready.pid), 30_000)).toBe(true);
    for (const port of ports) expect(await portIsFree(port)).toBe(true);
  }, 90_000);
});
