#!/usr/bin/env node
// The e6-mock-engine command. Everything it does lives in cli/; this file only
// runs it and turns the result into the process's exit code.
import { runCli } from './cli/cli-main';

runCli(process.argv.slice(2)).then(
  (code) => {
    // Exit explicitly: every server is closed by now, and a lingering handle
    // (a keep-alive socket, stdin) must not keep a stopped mock alive.
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`e6-mock-engine: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
