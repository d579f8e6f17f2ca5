export const CLI_HELP = `e6-mock-engine: a mock e6data cluster that performs blue/green deployments

Usage:
  e6-mock-engine [flags]                          whole cluster in one process (default)
  e6-mock-engine --role engine --name blue        one engine
  e6-mock-engine --role gateway --engines blue=HOST:PORT,green=HOST:PORT
                                                  gateway + admin API in front of running engines

Flags:
  --host HOST            interface to listen on (default 127.0.0.1; 0.0.0.0 in containers)
  --port PORT            gateway port, or the engine's port with --role engine (default 0: ephemeral)
  --admin-host HOST      admin API interface (default 127.0.0.1)
  --admin-port PORT      admin API port (default 0: ephemeral)
  --live blue|green      deployment live at start (default blue)
  --switch-every DUR     start a graceful deployment this long after each one ends (e.g. 120s)
  --announce DUR         default announce time of graceful deployments (default 1s)
  --drain DUR            default drain time of graceful deployments (default 5s)
  --resume-delay DUR     time from ClusterService resume to active (default 0)
  --users U:T[,U:T...]   accepted users and tokens (default admin@e6data.local:e6-mock-token)
  --batch-rows N         rows per result batch
  --session-idle DUR     idle time after which a session is forgotten
  --init-sql FILE        SQL file every engine runs at start (repeatable)
  --json                 print one JSON line when ready, for scripts and launchers
  --exit-on-stdin-end    stop when stdin closes (used by launchers)
  --help, -h             this text

Durations: 500ms, 30s, 2m, 1h (a unit is required; 0 turns a schedule off).
Exit codes: 0 stopped cleanly (SIGINT/SIGTERM), 1 failed to start, 2 bad flags.
`;
