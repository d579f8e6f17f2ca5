// How a bad parameter is reported: named by its 1-based position or `:name`,
// and by the type of its value, never by the value itself (it may be a secret
// or personal data, and it may be huge).
import { ParameterError } from '../errors';

/** A parameter as messages name it: its 1-based position, or `:name`. */
export type ParameterName = number | `:${string}`;

/** `parameter 2` / `parameter :id`, plus `, element 3` for an IN-list element (1-based). */
export function describeParameter(parameter: ParameterName, element?: number): string {
  return `parameter ${parameter}${element === undefined ? '' : `, element ${element}`}`;
}

/** The type of `value` in words, for messages: `a symbol`, `an object (Map)`, `undefined`. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object': {
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype === null) return 'an object (with a null prototype)';
      const constructorName: unknown = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof constructorName === 'string' && constructorName !== '' ? `an object (${constructorName})` : 'an object';
    }
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return `a ${typeof value}`;
  }
}

/** A ParameterError about one value: `parameter 2: <why>`. */
export function valueError(parameter: ParameterName, why: string, element?: number): ParameterError {
  return new ParameterError(parameter, `${describeParameter(parameter, element)}: ${why}`);
}
