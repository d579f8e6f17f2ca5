// A jest reporter that writes one self-contained HTML report grouped by tier:
// reports/test-report.html for a run over several tiers, reports/<tier>.html
// for a run of one. The logic is TypeScript in ./test-report, loaded through
// tsx because jest loads reporters with a plain require.
const { require: tsxRequire } = require('tsx/cjs/api');
const { writeTestReport } = tsxRequire('./test-report/write-report.ts', __filename);

class HtmlReportReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    this.outputDir = options.outputDir ?? `${globalConfig.rootDir}/reports`;
    this.title = options.title ?? 'Test report';
  }

  onRunComplete(_contexts, results) {
    const path = writeTestReport(results, { rootDir: this.rootDir, outputDir: this.outputDir, title: this.title });
    if (path !== null) process.stdout.write(`test report: ${path}\n`);
  }
}
module.exports = HtmlReportReporter;
