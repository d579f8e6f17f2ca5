// What the e2e scenarios through the connector share: connect options for
// the cluster under test (each scenario with its own blue/green registry),
// client applications run as child processes, a hard time limit per step,
// the leak check every scenario ends with, the timing table it prints, and
// the hooks that start the cluster and give each test a fresh scenario.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Connection, type ConnectOptions, type Pool } from '@e6data-ts/connector';
import { DEFAULT_USERS } from '@e6data-ts/mock-engine';
import { silentStrategyLogger, StrategyRegistry } from '@e6data-ts/strategy-core';
import { useFixture } from '../../support/fixture';
import { type ClientLine } from './connector-client';
import { type E2ECluster, REPO_ROOT } from './mock-cluster-runtime';

const [USER] = DEFAULT_USERS;

/** Rejects with a message naming `what` when `work` takes longer than `ms`; nothing in a scenario may hang. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True while a process with this pid exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A line of a client's output, by event. */
export type LineOf<E extends ClientLine['event']> = Extract<ClientLine, { event: E }>;

/** A client application running as a child process (tests/e2e/support/connector-client.ts). */
export class ClientProcess {
  readonly pid: number;
  readonly lines: ClientLine[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(mode: 'rows' | 'commands', options: ConnectOptions, env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join('tests', 'e2e', 'support', 'connector-client.ts'), mode], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, E6_CLIENT_OPTIONS: JSON.stringify(options) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (this.child.pid === undefined) throw new Error('the client process could not be spawned');
    this.pid = this.child.pid;
    this.child.stdin?.on('error', () => undefined);
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      if (!text.startsWith('{')) return;
      this.lines.push(JSON.parse(text) as ClientLine);
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    });
    createInterface({ input: this.child.stderr! }).on('line', (text) => this.stderr.push(text));
    this.exited = new Promise((resolve) => {
      // 'close' comes after the last stdout line was read, so no line is lost to a fast exit.
      this.child.once('close', (code) => {
        this.closed = true;
        const waiters = this.waiters;
        this.waiters = [];
        for (const wake of waiters) wake();
        resolve(code);
      });
    });
  }

  /** Sends one command (commands mode). */
  send(command: { op: 'query'; id: string; sql: string } | { op: 'stats' } | { op: 'close' }): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** The first line of `event` (from index `from` on) that matches, waiting up to `ms` for it. */
  next<E extends ClientLine['event']>(event: E, ms: number, match: (line: LineOf<E>) => boolean = () => true, from = 0): Promise<LineOf<E>> {
    return this.waitFor((line): line is LineOf<E> => line.event === event && match(line as LineOf<E>), `a ${event} line`, ms, from);
  }

  /** Runs one query and waits for its answer (a result or an error line). */
  query(id: string, sql: string, ms: number): Promise<LineOf<'result'> | LineOf<'error'>> {
    const from = this.lines.length;
    this.send({ op: 'query', id, sql });
    return this.waitFor(
      (line): line is LineOf<'result'> | LineOf<'error'> => (line.event === 'result' || line.event === 'error') && line.id === id,
      `the answer to ${id}`,
      ms,
      from,
    );
  }

  private async waitFor<L extends ClientLine>(match: (line: ClientLine) => line is L, what: string, ms: number, from: number): Promise<L> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.lines.slice(from).find(match);
      if (found !== undefined) return found;
      const fatal = this.lines.find((line) => line.event === 'fatal');
      const tail = this.stderr.slice(-20).join('\n');
      if (fatal !== undefined) throw new Error(`the client process failed: ${fatal.message}\n${tail}`);
      if (this.closed) throw new Error(`the client process exited (code ${String(this.child.exitCode)}) before printing ${what}\n${tail}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the client process printed no ${what} within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Kills the process if it still runs (cleanup after a failed test). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/**
 * One scenario's view of the cluster: connect options with the scenario's own
 * registry, every connection, pool and client process it opened, and the
 * leak check that ends it.
 */
export class Scenario {
  readonly registry = new StrategyRegistry({ logger: silentStrategyLogger });
  private readonly connections: Connection[] = [];
  private readonly pools: Pool[] = [];
  private readonly clients: ClientProcess[] = [];

  constructor(readonly cluster: Pick<E2ECluster, 'host' | 'port'>) {}

  /** Connect options for the cluster with this scenario's registry, plus `extra`. */
  options(extra: Partial<ConnectOptions> = {}): ConnectOptions {
    return {
      host: this.cluster.host,
      port: this.cluster.port,
      username: USER!.user,
      password: USER!.token,
      strategyRegistry: this.registry,
      ...extra,
    };
  }

  /** Options a client process can take (a registry does not cross a process boundary). */
  processOptions(extra: Partial<ConnectOptions> = {}): ConnectOptions {
    const { strategyRegistry: _registry, ...rest } = this.options(extra);
    return rest;
  }

  track<T extends Connection | Pool>(opened: T): T {
    if ('cursor' in opened) this.connections.push(opened);
    else this.pools.push(opened);
    return opened;
  }

  client(mode: 'rows' | 'commands', extra: Partial<ConnectOptions> = {}, env: Record<string, string> = {}): ClientProcess {
    const client = new ClientProcess(mode, this.processOptions(extra), env);
    this.clients.push(client);
    return client;
  }

  /** Kills whatever a failed scenario left running; safe to call after expectNoLeaks. */
  async abandon(): Promise<void> {
    for (const client of this.clients) client.kill();
    await Promise.allSettled([...this.pools.map((pool) => pool.close()), ...this.connections.map((connection) => connection.close())]);
  }

  /**
   * Closes every pool and connection (within 15 s), then fails the scenario
   * when a query is still pinned in the endpoint's store, a connection stayed
   * open, or a client process it started is still alive.
   */
  async expectNoLeaks(): Promise<void> {
    await within(
      15_000,
      'closing the scenario',
      Promise.all([...this.pools.map((pool) => pool.close()), ...this.connections.map((connection) => connection.close())]),
    );
    for (const connection of this.connections) {
      expect(connection.isClosed).toBe(true);
      expect(connection.strategyStore.snapshot().queries).toEqual({ blue: 0, green: 0 });
    }
    const store = this.registry.get({ host: this.cluster.host, port: this.cluster.port, clusterName: '' });
    expect(store.snapshot().queries).toEqual({ blue: 0, green: 0 });
    for (const client of this.clients) {
      const code = await within(15_000, `client process ${client.pid} exiting`, client.exited);
      expect(code).toBe(0);
      const leaks = await client.next('leaks', 1_000);
      expect(leaks).toMatchObject({ queries: { blue: 0, green: 0 }, closed: true });
      expect(processExists(client.pid)).toBe(false);
    }
  }
}

/** Scenario durations, printed as one table when the file ends. */
export class Timings {
  private readonly rows: Array<{ scenario: string; seconds: number; note: string }> = [];

  async time<T>(scenario: string, work: () => Promise<T>, note: (result: T) => string = () => ''): Promise<T> {
    const started = Date.now();
    const result = await work();
    this.rows.push({ scenario, seconds: (Date.now() - started) / 1_000, note: note(result) });
    return result;
  }

  print(title: string): void {
    if (this.rows.length === 0) return;
    const lines = this.rows.map((row) => `  ${row.seconds.toFixed(1).padStart(6)} s  ${row.scenario}${row.note === '' ? '' : `  (${row.note})`}`);
    console.log(`${title}\n${lines.join('\n')}`);
  }
}

/** What a suite's cluster must offer: where clients connect, and a way to stop it. */
export type SuiteCluster = Pick<E2ECluster, 'host' | 'port' | 'close'>;

/** How a connector suite starts its cluster and prepares each test. */
export interface ConnectorSuiteOptions<C extends SuiteCluster> {
  /** Starts the cluster once, before the first test of the describe block. */
  readonly start: () => Promise<C>;
  readonly startTimeoutMs: number;
  /** Printed above the timing table when the block ends. */
  readonly title: string;
  /** Runs before each test's fresh scenario is made, so a test starts from a known cluster state. */
  readonly beforeScenario?: () => Promise<void>;
  /** Runs after the cluster is closed (even when closing failed), for what `start` made besides it. */
  readonly afterClose?: () => void | Promise<void>;
}

/** What a connector suite's tests read: the cluster, the running test's scenario, and the block's timings. */
export interface ConnectorSuite<C extends SuiteCluster> {
  readonly cluster: C;
  readonly scenario: Scenario;
  readonly timings: Timings;
}

/**
 * Registers, in the calling describe block, the hooks every connector suite
 * repeats: start the cluster, give each test a fresh Scenario and abandon it
 * afterwards (a failed test leaves nothing running), then print the timings
 * and close the cluster.
 */
export function useConnectorSuite<C extends SuiteCluster>(options: ConnectorSuiteOptions<C>): ConnectorSuite<C> {
  const timings = new Timings();
  const running = useFixture(
    async () => {
      const cluster = await options.start();
      const close = async (): Promise<void> => {
        timings.print(options.title);
        try {
          await cluster.close();
        } finally {
          await options.afterClose?.();
        }
      };
      return { cluster, close };
    },
    { timeoutMs: options.startTimeoutMs },
  );
  const test = useFixture(
    async () => {
      await options.beforeScenario?.();
      const scenario = new Scenario(running().cluster);
      return { scenario, close: () => scenario.abandon() };
    },
    { per: 'each' },
  );
  return {
    get cluster(): C {
      return running().cluster;
    },
    get scenario(): Scenario {
      return test().scenario;
    },
    timings,
  };
}
