import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport, credentialsFromEnv, DrillError, EXIT_BAD_FLAGS, EXIT_FAIL, EXIT_PASS, runCli, type CliIo, type DrillReport } from '@e6data-ts/drill';
import { drillOptions } from '../../support/drill-fixtures';
import { useTempDir } from '../../support/temp-dir';

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), terminal: null, env: {} };
}

function report(lost: number): DrillReport {
  return buildReport({
    startedAtMs: Date.UTC(2026, 0, 1),
    durationMs: 2_000,
    target: { kind: 'remote', address: 'h:1' },
    options: drillOptions(),
    samples: Array.from({ length: 3 }, (_, i) => ({
      startMs: i * 100, latencyMs: 3, cls: i < lost ? ('lost' as const) : ('ok' as const), errorKind: i < lost ? 'QueryLostError/QUERY_LOST' : null, deployment: 'blue' as const, retries: 0,
    })),
    dropped: 0, cutovers: [], chaos: [], detections: 1, retriesByReason: {}, interrupted: false,
  });
}

describe('runCli', () => {
  const tempDir = useTempDir('drill-cli-', { per: 'all' });

  it('prints help and exits 0', async () => {
    const cli = io();
    await expect(runCli(['--help'], cli)).resolves.toBe(EXIT_PASS);
    expect(cli.out.join('')).toContain('Usage: e6-drill');
    await expect(runCli(['merge', '--help'], cli)).resolves.toBe(EXIT_PASS);
  });

  it('exits 2 with one line naming a bad flag', async () => {
    const cli = io();
    await expect(runCli(['--mode', 'sideways'], cli)).resolves.toBe(EXIT_BAD_FLAGS);
    expect(cli.err).toEqual(['e6-drill: --mode: must be graceful, hard or mixed\n']);
    expect(cli.out).toEqual([]);
  });

  it('merges report files, writes the merged reports and exits by the verdict', async () => {
    const good = join(tempDir(), 'good.json');
    const bad = join(tempDir(), 'bad.json');
    writeFileSync(good, JSON.stringify(report(0)));
    writeFileSync(bad, JSON.stringify(report(1)));
    const cli = io();
    const out = join(tempDir(), 'merged.json');
    await expect(runCli(['merge', good, good, '--json', out, '--html', join(tempDir(), 'merged.html')], cli)).resolves.toBe(EXIT_PASS);
    expect(cli.out.join('')).toContain('PASS: 0 lost of 6 queries');
    expect((JSON.parse(readFileSync(out, 'utf8')) as DrillReport).clients).toBe(2);
    expect(readFileSync(join(tempDir(), 'merged.html'), 'utf8')).toContain('<!doctype html>');
    await expect(runCli(['merge', good, bad], io())).resolves.toBe(EXIT_FAIL);
  });

  it('fails with one line for a file that is not a report', async () => {
    const notJson = join(tempDir(), 'not.json');
    writeFileSync(notJson, '{ nope');
    const cli = io();
    await expect(runCli(['merge', notJson], cli)).resolves.toBe(EXIT_FAIL);
    expect(cli.err.join('')).toMatch(/^e6-drill: .*not\.json: cannot be read as JSON/);
    const other = join(tempDir(), 'other.json');
    writeFileSync(other, '{"format":"k6"}');
    const second = io();
    await expect(runCli(['merge', other], second)).resolves.toBe(EXIT_FAIL);
    expect(second.err.join('')).toContain('is not an e6-drill report');
    await expect(runCli(['merge', join(tempDir(), 'missing.json')], io())).resolves.toBe(EXIT_FAIL);
  });

  it('fails a real target without credentials before connecting, naming the variable', async () => {
    const cli = io();
    const connectClient = jest.fn();
    await expect(runCli(['--target', 'h:1', '--live', 'off'], { ...cli, connectClient })).resolves.toBe(EXIT_FAIL);
    expect(cli.err.join('')).toBe('e6-drill: --target needs E6DATA_USERNAME in the environment\n');
    expect(connectClient).not.toHaveBeenCalled();
  });
});

describe('credentialsFromEnv', () => {
  it('reads both variables and never puts the password in an error', () => {
    expect(credentialsFromEnv({ E6DATA_USERNAME: 'u', E6DATA_PASSWORD: 'p' })).toEqual({ username: 'u', password: 'p' });
    expect(() => credentialsFromEnv({ E6DATA_USERNAME: 'u' })).toThrow(new DrillError('TARGET_FAILED', '--target needs E6DATA_PASSWORD in the environment'));
    expect(() => credentialsFromEnv({ E6DATA_USERNAME: '', E6DATA_PASSWORD: 'hunter2' })).toThrow(/E6DATA_USERNAME/);
  });
});

describe('DrillError.from', () => {
  it('keeps a DrillError and wraps anything else with its message and cause', () => {
    const own = new DrillError('BAD_REPORT', 'x');
    expect(DrillError.from(own)).toBe(own);
    const cause = new RangeError('too far');
    expect(DrillError.from(cause)).toMatchObject({ code: 'TARGET_FAILED', message: 'too far', cause });
    expect(DrillError.from('text', 'CLIENT_FAILED')).toMatchObject({ code: 'CLIENT_FAILED', message: 'text' });
  });
});
