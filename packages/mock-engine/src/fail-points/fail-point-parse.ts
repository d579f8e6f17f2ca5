import { engineServiceDefinition } from '@e6data-ts/grpc-transport';
import { parseStrategy } from '@e6data-ts/strategy-core';
import { InvalidMockOptionError } from '../errors';
import {
  type FailPointAction,
  type FailPointEffect,
  type FailPointMode,
  type FailPointSpec,
  type FailPointTarget,
} from './fail-point-types';

/** The methods whose answers carry result bytes a client decodes. */
export const CORRUPTIBLE_METHODS: ReadonlySet<string> = new Set(['getNextResultBatch', 'getResultMetadata']);

const MAX_DELAY_MS = 600_000;
const MAX_DETAILS_LENGTH = 1_000;
const TERMINAL_KEYS = ['grpcStatus', 'httpStatus', 'drop', 'corrupt', 'referenceMismatch', 'stall'] as const;
const ACTION_KEYS = new Set<string>([...TERMINAL_KEYS, 'details', 'delayMs']);

let engineMethods: ReadonlySet<string> | undefined;

/** Every QueryEngineService method name, read from the service definition. */
export function engineMethodNames(): ReadonlySet<string> {
  engineMethods ??= new Set(Object.keys(engineServiceDefinition()));
  return engineMethods;
}

/** Checks a fail point's target: a QueryEngineService method name or `*`. */
export function parseFailPointTarget(rpc: unknown): FailPointTarget {
  if (rpc === '*' || (typeof rpc === 'string' && engineMethodNames().has(rpc))) return rpc;
  throw new InvalidMockOptionError('rpc', `must be a QueryEngineService method name (e.g. getNextResultBatch) or '*'`);
}

/**
 * Reads a fail point from untrusted input (an admin request body or a
 * caller's object) and checks every field, naming the first bad one.
 */
export function parseFailPointSpec(rpc: FailPointTarget, input: unknown): FailPointSpec {
  const body = requireObject('body', input);
  rejectUnknownKeys('body', body, new Set(['mode', 'action', 'deployment']));
  const mode = parseMode(body.mode);
  const action = parseAction(body.action);
  if ('corrupt' in action && !CORRUPTIBLE_METHODS.has(rpc)) {
    throw new InvalidMockOptionError('action.corrupt', `applies to getNextResultBatch or getResultMetadata only, not ${rpc}`);
  }
  if (body.deployment === undefined || body.deployment === null) return { mode, action };
  const deployment = parseStrategy(body.deployment);
  if (deployment === null || deployment !== body.deployment) {
    throw new InvalidMockOptionError('deployment', `must be 'blue' or 'green'`);
  }
  return { mode, action, deployment };
}

export function parseMode(input: unknown): FailPointMode {
  if (input === 'alwaysOn' || input === 'off') return input;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidMockOptionError('mode', `must be 'alwaysOn', 'off', { times: n } or { probability: p }`);
  }
  const mode = input as Record<string, unknown>;
  if ('times' in mode) {
    rejectUnknownKeys('mode', mode, new Set(['times']));
    const times = mode.times;
    if (typeof times !== 'number' || !Number.isSafeInteger(times) || times < 1) {
      throw new InvalidMockOptionError('mode.times', 'must be a whole number, 1 or more');
    }
    return { times };
  }
  if ('probability' in mode) {
    rejectUnknownKeys('mode', mode, new Set(['probability', 'seed']));
    const probability = mode.probability;
    if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
      throw new InvalidMockOptionError('mode.probability', 'must be a number from 0 to 1');
    }
    if (mode.seed === undefined) return { probability };
    if (typeof mode.seed !== 'number' || !Number.isSafeInteger(mode.seed)) {
      throw new InvalidMockOptionError('mode.seed', 'must be a whole number');
    }
    return { probability, seed: mode.seed };
  }
  throw new InvalidMockOptionError('mode', `must be 'alwaysOn', 'off', { times: n } or { probability: p }`);
}

export function parseAction(input: unknown): FailPointAction {
  const action = requireObject('action', input);
  rejectUnknownKeys('action', action, ACTION_KEYS);
  const terminals = TERMINAL_KEYS.filter((key) => action[key] !== undefined);
  if (terminals.length > 1) {
    throw new InvalidMockOptionError('action', `takes one of ${TERMINAL_KEYS.join(', ')} (got ${terminals.join(' and ')})`);
  }
  const delayMs = action.delayMs === undefined ? undefined : parseDelay(action.delayMs);
  const withDelay = delayMs === undefined ? {} : { delayMs };
  const terminal = terminals[0];
  if (action.details !== undefined && terminal !== 'grpcStatus') {
    throw new InvalidMockOptionError('action.details', 'goes with grpcStatus only');
  }
  switch (terminal) {
    case 'grpcStatus': {
      const code = action.grpcStatus;
      if (typeof code !== 'number' || !Number.isInteger(code) || code < 1 || code > 16) {
        throw new InvalidMockOptionError('action.grpcStatus', 'must be a gRPC status code from 1 to 16');
      }
      if (action.details === undefined) return { grpcStatus: code, ...withDelay };
      if (typeof action.details !== 'string' || action.details.length > MAX_DETAILS_LENGTH) {
        throw new InvalidMockOptionError('action.details', `must be a string of at most ${MAX_DETAILS_LENGTH} characters`);
      }
      return { grpcStatus: code, details: action.details, ...withDelay };
    }
    case 'httpStatus': {
      const status = action.httpStatus;
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
        throw new InvalidMockOptionError('action.httpStatus', 'must be an HTTP status from 400 to 599');
      }
      return { httpStatus: status, ...withDelay };
    }
    case 'drop':
    case 'corrupt':
    case 'referenceMismatch':
    case 'stall':
      if (action[terminal] !== true) throw new InvalidMockOptionError(`action.${terminal}`, 'must be true');
      return { [terminal]: true, ...withDelay } as FailPointAction;
    default:
      if (delayMs === undefined) {
        throw new InvalidMockOptionError('action', `needs delayMs or one of ${TERMINAL_KEYS.join(', ')}`);
      }
      return { delayMs };
  }
}

/** The gateway's view of an action. */
export function effectOf(action: FailPointAction): FailPointEffect {
  if ('grpcStatus' in action) {
    return { kind: 'grpc-status', code: action.grpcStatus, details: action.details ?? 'injected by a fail point' };
  }
  if ('httpStatus' in action) return { kind: 'http-status', status: action.httpStatus };
  if ('drop' in action) return { kind: 'drop' };
  if ('corrupt' in action) return { kind: 'corrupt' };
  if ('referenceMismatch' in action) return { kind: 'reference-mismatch' };
  if ('stall' in action) return { kind: 'stall' };
  return { kind: 'pass' };
}

function parseDelay(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_DELAY_MS) {
    throw new InvalidMockOptionError('action.delayMs', `must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`);
  }
  return value;
}

function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidMockOptionError(field, 'must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function rejectUnknownKeys(field: string, value: Record<string, unknown>, allowed: ReadonlySet<string>): void {
  const unknown = Object.keys(value).find((key) => !allowed.has(key));
  if (unknown !== undefined) {
    throw new InvalidMockOptionError(field, `unknown field ${JSON.stringify(unknown.slice(0, 40))}; allowed: ${[...allowed].join(', ')}`);
  }
}
