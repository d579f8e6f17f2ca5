import { type RawHeaders } from './hpack-decoder';

// RFC 9113 section 8.2.2: connection-specific fields have no place in HTTP/2.
const CONNECTION_SPECIFIC: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);
const REQUEST_PSEUDO: ReadonlySet<string> = new Set([':method', ':scheme', ':path', ':authority']);

/** Why a request's header list is malformed (RFC 9113 section 8), or null when it is well formed. */
export interface RequestCheck {
  readonly problem: string | null;
  /** The content-length it declares; -1 when it declares none. */
  readonly contentLength: number;
}

/**
 * Checks a request header list against RFC 9113 sections 8.2 and 8.3: field
 * names in lowercase with no separators, values without CR, LF or NUL,
 * pseudo-headers first, each request pseudo-header at most once, `:method`,
 * `:scheme` and a non-empty `:path` present, no connection-specific fields,
 * `te` only as `trailers`, and at most one numeric content-length.
 */
export function checkRequestHeaders(headers: RawHeaders): RequestCheck {
  let contentLength = -1;
  let regularSeen = false;
  let pseudo = 0;
  let path: string | null = null;
  let method = false;
  let scheme = false;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i]!;
    const value = headers[i + 1]!;
    const problem = fieldProblem(name, value);
    if (problem !== null) return malformed(problem);
    if (name.charCodeAt(0) === 0x3a) {
      if (regularSeen) return malformed(`pseudo-header ${name} after a regular field`);
      if (!REQUEST_PSEUDO.has(name)) return malformed(`${name} is not a request pseudo-header`);
      const bit = name === ':method' ? 1 : name === ':scheme' ? 2 : name === ':path' ? 4 : 8;
      if (pseudo & bit) return malformed(`${name} appears twice`);
      pseudo |= bit;
      if (name === ':path') path = value;
      else if (name === ':method') method = true;
      else if (name === ':scheme') scheme = true;
      continue;
    }
    regularSeen = true;
    if (CONNECTION_SPECIFIC.has(name)) return malformed(`connection-specific field ${name}`);
    if (name === 'te' && value !== 'trailers') return malformed('te other than trailers');
    if (name === 'content-length') {
      if (!/^[0-9]{1,15}$/.test(value) || (contentLength >= 0 && Number(value) !== contentLength)) return malformed('invalid content-length');
      contentLength = Number(value);
    }
  }
  if (!method || !scheme || path === null) return malformed('a required pseudo-header (:method, :scheme, :path) is missing');
  if (path === '') return malformed(':path is empty');
  return { problem: null, contentLength };
}

/** Why a trailer list is malformed (no pseudo-headers, same field rules), or null. */
export function trailersProblem(headers: RawHeaders): string | null {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    const name = headers[i]!;
    if (name.charCodeAt(0) === 0x3a) return `pseudo-header ${name} in trailers`;
    const problem = fieldProblem(name, headers[i + 1]!);
    if (problem !== null) return problem;
  }
  return null;
}

// A field name is a lowercase token (RFC 9110 section 5.6.2); a pseudo-header adds its leading colon.
const BAD_NAME = /[^a-z0-9!#$%&'*+\-.^_`|~]/;
const BAD_VALUE = /[\0\n\r]/;

function fieldProblem(name: string, value: string): string | null {
  if (name.length === 0) return 'an empty field name';
  if (BAD_NAME.test(name.charCodeAt(0) === 0x3a ? name.slice(1) : name)) return 'a field name with an uppercase or separator character';
  if (BAD_VALUE.test(value)) return `a CR, LF or NUL in the value of ${name.slice(0, 40)}`;
  return null;
}

function malformed(problem: string): RequestCheck {
  return { problem, contentLength: -1 };
}
