import { isStrategy } from '@e6data-ts/strategy-core';
import { requireDuration } from '../deployment/deployment-controller';
import { type DeployOptions } from '../deployment/deployment-types';
import { InvalidMockOptionError } from '../errors';

const DEPLOY_KEYS = new Set(['to', 'mode', 'announceMs', 'drainMs']);

/** Reads `POST /deploy`'s body: `{ to?, mode?, announceMs?, drainMs? }`, every field checked. */
export function parseDeployBody(input: unknown): DeployOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidMockOptionError('body', 'must be a JSON object like {"mode":"graceful","to":"green"}');
  }
  const body = input as Record<string, unknown>;
  const unknown = Object.keys(body).find((key) => !DEPLOY_KEYS.has(key));
  if (unknown !== undefined) {
    throw new InvalidMockOptionError('body', `unknown field ${JSON.stringify(unknown.slice(0, 40))}; allowed: ${[...DEPLOY_KEYS].join(', ')}`);
  }
  const options: { -readonly [K in keyof DeployOptions]: DeployOptions[K] } = {};
  if (body.to !== undefined) {
    if (!isStrategy(body.to)) throw new InvalidMockOptionError('to', `must be 'blue' or 'green'`);
    options.to = body.to;
  }
  if (body.mode !== undefined) {
    if (body.mode !== 'graceful' && body.mode !== 'hard') throw new InvalidMockOptionError('mode', `must be 'graceful' or 'hard'`);
    options.mode = body.mode;
  }
  if (body.announceMs !== undefined) options.announceMs = requireDuration('announceMs', body.announceMs);
  if (body.drainMs !== undefined) options.drainMs = requireDuration('drainMs', body.drainMs);
  return options;
}

/** Reads the body of a route that takes no fields (`/suspend`, `/resume`): nothing, or `{}`. Unknown fields are refused as `/deploy` refuses them. */
export function parseEmptyBody(route: string, input: unknown): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidMockOptionError('body', `must be empty or {} on ${route}`);
  const unknown = Object.keys(input)[0];
  if (unknown !== undefined) throw new InvalidMockOptionError('body', `unknown field ${JSON.stringify(unknown.slice(0, 40))}; ${route} takes no fields`);
}
