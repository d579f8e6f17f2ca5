// A command line described once, as a table of flags: node:util's parseArgs
// reads argv from it and the help text is rendered from it, so the two cannot
// drift. What is specific to one command (which role a flag applies to, how a
// value is checked) stays with that command's table.
import { parseArgs } from 'node:util';

/** One flag of a command line. */
export interface FlagSpec {
  /** The long name, without the leading dashes: `port` for `--port`. */
  readonly name: string;
  /** `value` takes an argument (`--port 1` or `--port=1`); `switch` takes none. */
  readonly kind: 'value' | 'switch';
  /** One letter, for `-h`. */
  readonly short?: string;
  /** May be given more than once (values are kept in order). */
  readonly repeatable?: boolean;
  /** Once reached, nothing after it is read (help). */
  readonly answersAlone?: boolean;
  /** What the value looks like in the help text (`HOST`, `DUR`). */
  readonly placeholder?: string;
  /** One line for the help text. */
  readonly help: string;
}

/** What a command line held, by long flag name (`--port`), in order of appearance. */
export type FlagValues = ReadonlyMap<string, readonly string[]>;

export type FlagReading = { readonly kind: 'answered'; readonly flag: string } | { readonly kind: 'values'; readonly values: FlagValues };

/** Builds the error a refused command line throws, from the offending flag and why. */
export type FlagErrorFactory = (flag: string, message: string) => Error;

/**
 * Reads `argv` against `table` with node:util's parseArgs. Refusals name the
 * flag: `--x: unknown flag`, `--port: needs a value`, `--json: takes no value`,
 * `--port: given more than once`, `arguments: unexpected argument "serve"`.
 * A value that starts with `--` is taken for a forgotten value, not a value.
 */
export function readFlags(table: readonly FlagSpec[], argv: readonly string[], fail: FlagErrorFactory): FlagReading {
  const byName = new Map(table.map((spec) => [spec.name, spec]));
  const { tokens } = parseArgs({
    args: [...argv],
    options: parseArgsOptions(table),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind === 'positional') throw fail('arguments', `unexpected argument ${JSON.stringify(token.value.slice(0, 40))}`);
    if (token.kind === 'option-terminator') throw fail('--', 'unknown flag');
    const spec = byName.get(token.name);
    // An unknown short flag is looked up by its long name too: `-x` is unknown, `-h` is help.
    const isShortForm = !token.rawName.startsWith('--');
    if (spec === undefined || (isShortForm && spec.short !== token.rawName.slice(1))) throw fail(token.rawName, 'unknown flag');
    const flag = `--${spec.name}`;
    if (spec.answersAlone === true) {
      if (token.inlineValue === true) throw fail(flag, 'takes no value');
      return { kind: 'answered', flag };
    }
    let value: string;
    if (spec.kind === 'switch') {
      if (token.inlineValue === true) throw fail(flag, 'takes no value');
      value = 'true';
    } else {
      if (token.value === undefined || (token.inlineValue !== true && token.value.startsWith('--'))) throw fail(flag, 'needs a value');
      value = token.value;
    }
    const list = values.get(flag) ?? [];
    if (list.length > 0 && spec.repeatable !== true) throw fail(flag, 'given more than once');
    list.push(value);
    values.set(flag, list);
  }
  return { kind: 'values', values };
}

/** The `options` parseArgs reads the table with. Every flag is `multiple` so repeats are counted here, not silently merged. */
export function parseArgsOptions(table: readonly FlagSpec[]): Record<string, { type: 'string' | 'boolean'; multiple: true; short?: string }> {
  return Object.fromEntries(
    table.map((spec) => [
      spec.name,
      { type: spec.kind === 'value' ? 'string' : 'boolean', multiple: true, ...(spec.short === undefined ? {} : { short: spec.short }) },
    ]),
  );
}

/** The flag lines of a help text: `  --port PORT   gateway port ...`, aligned, one per flag in table order. */
export function renderFlagHelp(table: readonly FlagSpec[]): string {
  const usages = table.map((spec) => {
    const long = spec.kind === 'value' ? `--${spec.name} ${spec.placeholder ?? 'VALUE'}` : `--${spec.name}`;
    return spec.short === undefined ? long : `${long}, -${spec.short}`;
  });
  const width = Math.max(...usages.map((usage) => usage.length)) + 2;
  return table.map((spec, i) => `  ${(usages[i] ?? '').padEnd(width)}${spec.help}`).join('\n');
}
