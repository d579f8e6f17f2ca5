import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { InvalidMockOptionError, MockClusterError } from '../errors';
import { type ClusterLogger, consoleLogger } from '../logger';
import { parseCliArgs } from './cli-args';
import { CLI_HELP } from './cli-help';
import { describeStartFailure } from './start-failure';
import { type RunningRole, startRole } from './cli-roles';

export const EXIT_OK = 0;
export const EXIT_START_FAILED = 1;
export const EXIT_USAGE = 2;

/** How often the CLI checks that the process that started it is still there. */
const PARENT_POLL_MS = 250;

/** What the CLI touches outside itself; the real process by default, fakes in tests. */
export interface CliEnvironment {
  writeOut(text: string): void;
  writeErr(text: string): void;
  readFile(path: string): Promise<string>;
  /** Resolves with the reason to stop (a signal name, or `stdin-end`). */
  waitForStop(options: { stdin: boolean }): Promise<string>;
  readonly pid: number;
  readonly logger: ClusterLogger;
  /** Starts the role; injectable so the flow can be tested without servers. */
  startRole?: typeof startRole;
}

/** Runs `e6-mock-engine` with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], env: CliEnvironment = processEnvironment()): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof InvalidMockOptionError)) throw err;
    env.writeErr(`e6-mock-engine: ${err.message}\nRun e6-mock-engine --help for the flags.\n`);
    return EXIT_USAGE;
  }
  if (command.kind === 'help') {
    env.writeOut(CLI_HELP);
    return EXIT_OK;
  }
  const options = command.options;
  let role: RunningRole;
  try {
    const files = options.role === 'gateway' ? [] : options.initSqlFiles;
    const initSql = await Promise.all(
      files.map((file) =>
        env.readFile(file).catch((err: unknown) => {
          throw new InvalidMockOptionError('--init-sql', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
        }),
      ),
    );
    const tls = options.role === 'engine' ? undefined : await readTls(env, options.tlsCertFile, options.tlsKeyFile);
    role = await (env.startRole ?? startRole)(options, { logger: env.logger, initSql, pid: env.pid, ...(tls === undefined ? {} : { tls }) });
  } catch (err) {
    const reason = describeStartFailure(options, MockClusterError.from(err));
    if (options.json) env.writeOut(`${JSON.stringify({ event: 'failed', role: options.role, error: reason })}\n`);
    env.writeErr(`e6-mock-engine: could not start the ${options.role}: ${reason}\n`);
    return EXIT_START_FAILED;
  }
  env.writeOut(options.json ? `${JSON.stringify(role.ready)}\n` : `${role.banner}\n`);
  const reason = await env.waitForStop({ stdin: options.exitOnStdinEnd });
  env.logger.info(`stopping (${reason})`);
  await role.close();
  if (options.json) env.writeOut(`${JSON.stringify({ event: 'stopped', role: options.role, reason })}\n`);
  return EXIT_OK;
}

/** The real process: stdout/stderr, the file system, SIGINT/SIGTERM, stdin, and the death of its parent process. */
export function processEnvironment(): CliEnvironment {
  // grpc-js logs a failed bind itself ("No address added out of total 1
  // resolved") before the engine reports it; the CLI prints one line of its own.
  // GRPC_VERBOSITY set by the user still wins.
  if (process.env.GRPC_VERBOSITY === undefined) grpc.setLogVerbosity(grpc.logVerbosity.NONE);
  return {
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    readFile: (path) => readFile(path, 'utf8'),
    waitForStop: ({ stdin }) =>
      new Promise<string>((resolve) => {
        const stops: Array<() => void> = [];
        const stop = (reason: string): void => {
          for (const undo of stops.splice(0)) undo();
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
          if (stdin) process.stdin.destroy();
          resolve(reason);
        };
        const onInt = (): void => stop('SIGINT');
        const onTerm = (): void => stop('SIGTERM');
        process.once('SIGINT', onInt);
        process.once('SIGTERM', onTerm);
        // A package manager killed with SIGTERM (`pnpm mock-engine &` then
        // `kill $!`) dies without passing the signal on; this process is then
        // reparented. Seeing the parent change is the only news of it, so look.
        const parent = process.ppid;
        if (parent > 1) {
          const watch = setInterval(() => {
            if (process.ppid !== parent) stop('parent-exit');
          }, PARENT_POLL_MS);
          watch.unref();
          stops.push(() => clearInterval(watch));
        }
        if (stdin) {
          process.stdin.once('end', () => stop('stdin-end'));
          process.stdin.once('close', () => stop('stdin-end'));
          process.stdin.resume();
        }
      }),
    pid: process.pid,
    logger: consoleLogger(`e6-mock-engine ${process.pid}`),
  };
}

/** The gateway's TLS certificate and key, read from their files; undefined for plaintext. */
async function readTls(env: CliEnvironment, certFile: string | null, keyFile: string | null): Promise<{ cert: string; key: string } | undefined> {
  if (certFile === null || keyFile === null) return undefined;
  const read = (flag: string, file: string): Promise<string> =>
    env.readFile(file).catch((err: unknown) => {
      throw new InvalidMockOptionError(flag, `cannot read ${file}: ${(err as Error).message}`, { cause: err });
    });
  const [cert, key] = await Promise.all([read('--tls-cert', certFile), read('--tls-key', keyFile)]);
  return { cert, key };
}
