// Rehearses a Dockerfile where no Docker engine runs: its COPY steps copy the
// same files from the build context (the repository, less what .dockerignore
// leaves out) into a folder that stands for the image's WORKDIR, its install
// steps run there with the image's ENV, and its ENTRYPOINT can then be started
// from that folder. What this proves: the image holds every file its command
// needs, the frozen install works with the package.json files it copies, and
// the command and its default arguments run. What it cannot: the base image
// and the steps that only set up the operating system (listed, not run).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { promisify } from 'node:util';
import dockerignore from '@balena/dockerignore';
import { DockerfileParser, Env, type Instruction } from 'dockerfile-ast';

/** A COPY from the build context, or a RUN, in Dockerfile order. */
export type ImageStep =
  | { readonly kind: 'copy'; readonly sources: readonly string[]; readonly dest: string; readonly line: number }
  | { readonly kind: 'run'; readonly command: string; readonly line: number };

/** What a single-stage Dockerfile builds, as far as a rehearsal needs it. */
export interface ImageRecipe {
  readonly dockerfile: string;
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly steps: readonly ImageStep[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
}

// Instructions that change nothing a rehearsal reproduces.
const METADATA = new Set(['FROM', 'USER', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'HEALTHCHECK']);

/** Reads a Dockerfile; anything a rehearsal cannot stand for (ADD, COPY --from, a second stage, shell-form commands) is an error naming its line. */
export function readImageRecipe(dockerfile: string): ImageRecipe {
  const parsed = DockerfileParser.parse(readFileSync(dockerfile, 'utf8'));
  let workdir: string | undefined;
  const env: Record<string, string> = {};
  const steps: ImageStep[] = [];
  let entrypoint: string[] | undefined;
  let cmd: string[] = [];
  const fail = (instruction: Instruction, why: string): never => {
    throw new Error(`${dockerfile}:${instruction.getRange().start.line + 1}: ${instruction.getKeyword()} ${why}`);
  };
  const jsonForm = (instruction: Instruction): string[] => {
    const content = instruction.getArgumentsContent() ?? '';
    if (!content.trim().startsWith('[')) fail(instruction, 'in shell form cannot be started without a shell; use the JSON form');
    return JSON.parse(content) as string[];
  };
  if (parsed.getFROMs().length !== 1) throw new Error(`${dockerfile}: a rehearsal stands for one build stage, not ${parsed.getFROMs().length}`);
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    const args = instruction.getArguments().map((argument) => argument.getValue());
    if (METADATA.has(keyword)) continue;
    if (keyword === 'WORKDIR') workdir = posix.resolve(workdir ?? '/', args[0] ?? fail(instruction, 'without a path'));
    else if (instruction instanceof Env) {
      for (const property of instruction.getProperties()) env[property.getName()] = property.getValue() ?? '';
    } else if (keyword === 'COPY') {
      if (args.some((arg) => arg.startsWith('--'))) fail(instruction, 'with flags copies from elsewhere than the build context');
      if (args.length < 2) fail(instruction, 'needs a source and a destination');
      steps.push({ kind: 'copy', sources: args.slice(0, -1), dest: args.at(-1)!, line });
    } else if (keyword === 'RUN') steps.push({ kind: 'run', command: instruction.getArgumentsContent() ?? '', line });
    else if (keyword === 'ENTRYPOINT') entrypoint = jsonForm(instruction);
    else if (keyword === 'CMD') cmd = jsonForm(instruction);
    else fail(instruction, 'is not something a rehearsal can stand for');
  }
  if (workdir === undefined) throw new Error(`${dockerfile}: no WORKDIR; a rehearsal needs to know where the files go`);
  if (entrypoint === undefined) throw new Error(`${dockerfile}: no ENTRYPOINT in JSON form`);
  return { dockerfile, workdir, env, steps, entrypoint, cmd };
}

/** A rehearsed image: its folder, the steps not run, and its command started from the folder. */
export interface Rehearsal {
  /** Stands for the image's WORKDIR. */
  readonly dir: string;
  /** The RUN steps that only set up the operating system, as written. */
  readonly skipped: readonly string[];
  /** Starts `ENTRYPOINT` with `args` (the image's CMD when omitted, as `docker run` does), in the folder, with the image's ENV. */
  start(args?: readonly string[]): ChildProcess;
}

export interface RehearsalOptions {
  /** The build context (the repository root). */
  readonly context: string;
  /** An empty folder to build in. */
  readonly into: string;
  /** RUN steps that only set up the operating system; any other RUN that is not a pnpm command fails the rehearsal. */
  readonly systemSetup: readonly RegExp[];
}

/** Copies and installs as the Dockerfile says; resolves once the folder is what the image's WORKDIR would hold. */
export async function rehearseImage(recipe: ImageRecipe, options: RehearsalOptions): Promise<Rehearsal> {
  const ignore = dockerignore({ ignorecase: false }).add(readFileSync(join(options.context, '.dockerignore'), 'utf8').split('\n'));
  const inImage = (path: string): string => {
    if (!path.startsWith(recipe.workdir)) throw new Error(`${recipe.dockerfile}: ${path} is outside WORKDIR ${recipe.workdir}`);
    return join(options.into, relative(recipe.workdir, path));
  };
  const env = { ...process.env, ...recipe.env };
  const skipped: string[] = [];
  for (const step of recipe.steps) {
    if (step.kind === 'copy') {
      const into = step.dest.endsWith('/') || step.sources.length > 1;
      const dest = inImage(posix.resolve(recipe.workdir, step.dest));
      for (const source of step.sources) {
        const from = join(options.context, source);
        if (ignore.ignores(source)) throw new Error(`${recipe.dockerfile}:${step.line}: COPY ${source}, which .dockerignore leaves out of the build context`);
        const target = into ? join(dest, posix.basename(source)) : dest;
        mkdirSync(dirname(target), { recursive: true });
        if (statSync(from).isDirectory()) {
          // The folder's contents, less what the build context leaves out.
          cpSync(from, target, { recursive: true, filter: (path) => !ignore.ignores(relative(options.context, path).split('\\').join('/')) });
        } else cpSync(from, target);
      }
    } else if (options.systemSetup.some((pattern) => pattern.test(step.command))) skipped.push(step.command);
    else if (/^pnpm\s/.test(step.command)) {
      await promisify(execFile)('sh', ['-c', step.command], { cwd: options.into, env, timeout: 300_000, maxBuffer: 16 << 20 }).catch((err: Error & { stderr?: string }) => {
        throw new Error(`${recipe.dockerfile}:${step.line}: RUN ${step.command} failed: ${err.message}\n${err.stderr ?? ''}`);
      });
    } else throw new Error(`${recipe.dockerfile}:${step.line}: RUN ${step.command} is neither an install step nor known system setup; rehearse it or list it`);
  }
  return {
    dir: options.into,
    skipped,
    start: (args = recipe.cmd) => {
      const [command, ...rest] = recipe.entrypoint;
      const executable = command === 'node' ? process.execPath : command!;
      return spawn(executable, [...rest, ...args], { cwd: options.into, env: { ...env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    },
  };
}
