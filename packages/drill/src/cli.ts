#!/usr/bin/env node
// `e6-drill`: the blue/green drill. The first Ctrl-C stops the workload and
// still writes the report; a second one exits at once.
import { runCli } from './cli-main';

const stop = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  interrupts += 1;
  if (interrupts === 1) {
    process.stderr.write('\ne6-drill: stopping (waiting for queries in flight; Ctrl-C again to quit now)\n');
    stop.abort();
  } else process.exit(130);
});

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  terminal: process.stderr,
  env: process.env,
  signal: stop.signal,
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    process.stderr.write(`e6-drill: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
