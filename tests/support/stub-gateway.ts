import { CallLog, ClusterPower, DeploymentController, FailPoints, startGateway, type Gateway } from '@e6data-ts/mock-engine/internal';

/** A gateway and the collaborators a test steers it with. */
export interface StubGateway {
  gateway: Gateway;
  controller: DeploymentController;
  failPoints: FailPoints;
  callLog: CallLog;
  /** Stops the deployment controller and closes the gateway (not the engines). */
  close(): Promise<void>;
}

/**
 * A gateway in front of two stub engines on loopback, with fresh deployment,
 * fail-point and call-log state and one user `u` / `t`, for tests of the
 * gateway itself (no real engines, no admin API).
 */
export async function startStubGateway(ports: { blue: number; green: number }, options: { connectTimeoutMs?: number } = {}): Promise<StubGateway> {
  const controller = new DeploymentController();
  const failPoints = new FailPoints();
  const callLog = new CallLog();
  const gateway = await startGateway({
    engines: { blue: { host: '127.0.0.1', port: ports.blue }, green: { host: '127.0.0.1', port: ports.green } },
    controller,
    power: new ClusterPower(),
    failPoints,
    callLog,
    users: [{ user: 'u', token: 't' }],
    ...options,
  });
  return {
    gateway,
    controller,
    failPoints,
    callLog,
    async close(): Promise<void> {
      controller.close();
      await gateway.close();
    },
  };
}
