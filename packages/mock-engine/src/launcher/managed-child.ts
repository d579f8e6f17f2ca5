import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { MockClusterError } from '../errors';

/** The JSON line a role prints on stdout when it is ready (`--json`). */
export interface ReadyLine {
  readonly event: 'ready';
  readonly role: string;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  readonly [key: string]: unknown;
}

/** Reads one stdout line: a ready line, a failure line, or null for anything else. */
export function parseStatusLine(line: string): ReadyLine | { event: 'failed'; error: string } | null {
  if (!line.startsWith('{')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const record = parsed as Record<string, unknown>;
  if (record.event === 'failed') return { event: 'failed', error: typeof record.error === 'string' ? record.error : 'unknown error' };
  if (record.event === 'ready' && typeof record.port === 'number' && typeof record.host === 'string') return record as ReadyLine;
  return null;
}

export interface ManagedChildOptions {
  /** Names the child in errors and output, e.g. `blue`. */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs: number;
  /** Each line the child writes to stderr. */
  readonly onStderr?: (line: string) => void;
}

const STDERR_TAIL_LINES = 30;

/**
 * A child process that reports readiness with a JSON line on stdout. Its
 * stdin stays open as a lifeline: the child (run with --exit-on-stdin-end)
 * stops when this process dies, even by SIGKILL.
 */
export class ManagedChild {
  readonly ready: Promise<ReadyLine>;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private readonly stderrTail: string[] = [];
  private hasExited = false;

  constructor(options: ManagedChildOptions) {
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise<void>((resolve) => {
      this.child.once('exit', () => {
        this.hasExited = true;
        resolve();
      });
      // A spawn failure emits 'error' without 'exit'.
      this.child.once('error', () => {
        this.hasExited = true;
        resolve();
      });
    });
    // The lifeline may break when the child dies first; that is expected.
    this.child.stdin?.on('error', () => undefined);

    const stderr = createInterface({ input: this.child.stderr! });
    stderr.on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      options.onStderr?.(line);
    });

    this.ready = new Promise<ReadyLine>((resolve, reject) => {
      const fail = (why: string, cause?: unknown): void => {
        clearTimeout(timer);
        const tail = this.stderrTail.length === 0 ? '' : `\n${this.stderrTail.join('\n')}`;
        reject(new MockClusterError('LAUNCH_FAILED', `${options.label} ${why}${tail}`, { cause }));
      };
      const timer = setTimeout(() => {
        fail(`did not report ready within ${options.startTimeoutMs} ms`);
        this.child.kill('SIGKILL');
      }, options.startTimeoutMs);
      const stdout = createInterface({ input: this.child.stdout! });
      stdout.on('line', (line) => {
        const status = parseStatusLine(line);
        if (status === null) return;
        if (status.event === 'failed') {
          fail(`failed to start: ${status.error}`);
          return;
        }
        clearTimeout(timer);
        resolve(status);
      });
      this.child.once('error', (err) => fail(`could not be spawned: ${err.message}`, err));
      this.child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code ?? 'none'}, signal ${signal ?? 'none'})`));
    });
    // Rejections are read through `ready`; keep an unobserved failure from crashing the process.
    this.ready.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.hasExited;
  }

  /** Sends `signal` and resolves when the child has exited. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.hasExited) this.child.kill(signal);
    await this.exited;
  }

  /** Synchronous last resort for process exit hooks. */
  killNow(): void {
    if (!this.hasExited) this.child.kill('SIGKILL');
  }

  /** Resolves when the child has exited, for whatever reason. */
  whenExited(): Promise<void> {
    return this.exited;
  }
}
