// The door of @e6data-ts/drill: a concurrent workload through the connector
// while the cluster performs blue/green cutovers, ending in a verdict.

// Running a drill.
export { runDrill, credentialsFromEnv, type RunDrillDeps, type ClientSettings, type ClientFactory } from './run-drill';
export { runMultiClient, childArgs, selfCommand, type ChildCommand, type MultiClientDeps } from './multi-client';
export { runCli, EXIT_PASS, EXIT_FAIL, EXIT_BAD_FLAGS, type CliIo } from './cli-main';
export { connectorClient } from './connector-client';
export { type DrillClient, type DrillClientEvent, type DrillQueryOptions } from './drill-client';
export { startWorkload, ABANDONED_KIND, monotonicClock, type Workload, type WorkloadOptions, type WorkloadProgress, type DrillClock } from './workload';

// Options and flags.
export { type DrillOptions, type CutoverMode, type TargetAddress, DEFAULT_QUERIES } from './drill-options';
export { parseDrillArgs, parseTarget, renderHelp, DRILL_FLAGS, MERGE_FLAGS, type DrillCommand, type FlagSpec } from './flags';

// Classification, phases and windows.
export { classifyOutcome, errorKindOf, isFailure, QUERY_CLASSES, type QueryClass, type QueryOutcome, type DrillTrace, type Classification } from './query-class';
export {
  phaseAt,
  livePhase,
  windowAt,
  cutoversFromHistory,
  CUTOVER_SETTLE_MS,
  CUTOVER_WINDOWS,
  DRILL_PHASES,
  type DrillPhase,
  type CutoverWindow,
  type CutoverRecord,
  type WindowPlace,
} from './phases';
export { cutoversFromEvents } from './observed-cutovers';
export { planCutovers, planChaos, fitPhases, type PlannedCutover } from './cutover-plan';
export { startMockDriver, chaosFailPoint, type DrivenCluster, type MockDriver, type MockDriverOptions } from './mock-driver';

// Reports.
export {
  buildReport,
  judge,
  REPORT_FORMAT,
  REPORT_VERSION,
  type DrillReport,
  type RunRecord,
  type QuerySample,
  type ChaosEvent,
  type Verdict,
  type TimelineBucket,
} from './report';
export { mergeReports, asReport } from './merge';
export { newHistogram, recordMs, summarize, encodeHistogram, decodeHistogram, mergeEncoded, type LatencySummary } from './latency';
export { renderTable } from './render-table';
export { renderHtml, chartData, escapeHtml } from './render-html';
export { formatLine, formatCounts, plainView, barView, silentView, type LiveView, type LiveSnapshot } from './live-view';

// Errors.
export { DrillError, FlagError, ReportFormatError, type DrillErrorCode } from './drill-error';
