// Every symbol a package's door exports carries a doc comment at its
// declaration, so an editor's hover explains it. Read with the TypeScript
// compiler over the sources, following re-exports to where each symbol is declared.
import { join } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..', '..');
const PACKAGES = ['strategy-core', 'grpc-transport', 'connector', 'mock-engine', 'drill'];

function hasDocComment(declaration: ts.Declaration): boolean {
  // A `const` carries its comment on the whole statement.
  const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  return ts.getJSDocCommentsAndTags(node).length > 0;
}

/** `package: name (file:line)` for each exported symbol of the project's own code that has no doc comment. */
function undocumentedExports(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('tsconfig.json could not be read');
  const doors = PACKAGES.map((name) => join(ROOT, 'packages', name, 'src', 'index.ts'));
  const program = ts.createProgram(doors, config.options);
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  PACKAGES.forEach((name, index) => {
    const door = program.getSourceFile(doors[index]!);
    const module = door === undefined ? undefined : checker.getSymbolAtLocation(door);
    if (module === undefined) throw new Error(`${doors[index]} was not found`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.declarations ?? [];
      const first = declarations[0];
      // Re-exported third-party code (the grpc-js and DuckDB namespaces) documents itself.
      if (first === undefined || !first.getSourceFile().fileName.startsWith(join(ROOT, 'packages'))) continue;
      if (declarations.some(hasDocComment)) continue;
      const file = first.getSourceFile();
      const line = file.getLineAndCharacterOfPosition(first.getStart()).line + 1;
      missing.push(`${name}: ${exported.name} (${file.fileName.slice(ROOT.length + 1)}:${line})`);
    }
  });
  return missing;
}

describe("the packages' public surface", () => {
  it('has a doc comment on every exported symbol', () => {
    expect(undocumentedExports()).toEqual([]);
  }, 60_000);
});
