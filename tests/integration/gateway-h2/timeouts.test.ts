// The gateway's clocks: a header block left unfinished, a client connection
// left idle, and the GOAWAY every client gets when the gateway closes.
import { CallLog, ClusterPower, DeploymentController, FailPoints, h2, startGateway, type Gateway } from '@e6data-ts/mock-engine/internal';
import { grpcRequestHeaders, RawClient, rawFrame } from '../../support/raw-http2';

describe('gateway timeouts and close', () => {
  let gateway: Gateway;
  let controller: DeploymentController;
  let failPoints: FailPoints;
  const clients: RawClient[] = [];

  beforeEach(async () => {
    controller = new DeploymentController();
    failPoints = new FailPoints();
    gateway = await startGateway({
      // No call in these tests reaches an engine.
      engines: { blue: { host: '127.0.0.1', port: 9 }, green: { host: '127.0.0.1', port: 9 } },
      controller,
      power: new ClusterPower(),
      failPoints,
      callLog: new CallLog(),
      users: [],
      limits: { headerTimeoutMs: 150, idleTimeoutMs: 300 },
    });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    controller.close();
    await gateway.close();
  });

  async function connect(): Promise<RawClient> {
    const client = await RawClient.connect(gateway.port);
    clients.push(client);
    return client;
  }

  it('ends a connection whose header block is not finished in time with GOAWAY(PROTOCOL_ERROR)', async () => {
    const client = await connect();
    const block = h2.encodeHeaderBlock(grpcRequestHeaders());
    // HEADERS without END_HEADERS, and the CONTINUATION never comes.
    await client.send(rawFrame(h2.FRAME_HEADERS, 0, 1, block));
    const started = performance.now();
    const goaway = await client.waitForGoaway(5_000);
    expect(goaway.code).toBe(h2.ERROR_PROTOCOL);
    expect(goaway.debug).toContain('not finished within 150 ms');
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    await client.closed;
  });

  it('ends an idle client connection with GOAWAY(NO_ERROR), but not one with a stream open', async () => {
    failPoints.set('*', { mode: 'alwaysOn', action: { stall: true } });
    const idle = await connect();
    const busy = await connect();
    // A stream held open (a stall fail point) keeps its connection from being idle.
    await busy.send(rawFrame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS, 1, h2.encodeHeaderBlock(grpcRequestHeaders())));
    const goaway = await idle.waitForGoaway(5_000);
    expect(goaway).toMatchObject({ code: h2.ERROR_NO_ERROR, lastStreamId: 0 });
    await idle.closed;
    await new Promise((r) => setTimeout(r, 400));
    expect(busy.goaway()).toBeNull();
    expect(gateway.openSessions()).toBe(1);
    expect(failPoints.stalledCalls()).toBe(1);
  });

  it('ends a connection that never sends the preface once it has been idle', async () => {
    const client = await RawClient.connect(gateway.port, { preface: false });
    clients.push(client);
    await client.closed;
    expect(client.goaway()?.code).toBe(h2.ERROR_NO_ERROR);
  });

  it('sends every client GOAWAY(NO_ERROR) naming the last stream it took when it closes', async () => {
    const first = await connect();
    const second = await connect();
    await first.send(rawFrame(h2.FRAME_HEADERS, h2.FLAG_END_HEADERS, 3, h2.encodeHeaderBlock(grpcRequestHeaders())));
    await first.waitFor('the stream to be taken', () => gateway.openSessions() === 2);
    await new Promise((r) => setTimeout(r, 20));
    await gateway.close();
    await Promise.all([first.closed, second.closed]);
    expect(first.goaway()).toMatchObject({ code: h2.ERROR_NO_ERROR, lastStreamId: 3 });
    expect(second.goaway()).toMatchObject({ code: h2.ERROR_NO_ERROR, lastStreamId: 0 });
  });
});
