// The drill's connection through the real connector.
import { connect, type DetectEvent, type QueryLostEvent, type RetryEvent, type StrategyChangeEvent } from '@e6data-ts/connector';
import { type ClientFactory } from './run-drill';
import { type DrillClient, type DrillClientEvent } from './drill-client';

/** Opens one connector Connection that every worker of this process shares. */
export const connectorClient: ClientFactory = async (settings) => {
  const connection = await connect({
    host: settings.host,
    port: settings.port,
    username: settings.username,
    password: settings.password,
    secure: settings.secure,
    ...(settings.caCert === null ? {} : { caCert: settings.caCert }),
    ...(settings.cluster === null ? {} : { cluster: settings.cluster }),
    rerunOnLoss: settings.rerunOnLoss,
    autoResume: true,
  });
  const client: DrillClient = {
    query: async (sql, options) => {
      const result = await connection.query(sql, undefined, { signal: options?.signal, timeoutMs: options?.timeoutMs });
      return { rows: result.rows.length, trace: result.trace };
    },
    subscribe: (listener: (event: DrillClientEvent) => void) => {
      const onDetect = (e: DetectEvent): void => listener({ type: 'detect', strategy: e.strategy, at: Date.now() });
      const onRetry = (e: RetryEvent): void => listener({ type: 'retry', reason: e.reason, at: Date.now() });
      const onChange = (e: StrategyChangeEvent): void =>
        listener({ type: 'strategyChange', from: e.from, to: e.to, pending: e.pending, reason: e.reason, at: e.at });
      const onLost = (e: QueryLostEvent): void => listener({ type: 'queryLost', rerun: e.rerun, at: Date.now() });
      connection.on('detect', onDetect);
      connection.on('retry', onRetry);
      connection.on('strategyChange', onChange);
      connection.on('queryLost', onLost);
      return () => {
        connection.off('detect', onDetect);
        connection.off('retry', onRetry);
        connection.off('strategyChange', onChange);
        connection.off('queryLost', onLost);
      };
    },
    detections: () => connection.stats().detections,
    close: () => connection.close(),
  };
  return client;
};
