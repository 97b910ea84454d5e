import path from 'node:path';
import { PracticeError } from '../../practice/errors.ts';
import { practiceLayout } from '../../practice/layout.ts';
import type {
  DrillAttempt,
  DrillGrade,
  DrillListItem,
  DrillSpec,
  StartedDrill,
  TraineeReport,
} from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import type { RunService } from '../runs/run-service.ts';
import { computeTraineeReport } from '../training/trainee-report.ts';
import { attemptDir, listAttempts, newAttemptId, readAttempt, saveAttempt } from './attempt-store.ts';
import { findDrill, listDrillItems } from './drill-catalog.ts';
import { assertPracticeTarget } from './practice-target.ts';
import { fillDrillDir, PRACTICE_CONTEXT } from './reference-run.ts';

export interface PageDrillsOptions {
  service: RunService;
  /** The runner's state folder: its practice cluster and its attempts. */
  stateDir: string;
  env: Record<string, string | undefined>;
}

// Drills started from the page: the runner's own practice cluster is reset and broken, the
// trainee gets training runs of the drill's runbooks, and finishing grades the cluster as it is.
// One attempt is prepared at a time: they share the cluster.
export class PageDrills {
  readonly #options: PageDrillsOptions;
  #preparing = false;

  constructor(options: PageDrillsOptions) {
    this.#options = options;
  }

  // Every drill the manifest can run, with its past attempts (the headless ones too).
  async list(): Promise<DrillListItem[]> {
    const { service, stateDir } = this.#options;
    return listDrillItems(service.manifest.drills, await listAttempts(stateDir));
  }

  drill(name: string): DrillSpec {
    return findDrill(this.#options.service.manifest.drills, name);
  }

  async start(name: string, operator: string): Promise<StartedDrill> {
    const { service, stateDir } = this.#options;
    const drill = this.drill(name);
    assertPracticeTarget(service.contexts);
    if (this.#preparing) throw new RunnerError('STEP_BUSY', 'another drill is being prepared on the practice cluster');
    this.#preparing = true;
    try {
      const id = newAttemptId(new Date());
      const drillDir = attemptDir(stateDir, id);
      await this.#prepare(drill, drillDir);
      assertPracticeTarget(service.contexts, { mustExist: true });
      // The trainee's clock starts once the cluster is broken, not while it is being reset.
      const startedAt = new Date();
      const attempt: DrillAttempt = {
        id,
        drill: drill.name,
        operator,
        via: 'page',
        startedAt: startedAt.toISOString(),
        finishedAt: null,
        status: 'in-progress',
        runs: [],
        criteria: [],
      };
      await saveAttempt(stateDir, attempt);
      for (const entry of drill.runbooks) {
        const runbook = service.manifest.runbook(entry.slug);
        const declared = new Set(runbook.params.map((param) => param.name));
        const params = Object.fromEntries(
          Object.entries(entry.answers.params)
            .filter(([param]) => declared.has(param))
            .map(([param, value]) => [param, fillDrillDir(value, drillDir)]),
        );
        const runtime = await service.create({
          runbook: entry.slug,
          operator,
          mode: 'training',
          context: PRACTICE_CONTEXT,
          params,
        });
        attempt.runs.push({ slug: entry.slug, runId: runtime.id });
      }
      await saveAttempt(stateDir, attempt);
      return {
        attemptId: id,
        drill: drill.name,
        title: drill.title,
        operator,
        startedAt: attempt.startedAt,
        timeLimit: drill.timeLimit,
        symptoms: fillDrillDir(drill.symptoms, drillDir),
        runs: attempt.runs,
      };
    } finally {
      this.#preparing = false;
    }
  }

  async finish(attemptId: string): Promise<DrillGrade> {
    const { service, stateDir } = this.#options;
    const attempt = await readAttempt(stateDir, attemptId);
    if (!attempt) throw new RunnerError('NOT_FOUND', `no drill attempt "${attemptId}"`);
    if (attempt.status !== 'in-progress')
      throw new RunnerError('RUN_ENDED', `drill attempt "${attemptId}" was graded already (${attempt.status})`);
    const drill = this.drill(attempt.drill);
    // The practice cluster's code (fixtures, faults, criteria) loads on first use: a runner that
    // never grades a drill does not carry it.
    const { fixtureContext } = await import('../../practice/fixtures/fixture-context.ts');
    const { checkCriteria } = await import('../../practice/drills/check-criteria.ts');
    let context: Awaited<ReturnType<typeof fixtureContext>>;
    try {
      context = await fixtureContext(practiceLayout(stateDir, drill.nodes));
    } catch (error) {
      if (!(error instanceof PracticeError)) throw error;
      throw new RunnerError('CONTEXT_INVALID', `the practice cluster cannot be graded: ${error.message}`);
    }
    attempt.criteria = await checkCriteria(context, drill.criteria);
    attempt.status = attempt.criteria.every((result) => result.passed) ? 'passed' : 'failed';
    attempt.finishedAt = new Date().toISOString();
    const reports: TraineeReport[] = [];
    for (const run of attempt.runs) {
      await service.end(run.runId, 'completed').catch(() => undefined);
      const runtime = service.get(run.runId);
      reports.push(computeTraineeReport(runtime.records, service.manifest.runbook(run.slug)));
    }
    attempt.reports = reports;
    await saveAttempt(stateDir, attempt);
    return {
      attemptId: attempt.id,
      drill: attempt.drill,
      status: attempt.status,
      criteria: attempt.criteria,
      elapsedMs: Math.max(0, Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt)),
      timeLimit: drill.timeLimit,
      reports,
    };
  }

  async #prepare(drill: DrillSpec, drillDir: string): Promise<void> {
    const { prepareDrill } = await import('../../practice/drills/prepare-drill.ts');
    try {
      await prepareDrill(path.resolve(this.#options.stateDir), drill, drillDir, { ...this.#options.env });
    } catch (error) {
      if (!(error instanceof PracticeError)) throw error;
      throw new RunnerError(
        'CONTEXT_INVALID',
        `the practice cluster could not be prepared (${error.code}): ${error.message}`,
      );
    }
  }
}
