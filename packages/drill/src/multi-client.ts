// `--clients K`: K separate processes, each with its own connector and no
// shared state, against one cluster; their reports are merged. On the mock
// target this process runs the cluster and its cutovers, and the children
// observe it like a real one (reading exact phase times from its admin API).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type MockCluster, startMockCluster } from '@e6data-ts/mock-engine';
import { DrillError } from './drill-error';
import { type DrillOptions } from './drill-options';
import { asReport, mergeReports } from './merge';
import { driveForDrill, drillClusterOptions, type MockDriver } from './mock-driver';
import { type ChaosEvent, type DrillReport, reportOptions } from './report';

/** How to start one more drill process: the command and the arguments before the drill's own. */
export interface ChildCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/** This very program again (the same node, loader flags and script). */
export function selfCommand(): ChildCommand {
  const script = process.argv[1];
  if (script === undefined) throw new DrillError('CLIENT_FAILED', 'cannot tell which script to start for --clients');
  return { command: process.execPath, args: [...process.execArgv, script] };
}

/** What a multi-process drill is given from outside: how to start each child, its environment, abort signal and output. */
export interface MultiClientDeps {
  readonly child?: ChildCommand;
  readonly env?: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
  /** Each child's live lines, prefixed with its number. */
  readonly onLine?: (line: string) => void;
  readonly warn?: (message: string) => void;
}

/** The flags a child gets: the parent's workload, its own seed and report file, no live bar. */
export function childArgs(options: DrillOptions, index: number, target: string, adminUrl: string | null, jsonFile: string): string[] {
  const args = [
    '--target', target,
    '--workers', String(options.workers),
    '--duration', `${options.durationMs}ms`,
    '--timeout', `${options.queryTimeoutMs}ms`,
    '--stop-wait', `${options.stopWaitMs}ms`,
    '--seed', String(options.seed + index + 1),
    '--json', jsonFile,
    '--live', 'plain',
  ];
  if (options.rate !== null) args.push('--rate', String(options.rate));
  for (const sql of options.queries) args.push('--query', sql);
  if (options.rerunOnLoss) args.push('--rerun-on-loss');
  if (options.allowAmbiguous) args.push('--allow-ambiguous');
  if (adminUrl !== null) args.push('--observe-admin', adminUrl);
  if (options.tls) args.push('--tls');
  if (options.caFile !== null) args.push('--ca', options.caFile);
  if (options.cluster !== null) args.push('--cluster', options.cluster);
  return args;
}

/** Runs `options.clients` drill processes and returns their merged report. */
export async function runMultiClient(options: DrillOptions, deps: MultiClientDeps = {}): Promise<DrillReport> {
  const child = deps.child ?? selfCommand();
  const warn = deps.warn ?? ((): void => undefined);
  const dir = await mkdtemp(join(tmpdir(), 'e6-drill-'));
  let cluster: MockCluster | null = null;
  let driver: MockDriver | null = null;
  const running = new Set<ChildProcess>();
  try {
    let target: string;
    let adminUrl: string | null = null;
    const env: NodeJS.ProcessEnv = { ...(deps.env ?? process.env) };
    if (options.target === null) {
      cluster = await startMockCluster(drillClusterOptions(options));
      const user = cluster.users[0];
      if (user === undefined) throw new DrillError('TARGET_FAILED', 'the mock cluster has no user');
      target = cluster.address;
      adminUrl = cluster.adminUrl;
      env.E6DATA_USERNAME = user.user;
      env.E6DATA_PASSWORD = user.token;
    } else {
      target = `${options.target.host}:${options.target.port}`;
    }
    let chaos: ChaosEvent[] = [];
    let scheduleStart = Date.now();

    const files = Array.from({ length: options.clients }, (_, i) => join(dir, `client-${i + 1}.json`));
    const children = files.map((file, i) => {
      // Own process group: a Ctrl-C on the terminal reaches only this process, which passes
      // it on once (a child that got two would quit without writing its report).
      const proc = spawn(child.command, [...child.args, ...childArgs(options, i, target, adminUrl, file)], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      running.add(proc);
      createInterface({ input: proc.stderr }).on('line', (line) => deps.onLine?.(`[client ${i + 1}] ${line}`));
      const interrupt = (): void => {
        proc.kill('SIGINT');
      };
      deps.signal?.addEventListener('abort', interrupt, { once: true });
      return new Promise<number | null>((resolve) => {
        const settle = (code: number | null): void => {
          running.delete(proc);
          deps.signal?.removeEventListener('abort', interrupt);
          resolve(code);
        };
        proc.on('error', (err) => {
          warn(`client ${i + 1} could not start: ${err.message}`);
          settle(null);
        });
        proc.on('exit', (code) => settle(code));
      });
    });
    if (cluster !== null) {
      scheduleStart = Date.now();
      ({ driver, chaos } = driveForDrill(cluster, options, warn));
    }
    const codes = await Promise.all(children);
    await driver?.stop();

    const reports: DrillReport[] = [];
    for (const [i, file] of files.entries()) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new DrillError('CLIENT_FAILED', `client ${i + 1} wrote no report (exit code ${String(codes[i])})`);
      }
      reports.push(asReport(file, JSON.parse(text)));
    }
    const merged = mergeReports(reports, options.allowAmbiguous);
    return {
      ...merged,
      target: { kind: cluster === null ? 'remote' : 'mock', address: target },
      options: reportOptions(options),
      // Chaos times count from the schedule's start; the merged report's from the first child's.
      chaos: chaos.map((event) => ({ ...event, startMs: event.startMs + scheduleStart - merged.startedAtMs, endMs: event.endMs + scheduleStart - merged.startedAtMs })),
    };
  } finally {
    // Only when this process failed part-way: no child outlives it.
    for (const proc of running) proc.kill('SIGKILL');
    await driver?.stop();
    await cluster?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
