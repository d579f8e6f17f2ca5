// The drill's flags: one table that both the parser and --help read, so the
// two cannot disagree.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration } from '@e6data-ts/mock-engine';
import { fitPhases } from './cutover-plan';
import { FlagError } from './drill-error';
import { type CutoverMode, DEFAULT_QUERIES, type DrillOptions, type TargetAddress } from './drill-options';

/** One flag as the table describes it. */
export interface FlagSpec {
  readonly name: string;
  readonly kind: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** The value's placeholder in --help (`N`, `FILE`). */
  readonly value?: string;
  readonly help: string;
  readonly default?: string;
  readonly group: 'target' | 'workload' | 'cutovers' | 'report' | 'other';
}

/** Every flag of `e6-drill` (run) in --help order. */
export const DRILL_FLAGS: readonly FlagSpec[] = [
  { name: 'target', kind: 'string', value: 'HOST:PORT', group: 'target', help: 'a real cluster to observe (triggers no cutover); default: a mock cluster in this process' },
  { name: 'tls', kind: 'boolean', group: 'target', help: 'use TLS to --target' },
  { name: 'ca', kind: 'string', value: 'FILE', group: 'target', help: 'CA certificate (PEM) for --tls' },
  { name: 'cluster', kind: 'string', value: 'NAME', group: 'target', help: 'cluster name sent with every call' },
  { name: 'observe-admin', kind: 'string', value: 'URL', group: 'target', help: 'read exact phase times from a mock cluster admin API (used by --clients)' },
  { name: 'workers', kind: 'string', value: 'N', default: '8', group: 'workload', help: 'closed loop: N workers; with --rate: the most queries in flight' },
  { name: 'rate', kind: 'string', value: 'R', group: 'workload', help: 'open loop: R query starts per second; a start with no free worker is dropped' },
  { name: 'duration', kind: 'string', value: 'TIME', default: '45s', group: 'workload', help: 'how long the workload runs (500ms, 45s, 2m)' },
  { name: 'query', kind: 'string', multiple: true, value: 'SQL', group: 'workload', help: 'a query of the mix (repeatable); default: SELECT 1, a 10-row and a 10,000-row read, an aggregate' },
  { name: 'clients', kind: 'string', value: 'K', default: '1', group: 'workload', help: 'K separate processes, each with its own connector; reports merged' },
  { name: 'timeout', kind: 'string', value: 'TIME', default: '30s', group: 'workload', help: 'deadline of one query' },
  { name: 'stop-wait', kind: 'string', value: 'TIME', default: '10s', group: 'workload', help: 'at the end or on Ctrl-C, how long to wait for queries in flight' },
  { name: 'rerun-on-loss', kind: 'boolean', group: 'workload', help: 'let the connector re-run a read whose deployment vanished before it handed out rows' },
  { name: 'cutovers', kind: 'string', value: 'N', default: '5', group: 'cutovers', help: 'cutovers spread over the run (mock target)' },
  { name: 'mode', kind: 'string', value: 'MODE', default: 'graceful', group: 'cutovers', help: 'graceful | hard | mixed (alternating)' },
  { name: 'announce', kind: 'string', value: 'TIME', group: 'cutovers', help: 'announce phase of graceful cutovers (0: none; default 1s, less when cutovers are close together)' },
  { name: 'drain', kind: 'string', value: 'TIME', group: 'cutovers', help: 'drain phase of graceful cutovers (0: none; default 5s, less when cutovers are close together)' },
  { name: 'chaos', kind: 'boolean', group: 'cutovers', help: 'between cutovers: an access-denied storm, transient UNAVAILABLE, a suspend/resume' },
  { name: 'seed', kind: 'string', value: 'N', default: '1', group: 'cutovers', help: 'seed of the query mix order and the chaos fail points' },
  { name: 'json', kind: 'string', value: 'FILE', group: 'report', help: 'write the JSON report (histograms included, for merge)' },
  { name: 'html', kind: 'string', value: 'FILE', group: 'report', help: 'write a self-contained HTML report with a timeline chart' },
  { name: 'allow-ambiguous', kind: 'boolean', group: 'report', help: 'do not fail the verdict for ambiguous queries' },
  { name: 'live', kind: 'string', value: 'HOW', default: 'auto', group: 'report', help: 'live view: auto | bar | plain | off' },
  { name: 'help', kind: 'boolean', group: 'other', help: 'show this help' },
];

/** The flags of `e6-drill merge`. */
export const MERGE_FLAGS: readonly FlagSpec[] = [
  { name: 'json', kind: 'string', value: 'FILE', group: 'report', help: 'write the merged JSON report' },
  { name: 'html', kind: 'string', value: 'FILE', group: 'report', help: 'write the merged HTML report' },
  { name: 'allow-ambiguous', kind: 'boolean', group: 'report', help: 'do not fail the verdict for ambiguous queries' },
  { name: 'help', kind: 'boolean', group: 'other', help: 'show this help' },
];

/** What the command line asks for. */
export type DrillCommand =
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'run'; readonly options: DrillOptions }
  | { readonly kind: 'merge'; readonly files: readonly string[]; readonly jsonFile: string | null; readonly htmlFile: string | null; readonly allowAmbiguous: boolean };

const GROUP_TITLES: Record<FlagSpec['group'], string> = {
  target: 'Target',
  workload: 'Workload',
  cutovers: 'Cutovers (mock target)',
  report: 'Report',
  other: 'Other',
};

/** --help text generated from a flag table. */
export function renderHelp(usage: string, flags: readonly FlagSpec[]): string {
  const lines = [usage, ''];
  const left = (flag: FlagSpec): string => `--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
  const width = Math.max(...flags.map((flag) => left(flag).length)) + 2;
  for (const group of Object.keys(GROUP_TITLES) as Array<FlagSpec['group']>) {
    const inGroup = flags.filter((flag) => flag.group === group);
    if (inGroup.length === 0) continue;
    lines.push(`${GROUP_TITLES[group]}:`);
    for (const flag of inGroup) {
      const extra = flag.default === undefined ? '' : ` (default ${flag.default})`;
      lines.push(`  ${left(flag).padEnd(width)}${flag.help}${extra}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const RUN_USAGE = [
  'Usage: e6-drill [flags]                 run a workload through the connector while the cluster performs blue/green cutovers',
  '       e6-drill merge A.json B.json ... [--json OUT] [--html FILE]',
  '',
  'Credentials for --target come from E6DATA_USERNAME and E6DATA_PASSWORD.',
  'Exit code: 0 when no query was lost, 1 when some were (or the drill failed), 2 for a bad flag.',
].join('\n');

const MERGE_USAGE = 'Usage: e6-drill merge A.json B.json ... [--json OUT] [--html FILE]';

type ParsedValues = Record<string, string | boolean | string[] | undefined>;

function parseWith(args: readonly string[], flags: readonly FlagSpec[]): { values: ParsedValues; positionals: string[] } {
  const options = Object.fromEntries(
    flags.map((flag) => [flag.name, flag.multiple === true ? { type: flag.kind, multiple: true } : { type: flag.kind }]),
  ) as NonNullable<ParseArgsConfig['options']>;
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    return { values: parsed.values as ParsedValues, positionals: parsed.positionals };
  } catch (err) {
    throw flagErrorFrom(err);
  }
}

/** Turns node:util's parse failure into a FlagError naming the flag (without echoing any value). */
function flagErrorFrom(err: unknown): FlagError {
  const message = err instanceof Error ? err.message : String(err);
  const named = /'(-{1,2}[A-Za-z0-9-]+)/.exec(message)?.[1] ?? 'arguments';
  const code = (err as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new FlagError(named, 'unknown flag (see --help)');
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new FlagError(named, message.includes('argument missing') ? 'needs a value' : 'takes no value');
  }
  return new FlagError(named, 'cannot be parsed');
}

function positiveInt(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new FlagError(flag, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

function duration(flag: string, text: string, allowZero: boolean): number {
  let ms: number;
  try {
    ms = parseDuration(flag, text);
  } catch {
    throw new FlagError(flag, 'is not a duration; use e.g. 500ms, 40s or 2m');
  }
  if (!allowZero && ms <= 0) throw new FlagError(flag, 'must be longer than 0');
  return ms;
}

/** `host:port` (or `[v6]:port`) -> address; never quotes the text. */
export function parseTarget(text: string): TargetAddress {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text.trim());
  const host = match?.[1];
  const port = Number(match?.[2]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new FlagError('--target', 'must be host:port with a port from 1 to 65535');
  }
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port };
}

const str = (values: ParsedValues, name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

/** The flag's value, or its default from the table (so --help and the parser agree). */
function orDefault(values: ParsedValues, name: string): string {
  const given = str(values, name);
  if (given !== undefined) return given;
  const fallback = DRILL_FLAGS.find((flag) => flag.name === name)?.default;
  if (fallback === undefined) throw new Error(`flag table: --${name} has no default`);
  return fallback;
}
const bool = (values: ParsedValues, name: string): boolean => values[name] === true;

/** Reads `e6-drill` arguments (without `node` and the script). Throws FlagError for anything wrong. */
export function parseDrillArgs(args: readonly string[]): DrillCommand {
  if (args[0] === 'merge') return parseMergeArgs(args.slice(1));
  const { values, positionals } = parseWith(args, DRILL_FLAGS);
  if (bool(values, 'help')) return { kind: 'help', text: renderHelp(RUN_USAGE, DRILL_FLAGS) };
  const stray = positionals[0];
  if (stray !== undefined) throw new FlagError(stray.slice(0, 40), 'is not a flag or command (commands: merge)');

  const mode = orDefault(values, 'mode');
  if (mode !== 'graceful' && mode !== 'hard' && mode !== 'mixed') throw new FlagError('--mode', 'must be graceful, hard or mixed');
  const live = orDefault(values, 'live');
  if (live !== 'auto' && live !== 'bar' && live !== 'plain' && live !== 'off') throw new FlagError('--live', 'must be auto, bar, plain or off');
  const queries = (values.query as string[] | undefined) ?? [...DEFAULT_QUERIES];
  if (queries.some((sql) => sql.trim() === '')) throw new FlagError('--query', 'must not be empty');
  const targetText = str(values, 'target');
  const target = targetText === undefined ? null : parseTarget(targetText);
  const rateText = str(values, 'rate');
  const seedText = orDefault(values, 'seed');
  if (!/^\d{1,9}$/.test(seedText)) throw new FlagError('--seed', 'must be a whole number from 0 to 999999999');
  const caFile = str(values, 'ca') ?? null;
  const tls = bool(values, 'tls');
  if (caFile !== null && !tls) throw new FlagError('--ca', 'needs --tls');
  if (target === null && (tls || str(values, 'cluster') !== undefined)) {
    throw new FlagError(tls ? '--tls' : '--cluster', 'needs --target (the mock cluster runs without TLS)');
  }
  const durationMs = duration('--duration', orDefault(values, 'duration'), false);
  const cutovers = cutoverCount(orDefault(values, 'cutovers'));
  const fitted = fitPhases(durationMs, cutovers);
  const announceText = str(values, 'announce');
  const drainText = str(values, 'drain');
  const options: DrillOptions = {
    target,
    tls,
    caFile,
    cluster: str(values, 'cluster') ?? null,
    workers: positiveInt('--workers', orDefault(values, 'workers'), 10_000),
    rate: rateText === undefined ? null : positiveInt('--rate', rateText, 1_000_000),
    durationMs,
    queries,
    clients: positiveInt('--clients', orDefault(values, 'clients'), 64),
    cutovers,
    mode: mode satisfies CutoverMode,
    announceMs: announceText === undefined ? fitted.announceMs : duration('--announce', announceText, true),
    drainMs: drainText === undefined ? fitted.drainMs : duration('--drain', drainText, true),
    chaos: bool(values, 'chaos'),
    jsonFile: str(values, 'json') ?? null,
    htmlFile: str(values, 'html') ?? null,
    allowAmbiguous: bool(values, 'allow-ambiguous'),
    rerunOnLoss: bool(values, 'rerun-on-loss'),
    seed: Number(seedText),
    queryTimeoutMs: duration('--timeout', orDefault(values, 'timeout'), false),
    stopWaitMs: duration('--stop-wait', orDefault(values, 'stop-wait'), true),
    observeAdmin: str(values, 'observe-admin') ?? null,
    live,
  };
  if (target !== null && options.chaos) throw new FlagError('--chaos', 'works only on the mock target (a real cluster is observed, not driven)');
  return { kind: 'run', options };
}

function cutoverCount(text: string): number {
  if (text.trim() === '0') return 0;
  return positiveInt('--cutovers', text, 1_000);
}

function parseMergeArgs(args: readonly string[]): DrillCommand {
  const { values, positionals } = parseWith(args, MERGE_FLAGS);
  if (bool(values, 'help')) return { kind: 'help', text: renderHelp(MERGE_USAGE, MERGE_FLAGS) };
  if (positionals.length === 0) throw new FlagError('merge', 'needs at least one report file');
  return {
    kind: 'merge',
    files: positionals,
    jsonFile: str(values, 'json') ?? null,
    htmlFile: str(values, 'html') ?? null,
    allowAmbiguous: bool(values, 'allow-ambiguous'),
  };
}
