// Prints one plain closing line, `tests: N passed, N failed, N skipped`, that
// any CI log reader understands, and fails the run when no test ran at all.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    if (results.numTotalTests === 0) {
      process.stdout.write('no test ran: failing the run\n');
      process.exitCode = 1;
    }
  }
}
module.exports = SummaryReporter;
