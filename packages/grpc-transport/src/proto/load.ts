// Loads the project's .proto files with @grpc/proto-loader. The options are
// part of the wire contract: field names keep their case (`new_strategy`,
// `sessionId`), 64-bit integers arrive as decimal strings so no precision is
// lost, bytes as Buffers, and absent `optional` fields stay absent (so a
// missing `new_strategy` is told apart from an empty one).
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The folder holding the package's .proto files (shipped in the package's proto/). */
export const PROTO_DIR = join(__dirname, '..', '..', 'proto');
/** Path of e6x_engine.proto (QueryEngineService). */
export const ENGINE_PROTO = join(PROTO_DIR, 'e6x_engine.proto');
/** Path of cluster.proto (ClusterService). */
export const CLUSTER_PROTO = join(PROTO_DIR, 'cluster.proto');

/** The @grpc/proto-loader options every loader of these files must use (see the file header). */
export const PROTO_LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

/** The client constructors of the two services, as grpc-js builds them from the .proto files. */
export interface LoadedServices {
  QueryEngineService: grpc.ServiceClientConstructor;
  ClusterService: grpc.ServiceClientConstructor;
}

let cached: LoadedServices | undefined;
let cachedDefinition: protoLoader.PackageDefinition | undefined;

/**
 * The parsed .proto files as proto-loader describes them: each message's
 * descriptor (fields with number, label, type) and each service's methods with
 * their serializers. Loaded once per process.
 */
export function loadProtoDefinition(): protoLoader.PackageDefinition {
  cachedDefinition ??= protoLoader.loadSync([ENGINE_PROTO, CLUSTER_PROTO], PROTO_LOADER_OPTIONS);
  return cachedDefinition;
}

/** The two services, loaded once per process. */
export function loadServices(): LoadedServices {
  if (cached) return cached;
  const definition = loadProtoDefinition();
  const loaded = grpc.loadPackageDefinition(definition) as unknown as LoadedServices;
  cached = { QueryEngineService: loaded.QueryEngineService, ClusterService: loaded.ClusterService };
  return cached;
}

/** Service definitions for a grpc-js server (`server.addService(...)`). */
export function engineServiceDefinition(): grpc.ServiceDefinition {
  return loadServices().QueryEngineService.service;
}
/** Service definition of ClusterService for a grpc-js server. */
export function clusterServiceDefinition(): grpc.ServiceDefinition {
  return loadServices().ClusterService.service;
}
