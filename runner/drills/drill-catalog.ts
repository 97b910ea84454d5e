import type { DrillAttempt, DrillListItem, DrillSpec } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

/** Shown in the list where a drill's text names the attempt's folder, which does not exist yet. */
const FOLDER_PLACEHOLDER = '<the attempt folder>';

// A drill of the manifest: the build validated it against the manifest's runbooks.
export function findDrill(drills: readonly DrillSpec[], name: string): DrillSpec {
  const drill = drills.find((item) => item.name === name);
  if (!drill) throw new RunnerError('NOT_FOUND', `no drill "${name}"`);
  return drill;
}

// What the page lists: each drill without its fault or answers, with its past attempts.
export function listDrillItems(drills: readonly DrillSpec[], attempts: readonly DrillAttempt[]): DrillListItem[] {
  return drills.map((drill) => ({
    name: drill.name,
    title: drill.title,
    summary: drill.summary,
    fixture: drill.fixture,
    symptoms: drill.symptoms.replaceAll('{drillDir}', FOLDER_PLACEHOLDER),
    timeLimit: drill.timeLimit,
    runbooks: drill.runbooks.map((entry) => entry.slug),
    attempts: attempts
      .filter((attempt) => attempt.drill === drill.name)
      .map(({ id, operator, via, startedAt, finishedAt, status }) => ({
        id,
        operator,
        via,
        startedAt,
        finishedAt,
        status,
      })),
  }));
}
