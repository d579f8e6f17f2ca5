// Runs the drill as a separate process with a hard time cap.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '../..');
const CLI = resolve(REPO_ROOT, 'packages/drill/src/cli.ts');

export interface DrillProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running drill process: its output so far and its end. */
export interface DrillProcess {
  readonly child: ChildProcess;
  readonly done: Promise<DrillProcessResult>;
  stderrSoFar(): string;
}

/**
 * Starts `pnpm drill ...args` (or the CLI under node directly with `direct`, so
 * signals reach the drill itself). Killed after `capMs`; `done` never hangs.
 */
export function startDrill(args: readonly string[], options: { capMs: number; direct?: boolean }): DrillProcess {
  const [command, prefix] = options.direct === true ? [process.execPath, ['--import', 'tsx', CLI]] : ['pnpm', ['-s', 'drill']];
  const child = spawn(command, [...prefix, ...args], { cwd: REPO_ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const cap = setTimeout(() => child.kill('SIGKILL'), options.capMs);
  const done = new Promise<DrillProcessResult>((resolveDone) => {
    child.on('close', (code, signal) => {
      clearTimeout(cap);
      resolveDone({ code, signal, stdout, stderr });
    });
  });
  return { child, done, stderrSoFar: () => stderr };
}

/** Runs the drill to its end. */
export function runDrillProcess(args: readonly string[], capMs: number): Promise<DrillProcessResult> {
  return startDrill(args, { capMs }).done;
}
