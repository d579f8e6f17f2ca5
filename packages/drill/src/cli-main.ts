// The command line: parse, run (or merge), print, write the reports, exit code.
import { readFile, writeFile } from 'node:fs/promises';
import { connectorClient } from './connector-client';
import { DrillError, FlagError } from './drill-error';
import { parseDrillArgs } from './flags';
import { barView, type LiveView, plainView, silentView } from './live-view';
import { asReport, mergeReports } from './merge';
import { type ChildCommand, runMultiClient } from './multi-client';
import { renderHtml } from './render-html';
import { renderTable } from './render-table';
import { type DrillReport } from './report';
import { type ClientFactory, runDrill } from './run-drill';

/** Exit codes: 0 pass, 1 lost queries or a failed run, 2 bad flags. */
export const EXIT_PASS = 0;
/** Exit code of a run that lost queries or failed. */
export const EXIT_FAIL = 1;
/** Exit code of a command line that could not be parsed. */
export const EXIT_BAD_FLAGS = 2;

/** Where the CLI writes and what it may replace in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The stream a progress bar may draw on; null: never a bar. */
  readonly terminal: NodeJS.WriteStream | null;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted when the user asks to stop (SIGINT). */
  readonly signal?: AbortSignal;
  readonly connectClient?: ClientFactory;
  readonly child?: ChildCommand;
}

function pickView(mode: 'auto' | 'bar' | 'plain' | 'off', io: CliIo): LiveView {
  if (mode === 'off') return silentView;
  if (io.terminal !== null && (mode === 'bar' || (mode === 'auto' && io.terminal.isTTY))) return barView(io.terminal);
  return plainView(io.stderr);
}

async function writeReports(report: DrillReport, jsonFile: string | null, htmlFile: string | null, io: CliIo): Promise<void> {
  if (jsonFile !== null) {
    await writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    io.stderr(`report: ${jsonFile}\n`);
  }
  if (htmlFile !== null) {
    await writeFile(htmlFile, renderHtml(report));
    io.stderr(`html report: ${htmlFile}\n`);
  }
}

/** Runs `e6-drill` with `args`; resolves with the exit code. Never throws. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseDrillArgs(args);
  } catch (err) {
    if (err instanceof FlagError) {
      io.stderr(`e6-drill: ${err.message}\n`);
      return EXIT_BAD_FLAGS;
    }
    throw err;
  }
  try {
    switch (command.kind) {
      case 'help':
        io.stdout(`${command.text}\n`);
        return EXIT_PASS;
      case 'merge': {
        const reports: DrillReport[] = [];
        for (const file of command.files) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(await readFile(file, 'utf8'));
          } catch (err) {
            throw new DrillError('BAD_REPORT', `${file}: cannot be read as JSON (${err instanceof Error ? err.message.split('\n')[0] : 'error'})`);
          }
          reports.push(asReport(file, parsed));
        }
        const merged = mergeReports(reports, command.allowAmbiguous ? true : undefined);
        io.stdout(`${renderTable(merged)}\n`);
        await writeReports(merged, command.jsonFile, command.htmlFile, io);
        return merged.verdict.pass ? EXIT_PASS : EXIT_FAIL;
      }
      case 'run': {
        const { options } = command;
        const warn = (message: string): void => io.stderr(`e6-drill: warning: ${message}\n`);
        let report: DrillReport;
        if (options.clients > 1) {
          report = await runMultiClient(options, { child: io.child, env: io.env, signal: io.signal, warn, onLine: (line) => io.stderr(`${line}\n`) });
        } else {
          report = await runDrill(options, {
            connectClient: io.connectClient ?? connectorClient,
            env: io.env,
            view: pickView(options.live, io),
            signal: io.signal,
            warn,
          });
        }
        io.stdout(`${renderTable(report)}\n`);
        await writeReports(report, options.jsonFile, options.htmlFile, io);
        return report.verdict.pass ? EXIT_PASS : EXIT_FAIL;
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`e6-drill: ${message.split('\n')[0] ?? 'failed'}\n`);
    return EXIT_FAIL;
  }
}
