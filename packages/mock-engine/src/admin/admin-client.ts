import { type PowerStatus } from '../cluster/cluster-power';
import { type ClusterState } from '../cluster/cluster-state';
import { type DeployOptions, type DeploymentPlan } from '../deployment/deployment-types';
import { AdminRequestError, InvalidMockOptionError } from '../errors';
import { type FailPointInfo, type FailPointSpec } from '../fail-points/fail-point-types';
import { type CallLogSnapshot } from '../gateway/call-log';

/** An AdminClient's default time limit, and the fetch and sleep it uses. */
export interface AdminClientOptions {
  /** Time limit of each call unless the call sets its own. Default 5 s. */
  timeoutMs?: number;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Waits between polls of waitForState; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Per-call abort signal and time limit of an admin API call. */
export interface AdminCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** How waitForState polls and how long it waits. */
export interface WaitForStateOptions extends AdminCallOptions {
  /** Time between polls. Default 50 ms. */
  intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** A typed client of the mock cluster's admin HTTP API. Every call has a time limit. */
export class AdminClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(baseUrl: string, options: AdminClientOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(baseUrl);
    } catch (err) {
      throw new InvalidMockOptionError('baseUrl', 'must be an absolute http(s) URL such as http://127.0.0.1:9000', { cause: err });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new InvalidMockOptionError('baseUrl', 'must use http or https');
    }
    this.baseUrl = parsed.href.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? sleepMs;
  }

  state(options?: AdminCallOptions): Promise<ClusterState> {
    return this.json<ClusterState>('GET', '/state', undefined, options);
  }

  /** Starts a deployment; resolves with its plan at once (poll state() or waitForState() for its end). */
  async deploy(deploy: DeployOptions = {}, options?: AdminCallOptions): Promise<DeploymentPlan> {
    const body = await this.json<{ deployment: DeploymentPlan }>('POST', '/deploy', deploy, options);
    return body.deployment;
  }

  async suspend(options?: AdminCallOptions): Promise<PowerStatus> {
    return (await this.json<{ status: PowerStatus }>('POST', '/suspend', undefined, options)).status;
  }

  async resume(options?: AdminCallOptions): Promise<PowerStatus> {
    return (await this.json<{ status: PowerStatus }>('POST', '/resume', undefined, options)).status;
  }

  failPoints(options?: AdminCallOptions): Promise<FailPointInfo[]> {
    return this.json<FailPointInfo[]>('GET', '/fail-points', undefined, options);
  }

  failPoint(rpc: string, options?: AdminCallOptions): Promise<FailPointInfo> {
    return this.json<FailPointInfo>('GET', failPointPath(rpc), undefined, options);
  }

  setFailPoint(rpc: string, spec: FailPointSpec, options?: AdminCallOptions): Promise<FailPointInfo> {
    return this.json<FailPointInfo>('PUT', failPointPath(rpc), spec, options);
  }

  async clearFailPoint(rpc: string, options?: AdminCallOptions): Promise<void> {
    await this.request('DELETE', failPointPath(rpc), undefined, options);
  }

  async clearFailPoints(options?: AdminCallOptions): Promise<void> {
    await this.request('DELETE', '/fail-points', undefined, options);
  }

  calls(options?: AdminCallOptions): Promise<CallLogSnapshot> {
    return this.json<CallLogSnapshot>('GET', '/calls', undefined, options);
  }

  async resetCalls(options?: AdminCallOptions): Promise<void> {
    await this.request('DELETE', '/calls', undefined, options);
  }

  async metrics(options?: AdminCallOptions): Promise<string> {
    return (await this.request('GET', '/metrics', undefined, options)).text();
  }

  /**
   * Polls state() until `predicate` holds and returns that state. `timeoutMs`
   * bounds the whole wait (default 30 s); each poll keeps the client's limit.
   */
  async waitForState(predicate: (state: ClusterState) => boolean, options: WaitForStateOptions = {}): Promise<ClusterState> {
    const limit = options.timeoutMs ?? 30_000;
    const deadline = AbortSignal.timeout(limit);
    const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
    let last: ClusterState | undefined;
    for (;;) {
      try {
        last = await this.state({ signal });
        if (predicate(last)) return last;
        await this.sleep(options.intervalMs ?? 50, signal);
      } catch (err) {
        if (options.signal?.aborted === true) throw options.signal.reason;
        if (!deadline.aborted) throw err;
        throw new AdminRequestError(
          'ADMIN_TIMEOUT',
          `the cluster did not reach the awaited state within ${limit} ms (last seen: ${last === undefined ? 'nothing' : `phase ${last.phase}, live ${last.live}`})`,
          { cause: err },
        );
      }
    }
  }

  private async json<T>(method: string, path: string, body: unknown, options?: AdminCallOptions): Promise<T> {
    const response = await this.request(method, path, body, options);
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new AdminRequestError('ADMIN_HTTP', `admin API answered ${method} ${path} with a body that is not JSON`, {
        cause: err,
        status: response.status,
      });
    }
  }

  private async request(method: string, path: string, body: unknown, options: AdminCallOptions = {}): Promise<Response> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        signal,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    } catch (err) {
      if (options.signal?.aborted === true) throw options.signal.reason;
      if (timeout.aborted) {
        throw new AdminRequestError('ADMIN_TIMEOUT', `admin API did not answer ${method} ${path} within ${timeoutMs} ms`, { cause: err });
      }
      throw new AdminRequestError('ADMIN_UNREACHABLE', `admin API at ${this.baseUrl} is unreachable (${method} ${path}): ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let detail = text.slice(0, 200);
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
      if (parsed.error?.message !== undefined) detail = `${parsed.error.code ?? 'ERROR'}: ${parsed.error.message}`;
    } catch {
      // Not JSON (a proxy's error page, say): the raw text, cut short, is the best detail there is.
    }
    throw new AdminRequestError('ADMIN_HTTP', `admin API refused ${method} ${path} (HTTP ${response.status}) ${detail}`.trim(), {
      status: response.status,
    });
  }
}

function failPointPath(rpc: string): string {
  return `/fail-points/${encodeURIComponent(rpc)}`;
}

function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
