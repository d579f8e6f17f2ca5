// Pairs a statement's placeholders with the values given for them, and refuses
// every mismatch before anything is rendered: mixed styles, too few or too
// many positional values, a named placeholder without a value, a named value
// without a placeholder. Messages name parameters and counts, never values.
import { ParameterError } from '../errors';
import { describeType, type ParameterName } from './parameter-errors';
import { findPlaceholders, type Placeholder } from './sql-placeholders';

/** Values for a statement's placeholders: an array for `?`, a plain object for `:name`. */
export type QueryParameters = readonly unknown[] | Readonly<Record<string, unknown>>;

/** One placeholder and the value that goes in its place. */
export interface MatchedPlaceholder {
  readonly placeholder: Placeholder;
  readonly parameter: ParameterName;
  readonly value: unknown;
}

function isPlainObject(value: object): value is Readonly<Record<string, unknown>> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isEmpty(params: QueryParameters | undefined): boolean {
  if (params === undefined) return true;
  if (Array.isArray(params)) return params.length === 0;
  // Checked here so an empty Map is refused like a full one.
  return isPlainObject(params) && Object.keys(params).length === 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function given(count: number): string {
  return `${plural(count, 'value')} ${count === 1 ? 'was' : 'were'} given`;
}

function labelOf(placeholder: Placeholder, position: number): ParameterName {
  return placeholder.kind === 'named' ? `:${placeholder.name}` : position;
}

function matchPositional(placeholders: readonly Placeholder[], values: readonly unknown[]): MatchedPlaceholder[] {
  const named = placeholders.find((p) => p.kind === 'named');
  if (named !== undefined) {
    throw new ParameterError(
      `:${named.name}`,
      `parameter :${named.name} is a named placeholder, but the parameters are an array; pass an object to bind :name placeholders`,
    );
  }
  if (values.length < placeholders.length) {
    throw new ParameterError(
      values.length + 1,
      `parameter ${values.length + 1} has no value: the statement has ${plural(placeholders.length, 'placeholder')} and ${given(values.length)}`,
    );
  }
  if (values.length > placeholders.length) {
    throw new ParameterError(
      placeholders.length + 1,
      `parameter ${placeholders.length + 1} has no placeholder: ${given(values.length)} and the statement has ${plural(placeholders.length, 'placeholder')}`,
    );
  }
  return placeholders.map((placeholder, index) => ({ placeholder, parameter: index + 1, value: values[index] }));
}

function matchNamed(placeholders: readonly Placeholder[], values: Readonly<Record<string, unknown>>): MatchedPlaceholder[] {
  const used = new Set<string>();
  const matched = placeholders.map((placeholder): MatchedPlaceholder => {
    if (placeholder.kind === 'positional') {
      throw new ParameterError(
        1,
        `the statement has ${plural(placeholders.length, 'positional ? placeholder')}, but the parameters are an object; pass an array to bind ? placeholders`,
      );
    }
    if (!Object.hasOwn(values, placeholder.name)) {
      throw new ParameterError(`:${placeholder.name}`, `parameter :${placeholder.name} has no value: the parameters object has no property "${placeholder.name}"`);
    }
    used.add(placeholder.name);
    return { placeholder, parameter: `:${placeholder.name}`, value: values[placeholder.name] };
  });
  const unused = Object.keys(values).find((key) => !used.has(key));
  if (unused !== undefined) {
    throw new ParameterError(
      `:${unused}`,
      `parameter :${unused} is not used: the statement has no :${unused} placeholder (it uses ${plural(used.size, 'name')})`,
    );
  }
  return matched;
}

/**
 * The placeholders of `sql` paired with their values, in text order; an
 * empty list when there is nothing to bind. Throws a ParameterError for any
 * mismatch. Without parameters (undefined, [] or {}) and without a `?` or `:`
 * in the text, the SQL is not scanned at all.
 */
export function matchParameters(sql: string, params: QueryParameters | undefined): MatchedPlaceholder[] {
  if (isEmpty(params) && !sql.includes('?') && !sql.includes(':')) return [];
  if (params !== undefined && !Array.isArray(params) && !isPlainObject(params)) {
    throw new ParameterError(null, `parameters must be an array (for ?) or a plain object (for :name), not ${describeType(params)}`);
  }
  const placeholders = findPlaceholders(sql);
  const named = placeholders.find((p) => p.kind === 'named');
  if (named !== undefined && placeholders.some((p) => p.kind === 'positional')) {
    throw new ParameterError(null, `the statement mixes positional ? and named :${named.name} placeholders; use one style`);
  }
  if (params === undefined || isEmpty(params)) {
    if (placeholders.length === 0) return [];
    const first = placeholders[0] as Placeholder;
    throw new ParameterError(
      labelOf(first, 1),
      `parameter ${labelOf(first, 1)} has no value: the statement has ${plural(placeholders.length, 'placeholder')} and no parameters were given`,
    );
  }
  return Array.isArray(params) ? matchPositional(placeholders, params) : matchNamed(placeholders, params);
}
