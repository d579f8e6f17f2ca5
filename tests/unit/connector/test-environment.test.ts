// The test plan's TestEnvironment helper, made a fixture: what setup gives,
// and that cleanup puts everything back and closes what was opened.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { TEST_ENV_VARS, TestEnvironment, useTestEnvironment } from '../../support/test-environment';

describe('TestEnvironment', () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of Object.keys(TEST_ENV_VARS)) saved[name] = process.env[name];
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('setup_test_environment: a temporary directory, E6DATA_TEST_MODE and E6DATA_LOG_LEVEL set, the plan\'s settings', async () => {
    const env = await TestEnvironment.setup();
    try {
      expect(existsSync(env.tempDir)).toBe(true);
      expect(process.env.E6DATA_TEST_MODE).toBe('true');
      expect(process.env.E6DATA_LOG_LEVEL).toBe('DEBUG');
      expect(env.config).toEqual({ host: 'localhost', port: 50052, username: 'user@example.com', password: 'test-token', secure: false });
      await writeFile(env.file('scratch.txt'), 'x');
      expect(existsSync(env.file('scratch.txt'))).toBe(true);
    } finally {
      await env.cleanup();
    }
  });

  test('cleanup_test_environment: variables unset again, directory removed, idempotent', async () => {
    delete process.env.E6DATA_TEST_MODE;
    delete process.env.E6DATA_LOG_LEVEL;
    const env = await TestEnvironment.setup();
    await writeFile(env.file('scratch.txt'), 'x');
    await env.cleanup();
    expect(process.env.E6DATA_TEST_MODE).toBeUndefined();
    expect(process.env.E6DATA_LOG_LEVEL).toBeUndefined();
    expect(existsSync(env.tempDir)).toBe(false);
    await env.cleanup();
  });

  test('cleanup restores values that were set before, instead of deleting them', async () => {
    process.env.E6DATA_LOG_LEVEL = 'WARN';
    const env = await TestEnvironment.setup();
    expect(process.env.E6DATA_LOG_LEVEL).toBe('DEBUG');
    await env.cleanup();
    expect(process.env.E6DATA_LOG_LEVEL).toBe('WARN');
  });

  test('each environment has its own temporary directory, blue/green state and cluster', async () => {
    const a = await TestEnvironment.setup();
    const b = await TestEnvironment.setup();
    try {
      expect(a.tempDir).not.toBe(b.tempDir);
      expect(a.registry).not.toBe(b.registry);
      await a.connect();
      expect(a.store.getActive()).toBe('blue');
      expect(b.store.getActive()).toBeNull();
      expect(b.engine.calls).toHaveLength(0);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  test('settings can be overridden; connect uses them', async () => {
    const env = await TestEnvironment.setup({ config: { username: 'other@example.com', password: 'other-token' } });
    try {
      await env.connect();
      expect(env.engine.callsOf('authenticate')[0]!.request).toEqual({ user: 'other@example.com', password: 'other-token' });
    } finally {
      await env.cleanup();
    }
  });

  test('cleanup closes every connection and pool opened through it', async () => {
    const env = await TestEnvironment.setup();
    const connection = await env.connect();
    const pool = env.pool({ max: 1 });
    await pool.query('SELECT 1');
    await env.cleanup();
    expect(connection.isClosed).toBe(true);
    expect(env.engine.clients.every((c) => c.closed)).toBe(true);
    expect(env.engine.pendingCalls()).toEqual([]);
  });

  describe('useTestEnvironment', () => {
    const env = useTestEnvironment();
    let previous: TestEnvironment | undefined;

    test('gives a running environment inside a test', () => {
      expect(process.env.E6DATA_TEST_MODE).toBe('true');
      previous = env();
      expect(existsSync(previous.tempDir)).toBe(true);
    });

    test('and a fresh one for the next test, the previous one cleaned up', () => {
      expect(env()).not.toBe(previous);
      expect(existsSync(previous!.tempDir)).toBe(false);
    });
  });
});
