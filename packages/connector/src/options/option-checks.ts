// The checks behind every option the connector takes (connect and pool
// options): each raises a ConfigurationError naming the option and saying
// what it got, so a wrong value is found from the message alone.
import { ConfigurationError } from '../errors';

/** A positive, finite number of milliseconds; `fallback` when unset. */
export function positiveMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(name, `${name} must be a positive, finite number of milliseconds, got ${describe(value)}`);
  }
  return value;
}

/** A finite number of milliseconds >= 0; `fallback` when unset. */
export function nonNegativeMs(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(name, `${name} must be a finite number of milliseconds >= 0, got ${describe(value)}`);
  }
  return value;
}

/** An integer from `min` to `max`; `fallback` when unset. */
export function integerIn(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(name, `${name} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** A short, safe rendering of a rejected value for an error message (strings cut at 24 characters). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 24 ? `"${value.slice(0, 24)}…"` : `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return typeof value;
}

/** An integer >= `min`; `fallback` when unset. */
export function integerAtLeast(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigurationError(name, `${name} must be an integer >= ${min}, got ${describe(value)}`);
  }
  return value;
}
