// A grpc-js client connected to an in-process server (a mock cluster's
// gateway, one engine, a load balancer stub), closed together with it.
import { createEngineClient, type EngineClient } from '@e6data-ts/grpc-transport';
import { type Closable } from './fixture';

/** A server that listens on host:port and closes. */
export interface ListeningServer extends Closable {
  readonly host: string;
  readonly port: number;
}

/** Connects a client to `server`; close() closes the client, then the server (also when connecting fails). */
export async function connectClient(server: ListeningServer): Promise<{ client: EngineClient } & Closable> {
  let client: EngineClient;
  try {
    client = createEngineClient({ host: server.host, port: server.port });
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    client,
    close: async () => {
      client.close();
      await server.close();
    },
  };
}
