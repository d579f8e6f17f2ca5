// The test plan's TestEnvironment as a fixture: a temporary directory, the
// plan's environment variables (set for the test, then put back as they were),
// the plan's connection settings, and in place of its mocked process-wide
// state a fresh StrategyRegistry and an in-memory cluster (FakeEngine). Every
// connection and pool opened through it is closed by cleanup(), which also
// removes the directory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, createPool, type Connection, type ConnectOptions, type ConnectionRuntime, type Pool, type PoolOptions } from '@e6data-ts/connector';
import { silentStrategyLogger, StrategyRegistry } from '@e6data-ts/strategy-core';
import { FakeEngine } from './fake-engine-client';
import { useFixture } from './fixture';

/** The plan's connection settings. Nothing listens on the port: the unit tier's cluster is in memory. */
export interface TestConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly secure: boolean;
}

/** The variables the plan sets for a test run. */
export const TEST_ENV_VARS: Readonly<Record<string, string>> = Object.freeze({
  E6DATA_TEST_MODE: 'true',
  E6DATA_LOG_LEVEL: 'DEBUG',
});

/** One line the connector logged. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface TestEnvironmentOptions {
  /** Overrides of the plan's settings. */
  config?: Partial<TestConfig>;
  /** The clock the connector and the fake cluster read (Date.now by default). */
  now?: () => number;
  /** The connector's random() (Math.random by default); () => 0 makes every backoff wait zero. */
  random?: () => number;
}

export class TestEnvironment {
  readonly config: TestConfig;
  /** A fresh registry per environment: no blue/green state leaks between tests. */
  readonly registry = new StrategyRegistry({ logger: silentStrategyLogger });
  readonly engine: FakeEngine;
  /** Every line the connector logged through `logger`. */
  readonly logs: LogLine[] = [];
  /** A pino-shaped logger that records into `logs`. */
  readonly logger = {
    debug: (fields: Readonly<Record<string, unknown>>, message: string): void => void this.logs.push({ level: 'debug', message, fields }),
    info: (fields: Readonly<Record<string, unknown>>, message: string): void => void this.logs.push({ level: 'info', message, fields }),
    warn: (fields: Readonly<Record<string, unknown>>, message: string): void => void this.logs.push({ level: 'warn', message, fields }),
    error: (fields: Readonly<Record<string, unknown>>, message: string): void => void this.logs.push({ level: 'error', message, fields }),
  };

  private readonly saved = new Map<string, string | undefined>();
  private readonly opened: { close(): Promise<void> }[] = [];
  private cleaned = false;

  private constructor(
    readonly tempDir: string,
    private readonly options: TestEnvironmentOptions,
  ) {
    this.config = Object.freeze({
      host: 'localhost',
      port: 50052,
      username: 'user@example.com',
      password: 'test-token',
      secure: false,
      ...options.config,
    });
    this.engine = new FakeEngine({ user: this.config.username, password: this.config.password, ...(options.now === undefined ? {} : { now: options.now }) });
  }

  /** Creates the directory and sets the plan's variables. */
  static async setup(options: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
    const dir = await mkdtemp(path.join(tmpdir(), 'e6data-test-'));
    const env = new TestEnvironment(dir, options);
    for (const [name, value] of Object.entries(TEST_ENV_VARS)) {
      env.saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    return env;
  }

  /** The runtime hooks connect() and createPool() get: the fake cluster's clients, and the injected clock and random. */
  get runtime(): ConnectionRuntime {
    return {
      createClient: this.engine.createClient,
      ...(this.options.now === undefined ? {} : { now: this.options.now }),
      ...(this.options.random === undefined ? {} : { random: this.options.random }),
    };
  }

  /** Connect options for the plan's settings, this environment's registry and logger, plus `overrides`. */
  connectOptions(overrides: Partial<ConnectOptions> = {}): ConnectOptions {
    const { host, port, username, password, secure } = this.config;
    return { host, port, username, password, secure, strategyRegistry: this.registry, logger: this.logger, ...overrides };
  }

  /** connect() to the fake cluster; closed by cleanup(). */
  async connect(overrides: Partial<ConnectOptions> = {}): Promise<Connection> {
    const connection = await connect(this.connectOptions(overrides), this.runtime);
    this.opened.push(connection);
    return connection;
  }

  /** createPool() on the fake cluster; closed by cleanup(). */
  pool(overrides: Partial<PoolOptions> = {}): Pool {
    const pool = createPool({ ...this.connectOptions(), ...overrides }, this.runtime);
    this.opened.push(pool);
    return pool;
  }

  /** A path inside the temporary directory. */
  file(name: string): string {
    return path.join(this.tempDir, name);
  }

  /** The endpoint's blue/green store (the one every connection here shares). */
  get store(): ReturnType<StrategyRegistry['get']> {
    return this.registry.get({ host: this.config.host, port: this.config.port, clusterName: '' });
  }

  /** Closes what was opened, puts the variables back and removes the directory. Idempotent. */
  async cleanup(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    try {
      await Promise.allSettled(this.opened.map((o) => o.close()));
    } finally {
      for (const [name, value] of this.saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await rm(this.tempDir, { recursive: true, force: true });
    }
  }

  close(): Promise<void> {
    return this.cleanup();
  }
}

/** A fresh TestEnvironment for each test of the enclosing block, cleaned up after it. */
export function useTestEnvironment(options: TestEnvironmentOptions = {}): () => TestEnvironment {
  return useFixture(() => TestEnvironment.setup(options), { per: 'each' });
}
