import { ListenError, listenFailureOf, type MockClusterError } from '../errors';
import { type CliRunOptions } from './cli-args';

// What the CLI prints when its role cannot start: one line that names the part
// that failed and the flag to change, instead of the listening library's words.

const ENGINE_LISTEN = /deployment (blue|green) cannot listen on (\S+):/;
const INIT_SQL_SCRIPT = /initSql script (\d+) failed: /;

/** The flag that sets what a failed listen was about, for `role`. */
function flagFor(role: CliRunOptions['role'], component: 'gateway' | 'admin API' | 'engine', failure: 'port-in-use' | 'address-not-local'): string {
  if (component === 'admin API') return failure === 'port-in-use' ? '--admin-port' : '--admin-host';
  // With --role cluster the engines take ephemeral ports on --host: only the host can be wrong.
  if (component === 'engine' && role === 'cluster') return '--host';
  return failure === 'port-in-use' ? '--port' : '--host';
}

/** The reason `e6-mock-engine` prints after "could not start the <role>: ", on one line. */
export function describeStartFailure(options: CliRunOptions, error: MockClusterError): string {
  if (error instanceof ListenError && error.failure !== 'other') {
    const component = error.component === 'admin API' ? 'admin API' : 'gateway';
    return `${error.message} (${flagFor(options.role, component, error.failure)})`;
  }
  const engine = ENGINE_LISTEN.exec(error.message);
  const failure = listenFailureOf(error);
  if (engine !== null && failure !== 'other') {
    const [, name, address] = engine;
    const host = options.host;
    const why = failure === 'port-in-use' ? `port ${options.port} is already in use` : `${host} is not an address of this machine`;
    return `the ${name} engine cannot listen on ${address}: ${why} (${flagFor(options.role, 'engine', failure)})`;
  }
  const script = INIT_SQL_SCRIPT.exec(error.message);
  const file = script === null || options.role === 'gateway' ? undefined : options.initSqlFiles[Number(script[1]) - 1];
  // The engines number their scripts; the user gave file paths. DuckDB's own message follows, on one line.
  if (script !== null && file !== undefined) return oneLine(`--init-sql ${file} failed: ${error.message.slice((script.index ?? 0) + script[0].length)}`);
  return oneLine(error.message);
}

/** DuckDB's messages span lines (the statement, a caret under the error); a terminal line reads better. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
