// examples/k8s-drill-job.yaml, the way past one machine, cannot run here (no
// Kubernetes). What can be held: it is valid YAML of the objects the drill's
// README describes, its containers run the image the drill's Dockerfile builds
// with that image's own command, and their command lines, expanded as the pod's
// shell would, parse as drill flags with the options the README promises.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseDrillArgs, type DrillOptions } from '@e6data-ts/drill';
import { readImageRecipe } from '../../support/image-rehearsal';

const ROOT = join(__dirname, '..', '..', '..');

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
}

interface ManifestObject {
  kind: string;
  metadata: { name: string };
  spec?: { completionMode?: string; template?: { spec: { containers: Container[] } } };
}

/** The words `sh -c` makes of `line`: variables expanded from `env`, double quotes removed; nothing else is supported. */
function shellWords(line: string, env: Readonly<Record<string, string>>): string[] {
  const expanded = line.replace(/\$([A-Z_][A-Z0-9_]*)/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) throw new Error(`$${name} is not set in the pod`);
    return value;
  });
  if (/['\\`]|\$\(/.test(expanded)) throw new Error(`unsupported shell syntax in: ${line}`);
  return [...expanded.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

function readManifest(): ManifestObject[] {
  const documents = parseAllDocuments(readFileSync(join(ROOT, 'examples', 'k8s-drill-job.yaml'), 'utf8'));
  for (const document of documents) expect(document.errors).toEqual([]);
  return documents.map((document) => document.toJS() as ManifestObject);
}

/** The command line of a Job's drill container, expanded, without the `exec` and image command in front. */
function drillArgs(job: ManifestObject, podEnv: Readonly<Record<string, string>>): string[] {
  const container = job.spec?.template?.spec.containers.find((c) => c.image.startsWith('e6data-ts/drill'));
  if (container === undefined) throw new Error(`job ${job.metadata.name} has no drill container`);
  expect(container.command).toEqual(['sh', '-c']);
  const env: Record<string, string> = { ...podEnv };
  for (const variable of container.env ?? []) env[variable.name] = variable.value ?? `<secret ${variable.name}>`;
  const [exec, ...words] = shellWords(container.args![0]!, env);
  expect(exec).toBe('exec');
  // The image's own entrypoint, so the pod runs what the Dockerfile built.
  const { entrypoint } = readImageRecipe(join(ROOT, 'packages', 'drill', 'Dockerfile'));
  expect(words.slice(0, entrypoint.length)).toEqual(entrypoint);
  return words.slice(entrypoint.length);
}

describe('the Kubernetes example (examples/k8s-drill-job.yaml)', () => {
  const objects = readManifest();
  const byName = (kind: string, name: string): ManifestObject => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (found === undefined) throw new Error(`no ${kind} ${name} in the manifest`);
    return found;
  };

  it('holds the objects the drill README describes', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'PersistentVolumeClaim/e6-drill-reports',
      'Job/e6-drill',
      'Job/e6-drill-merge',
      'ServiceAccount/e6-drill-merge',
      'Role/e6-drill-merge',
      'RoleBinding/e6-drill-merge',
    ]);
    expect(byName('Job', 'e6-drill').spec?.completionMode).toBe('Indexed');
  });

  it("runs each worker's drill against the target over TLS, writing its report by completion index", () => {
    const command = parseDrillArgs(drillArgs(byName('Job', 'e6-drill'), { JOB_COMPLETION_INDEX: '3' }));
    if (command.kind !== 'run') throw new Error(`expected a run, got ${command.kind}`);
    expect(command.options).toMatchObject<Partial<DrillOptions>>({
      target: { host: 'e6data-cluster.example.internal', port: 443 },
      tls: true,
      cluster: 'production',
      workers: 16,
      durationMs: 15 * 60_000,
      seed: 3,
      live: 'plain',
      jsonFile: '/reports/drill-3.json',
    });
  });

  it('merges the workers’ reports into one JSON and one HTML report', () => {
    const words = drillArgs(byName('Job', 'e6-drill-merge'), {});
    // The pod's shell expands the glob; any list of reports parses the same.
    const command = parseDrillArgs(words.map((word) => (word === '/reports/drill-*.json' ? '/reports/drill-0.json' : word)));
    expect(command).toEqual({ kind: 'merge', files: ['/reports/drill-0.json'], jsonFile: '/reports/merged.json', htmlFile: '/reports/merged.html', allowAmbiguous: false });
  });
});
