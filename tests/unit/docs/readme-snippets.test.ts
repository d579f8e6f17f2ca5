// The TypeScript examples in the READMEs compile against the packages as they
// are: each README's ```ts blocks become one module (imports hoisted, each
// block in its own scope, inside an async function), type-checked with the
// project's compiler options. An example that names a method, option or field
// that no longer exists, or that a strict compiler rejects, fails here.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');
const READMES = ['README.md', 'packages/connector/README.md', 'packages/grpc-transport/README.md', 'packages/mock-engine/README.md', 'packages/strategy-core/README.md'];

// What the examples take as given: the connection settings a reader fills in,
// a logger, and the connection or cursor an earlier example opened.
const PRELUDE = `import type { Connection, Cursor } from '@e6data-ts/connector';
declare const host: string, port: number, username: string, password: string, catalog: string, database: string;
declare const log: { info(event: unknown): void; debug(event: unknown): void; warn(event: unknown): void };
declare const connection: Connection;
declare const cursor: Cursor;
`;

/** A ```ts block and the README line its first line is on. */
interface Block {
  readonly text: string;
  readonly line: number;
}

/** The ```ts blocks of a markdown text, in order. */
function tsBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match) => ({
    text: match[1]!,
    line: markdown.slice(0, match.index).split('\n').length + 1,
  }));
}

/** A module made of examples, and for each of its lines the README line it came from (undefined for glue). */
interface ExampleModule {
  readonly text: string;
  readonly origin: readonly (number | undefined)[];
}

/** One module holding every block: imports first, then each block in its own scope. */
function moduleOf(blocks: readonly Block[]): ExampleModule {
  const lines: Array<[string, number | undefined]> = PRELUDE.trimEnd().split('\n').map((line) => [line, undefined]);
  const bodies: Array<[string, number | undefined]> = [];
  for (const block of blocks) {
    bodies.push(['{', undefined]);
    block.text.trimEnd().split('\n').forEach((line, k) => (line.startsWith('import ') ? lines : bodies).push([line, block.line + k]));
    bodies.push(['}', undefined]);
  }
  lines.push(['export async function examples(): Promise<void> {', undefined], ...bodies, ['}', undefined]);
  return { text: `${lines.map(([line]) => line).join('\n')}\n`, origin: lines.map(([, line]) => line) };
}

/** Type errors of the examples of each README (README path -> module), as `README:line: message`. */
function typeErrors(modules: ReadonlyMap<string, ExampleModule>): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('tsconfig.json could not be read');
  // Checked beside the tests, so package names resolve as they do in the tests.
  const readmeOf = new Map([...modules.keys()].map((readme) => [join(ROOT, 'tests', 'unit', 'docs', '__examples__', `${readme.replace(/[/.]/g, '_')}.ts`), readme]));
  const textOf = (file: string): string | undefined => {
    const readme = readmeOf.get(file);
    return readme === undefined ? undefined : modules.get(readme)!.text;
  };
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const text = textOf(name);
    return text === undefined ? getSourceFile.call(host, name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  host.fileExists = (name) => readmeOf.has(name) || fileExists.call(host, name);
  host.readFile = (name) => textOf(name) ?? readFile.call(host, name);
  const program = ts.createProgram([...readmeOf.keys()], { ...config.options, noEmit: true }, host);
  return ts.getPreEmitDiagnostics(program).flatMap((d) => {
    const readme = d.file === undefined ? undefined : readmeOf.get(d.file.fileName);
    if (readme === undefined) return [];
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    const at = modules.get(readme)!.origin[line];
    return [`${readme}:${at ?? 'glue'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`];
  });
}

const CONTROL = 'control example';

describe('the READMEs’ TypeScript examples', () => {
  it('every README listed has examples to check', () => {
    for (const readme of READMES) expect(tsBlocks(readFileSync(join(ROOT, readme), 'utf8')).length).toBeGreaterThan(0);
  });

  it('compile against the packages with the project’s strict options', () => {
    const modules = new Map(READMES.map((readme) => [readme, moduleOf(tsBlocks(readFileSync(join(ROOT, readme), 'utf8')))]));
    // A control example calling a method the connector does not have: the check must see it, on its line.
    modules.set(CONTROL, moduleOf([{ text: "await connection.queryy('SELECT 1');\n", line: 7 }]));
    const errors = typeErrors(modules);
    expect(errors.filter((e) => e.startsWith(CONTROL))).toEqual([`${CONTROL}:7: Property 'queryy' does not exist on type 'Connection'. Did you mean 'query'?`]);
    expect(errors.filter((e) => !e.startsWith(CONTROL))).toEqual([]);
  }, 60_000);
});
