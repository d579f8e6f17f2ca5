import { CLI_FLAGS } from './cli-args';
import { renderFlagHelp } from './flag-table';

/** `e6-mock-engine --help`. The flag lines are rendered from CLI_FLAGS, the table the parser reads. */
export const CLI_HELP = `e6-mock-engine: a mock e6data cluster that performs blue/green deployments

Usage:
  e6-mock-engine [flags]                          whole cluster in one process (default)
  e6-mock-engine --role engine --name blue        one engine
  e6-mock-engine --role gateway --engines blue=HOST:PORT,green=HOST:PORT
                                                  gateway + admin API in front of running engines

Flags:
${renderFlagHelp(CLI_FLAGS)}

Durations: 500ms, 30s, 2m, 1h (a unit is required; 0 turns a schedule off).
Stops on SIGINT, SIGTERM or when the process that started it exits (a killed "pnpm mock-engine").
Exit codes: 0 stopped cleanly, 1 failed to start, 2 bad flags.
`;
