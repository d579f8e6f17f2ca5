// Prints the run's closing lines, `tests: N passed, N failed, N skipped` and
// the coverage gate's verdict with the totals, that any CI log reader finds
// at the very end; and fails the run when no test ran at all.
//
// jest calls custom reporters before its coverage reporter and its own
// summary, so the lines wait for the process's exit to come after both.
const { writeSync } = require('node:fs');
const { require: tsxRequire } = require('tsx/cjs/api');
const { closingLines } = tsxRequire('./test-report/closing-lines.ts', __filename);

class SummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
    this.latest = null;
  }

  onRunComplete(_contexts, results) {
    if (results.numTotalTests === 0) {
      process.stdout.write('no test ran: failing the run\n');
      process.exitCode = 1;
    }
    if (this.latest === null) {
      // Read at exit: jest's coverage reporter adds `coverageMap` to these same results after this call.
      process.once('exit', () => {
        const lines = closingLines(this.latest, { collected: this.globalConfig.collectCoverage, threshold: this.globalConfig.coverageThreshold });
        writeSync(1, `\n${lines.join('\n')}\n`);
      });
    }
    this.latest = results;
  }
}
module.exports = SummaryReporter;
