import os from 'node:os';
import path from 'node:path';
import { stateDirFrom } from '../../common/state-dir.ts';
import { checkCriteria } from '../../practice/drills/check-criteria.ts';
import { prepareDrill } from '../../practice/drills/prepare-drill.ts';
import { PracticeError } from '../../practice/errors.ts';
import { fixtureContext } from '../../practice/fixtures/fixture-context.ts';
import { ensureTools } from '../../practice/tools/pinned-tools.ts';
import { type DrillAttempt, type DrillSpec, formatDuration } from '../../protocol/index.ts';
import { DrillError } from '../headless/drill-error.ts';
import { type DrillIo, runHeadless } from '../headless/drill-run.ts';
import { formatTraineeReportMarkdown } from '../training/format-trainee-report.ts';
import { computeTraineeReport } from '../training/trainee-report.ts';
import { attemptDir, newAttemptId, saveAttempt } from './attempt-store.ts';
import { DRILL_ATTEMPT_USAGE, type DrillAttemptOptions, parseDrillAttemptArgs } from './drill-attempt-args.ts';
import { formatGrade } from './print-grade.ts';
import { fillDrillDir, referenceRunOptions } from './reference-run.ts';

export interface DrillAttemptIo extends DrillIo {
  /** content/drills/NAME.yaml validated against its runbooks (bin/ owns the compiler). */
  loadDrill: (name: string) => Promise<DrillSpec>;
}

// `drill drill NAME`: the practice cluster reset to the drill's fixture, the fault injected, each
// runbook run in training mode with the reference answers, then the success criteria checked.
// Exit 0 only when every criterion holds; 1 when one fails; 2 for a wrong command line.
export async function runDrillAttempt(argv: string[], io: DrillAttemptIo): Promise<number> {
  let options: DrillAttemptOptions;
  let drill: DrillSpec;
  try {
    options = parseDrillAttemptArgs(argv);
    drill = await io.loadDrill(options.name);
    await checkExtraSkips(drill, options.skips, io);
  } catch (error) {
    if (!(error instanceof DrillError)) throw error;
    io.err(`drill: ${error.message}\n${DRILL_ATTEMPT_USAGE}\n`);
    return error.exitCode;
  }
  const stateDir = path.resolve(options.stateDir ?? stateDirFrom(io.env));
  const attempt: DrillAttempt = {
    id: newAttemptId(new Date()),
    drill: drill.name,
    operator: options.operator ?? os.userInfo().username,
    via: 'headless',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    status: 'in-progress',
    runs: [],
    criteria: [],
  };
  const drillDir = attemptDir(stateDir, attempt.id);
  io.out(`Drill ${drill.name}: ${drill.title}\n`);
  io.out(`Resetting the practice cluster to the ${drill.fixture} fixture (${drill.nodes} node(s)), then the fault…\n`);
  let prepared: Awaited<ReturnType<typeof prepareDrill>>;
  try {
    prepared = await prepareDrill(stateDir, drill, drillDir, io.env);
  } catch (error) {
    if (!(error instanceof PracticeError)) throw error;
    io.err(`drill: the practice cluster could not be prepared (${error.code}): ${error.message}\n`);
    return 1;
  }
  const took = (ms: number) => formatDuration(ms);
  io.out(
    `Ready: reset ${took(prepared.resetMs)}, fixture ${took(prepared.fixtureMs)}, fault ${took(prepared.faultMs)}.\n`,
  );
  io.out(`Symptoms: ${fillDrillDir(drill.symptoms, drillDir)}\n`);
  // The attempt's time is the repair's: it starts once the cluster is broken.
  attempt.startedAt = new Date().toISOString();
  await saveAttempt(stateDir, attempt);
  const tools = await ensureTools();
  const env = { ...io.env, KUBECONFIG: prepared.layout.kubeconfig, PATH: `${tools.binDir}:${io.env.PATH ?? ''}` };
  const started = performance.now();
  const reports: string[] = [];
  for (const entry of drill.runbooks) {
    io.out(`\n── ${entry.slug}, in training mode ──\n`);
    const stepIds = (await io.compile(entry.slug)).runbooks.flatMap((runbook) => runbook.steps.map((step) => step.id));
    const run = referenceRunOptions(entry, stepIds, {
      drillDir,
      operator: attempt.operator,
      stateDir,
      extraSkips: options.skips,
    });
    const outcome = await runHeadless(run, { ...io, env });
    if (outcome.run) {
      attempt.runs.push({ slug: entry.slug, runId: outcome.run.id });
      const report = formatTraineeReportMarkdown(computeTraineeReport(outcome.run.records, outcome.run.runbook));
      reports.push(report.replace('## Trainee report', `## Trainee report: ${entry.slug}`));
    }
    if (outcome.code !== 0) {
      io.out(`The run of ${entry.slug} stopped; the drill is graded on the cluster as it is now.\n`);
      break;
    }
  }
  const elapsedMs = performance.now() - started;
  attempt.criteria = await checkCriteria(await fixtureContext(prepared.layout), drill.criteria);
  attempt.status = attempt.criteria.every((result) => result.passed) ? 'passed' : 'failed';
  attempt.finishedAt = new Date().toISOString();
  await saveAttempt(stateDir, attempt);
  io.out(`\n${reports.join('\n')}\n${formatGrade(attempt.criteria, elapsedMs, drill.timeLimit)}`);
  io.out(`Attempt ${attempt.id} recorded in ${drillDir}\n`);
  return attempt.status === 'passed' ? 0 : 1;
}

// An instructor's --skip must name a step of one of the drill's runbooks.
async function checkExtraSkips(drill: DrillSpec, skips: ReadonlyMap<string, string>, io: DrillAttemptIo) {
  if (skips.size === 0) return;
  const known = new Set<string>();
  for (const entry of drill.runbooks)
    for (const runbook of (await io.compile(entry.slug)).runbooks) for (const step of runbook.steps) known.add(step.id);
  const unknown = [...skips.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new DrillError(
      'USAGE',
      `no step "${unknown.join('", "')}" in ${drill.runbooks.map((e) => e.slug).join(', ')}`,
    );
}
