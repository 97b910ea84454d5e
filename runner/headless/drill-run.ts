import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stateDirFrom } from '../../common/state-dir.ts';
import type { Manifest, RunbookSpec, RunEventRecord } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { exportRecord, formatOfFile } from '../export/export-formats.ts';
import { exportRunbookScript } from '../export/runbook-script.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';
import { type DrillRunOptions, parseDrillArgs, USAGE } from './drill-args.ts';
import { DrillError } from './drill-error.ts';
import { driveRun } from './drive-run.ts';
import { type HeadlessService, startHeadlessService } from './headless-service.ts';
import { overridePreflightItems } from './override-preflight.ts';
import { type ProgressSink, printProgress } from './print-progress.ts';

export interface DrillIo extends ProgressSink {
  /** The runbook SLUG compiled from its source (bin/ owns the compiler). */
  compile: (slug: string) => Promise<Manifest>;
  env: NodeJS.ProcessEnv;
  /** Called with a stop function while a run is under way, so a signal can cancel its step. */
  onStop?: (stop: () => Promise<void>) => void;
}

// `drill run SLUG …` from start to exit code: 0 when every step succeeded (or the dry run was
// printed), 1 when a step failed or needed an answer it was not given, 2 for a wrong command line.
export async function runDrill(argv: string[], io: DrillIo): Promise<number> {
  let options: DrillRunOptions;
  try {
    options = parseDrillArgs(argv);
  } catch (error) {
    if (!(error instanceof DrillError)) throw error;
    io.err(`drill: ${error.message}\n${USAGE}\n`);
    return error.exitCode;
  }
  return (await runHeadless(options, io)).code;
}

export interface HeadlessOutcome {
  code: number;
  /** The run's events and its runbook, once the run was created (a drill grades them). */
  run: { id: string; records: readonly RunEventRecord[]; runbook: RunbookSpec } | null;
}

// One runbook run from parsed options: what `drill run` does, and what a drill does per runbook.
export async function runHeadless(options: DrillRunOptions, io: DrillIo): Promise<HeadlessOutcome> {
  const { DRILLBOOK_PORT: _port, DRILLBOOK_STATE_DIR: _state, ...env } = io.env;
  const stateDir = path.resolve(options.stateDir ?? stateDirFrom(io.env));
  let headless: Awaited<ReturnType<typeof startHeadlessService>> | undefined;
  let runtime: RunRuntime | undefined;
  let runbook: RunbookSpec | undefined;
  const outcome = (code: number): HeadlessOutcome => ({
    code,
    run: runtime && runbook ? { id: runtime.id, records: runtime.records, runbook } : null,
  });
  try {
    headless = await startHeadlessService({
      compile: () => io.compile(options.slug),
      stateDir,
      manifestFile: options.manifest,
      env,
      log: (line) => io.err(`runner: ${line}\n`),
    });
    io.onStop?.(headless.close);
    const { service } = headless;
    runbook = service.manifest.runbook(options.slug);
    const manualNames = new Set(
      runbook.steps.flatMap((step) => (step.kind === 'manual' && step.input ? [step.input.name] : [])),
    );
    const params = Object.fromEntries([...options.params].filter(([name]) => !manualNames.has(name)));
    const manualValues = new Map([...options.params].filter(([name]) => manualNames.has(name)));
    runtime = options.resume
      ? await headless.resume(options.resume, runbook.slug)
      : await service.create({
          runbook: runbook.slug,
          operator: options.operator ?? os.userInfo().username,
          mode: options.dryRun ? 'dry-run' : options.mode,
          params,
          ...(options.context ? { context: options.context } : {}),
        });
    const verb = options.resume ? 'continued' : 'created';
    io.out(`Run ${runtime.id} ${verb}: ${runbook.meta.title} (${runtime.state.mode}), journal in ${stateDir}\n`);
    if (options.dryRun) {
      io.out(await exportRunbookScript(runtime, runbook));
      return outcome(0);
    }
    await overridePreflightItems(service, runtime, options.overrides, io);
    runtime.subscribe(printProgress(runbook, headless.logDirOf(runtime.id), io));
    await driveRun(service, runtime, runbook, options, manualValues);
    await service.end(runtime.id, 'completed');
    return outcome(0);
  } catch (error) {
    if (error instanceof DrillError) {
      io.err(`drill: ${error.message}\n`);
      if (runtime)
        io.err(`drill: run ${runtime.id} stays open: continue it with --resume ${runtime.id}, or on the page.\n`);
      return outcome(error.exitCode);
    }
    if (error instanceof RunnerError) {
      io.err(`drill: ${error.code}: ${error.message}\n`);
      return outcome(1);
    }
    throw error;
  } finally {
    if (runtime && options.record && headless) await writeRecord(options.record, runtime, headless, io);
    await headless?.close();
  }
}

// The run's record, as the page exports it, in the format its file name asks (.md, .html, .pdf, else JSON).
async function writeRecord(
  file: string,
  runtime: RunRuntime,
  headless: HeadlessService,
  io: ProgressSink,
): Promise<void> {
  const runbook = headless.service.manifest.findRunbook(runtime.state.runbook.slug);
  const exported = await exportRecord(formatOfFile(file), runtime, runbook, headless.store);
  await writeFile(file, exported.body, { mode: 0o600 });
  io.out(`Record written to ${file}\n`);
}
