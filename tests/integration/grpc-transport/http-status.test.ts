// docs/wire.md section 4 on the wire: a load balancer answering HTTP 456 or 503
// with no gRPC status, as grpc-js reports it, and how the client classifies it.
import {
  ClusterSuspendedError,
  StrategyMismatchError,
  UnavailableError,
  classifyError,
  grpc,
  withReAuth,
  type EngineClient,
} from '@e6data-ts/grpc-transport';
import { parseStrategy, type Strategy } from '@e6data-ts/strategy-core';
import { connectClient } from '../../support/connected-client';
import { rejectionOf } from '../../support/expected-error';
import { type Closable } from '../../support/fixture';
import { answerGrpc, answerHttpStatus, startHttp2Server, type StreamHandler } from './servers';

describe('HTTP-level answers from the load balancer', () => {
  let running: Closable | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  /** A load balancer stub answering with `onStream`, and a client in front of it; both closed after the test. */
  async function behindLoadBalancer(onStream: StreamHandler): Promise<{ lb: Awaited<ReturnType<typeof startHttp2Server>>; client: EngineClient }> {
    const lb = await startHttp2Server(onStream);
    const connected = await connectClient({ host: '127.0.0.1', port: lb.port, close: lb.close });
    running = connected;
    return { lb, client: connected.client };
  }

  it('HTTP 456 reaches grpc-js as UNKNOWN "Received HTTP status code 456" and is a strategy mismatch', async () => {
    const { lb, client } = await behindLoadBalancer(answerHttpStatus(456));
    const failure = await rejectionOf(client.authenticate({ user: 'u', password: 'p' }, { headers: { strategy: 'blue' } }), StrategyMismatchError);
    expect(failure).toMatchObject({ grpcCode: grpc.status.UNKNOWN, details: 'Received HTTP status code 456', httpStatus: 456, kind: 'strategy-mismatch', ambiguous: false });
    expect(classifyError(failure)).toBe('strategy-mismatch');
    expect(lb.requests[0]?.[':path']).toBe('/QueryEngineService/authenticate');
    expect(lb.requests[0]?.strategy).toBe('blue');
  });

  it('HTTP 503 reaches grpc-js as UNAVAILABLE "Received HTTP status code 503" and means the cluster is suspended', async () => {
    const { client } = await behindLoadBalancer(answerHttpStatus(503));
    const prepare = client.prepareStatementV2({ sessionId: 's', schema: 'public', catalog: 'hive', queryString: 'SELECT 1', quoting: '' });
    const failure = await rejectionOf(prepare, ClusterSuspendedError);
    expect(failure).toMatchObject({ grpcCode: grpc.status.UNAVAILABLE, details: 'Received HTTP status code 503', httpStatus: 503, kind: 'cluster-suspended' });
  });

  it('HTTP 502 from a proxy is transient, not a suspension', async () => {
    const { client } = await behindLoadBalancer(answerHttpStatus(502));
    const failure = await rejectionOf(client.healthCheck({}), UnavailableError);
    expect(failure).toMatchObject({ details: 'Received HTTP status code 502', kind: 'transient' });
  });

  it('withReAuth over the wire: 456 on blue, the hook switches to green, the retry succeeds with the new header', async () => {
    // The live deployment is green: blue gets 456, green gets a real gRPC answer.
    const { lb, client: engine } = await behindLoadBalancer((stream, headers) => {
      if (parseStrategy(headers.strategy) === 'green') answerGrpc('authenticate', { sessionId: 'green-session' })(stream, headers);
      else answerHttpStatus(456)(stream, headers);
    });
    let strategy: Strategy = 'blue';
    const onStrategyMismatch = jest.fn((): Promise<void> => {
      strategy = 'green';
      return Promise.resolve();
    });
    const response = await withReAuth(() => engine.authenticate({ user: 'u', password: 'p' }, { headers: { strategy } }), {
      onStrategyMismatch,
      reAuthenticate: async () => {},
    });
    expect(response.sessionId).toBe('green-session');
    expect(onStrategyMismatch).toHaveBeenCalledTimes(1);
    expect(lb.requests.map((h) => h.strategy)).toEqual(['blue', 'green']);
  });
});
