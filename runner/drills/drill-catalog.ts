import {
  type DrillAttempt,
  type DrillListItem,
  type DrillSpec,
  MANIFEST_SCHEMA_VERSION,
  type Manifest,
  type RunbookSpec,
} from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

/** Shown in the list where a drill's text names the attempt's folder, which does not exist yet. */
const FOLDER_PLACEHOLDER = '<the attempt folder>';

// The drills the runner can run: content/drills validated against the runbooks of its manifest,
// read again on every call (a drill naming a runbook the manifest lacks is left out).
export async function loadDrills(drillsDir: string, runbooks: readonly RunbookSpec[]): Promise<DrillSpec[]> {
  const manifest: Manifest = { schemaVersion: MANIFEST_SCHEMA_VERSION, runbooks: [...runbooks] };
  // The drill compiler (YAML, diagnostics) loads when the drills are first asked for, so a runner
  // that never shows them does not carry it.
  const { compileDrills } = await import('../../site/compiler/drills/compile-drills.ts');
  return (await compileDrills(drillsDir, manifest)).drills;
}

export async function findDrill(drillsDir: string, runbooks: readonly RunbookSpec[], name: string) {
  const drill = (await loadDrills(drillsDir, runbooks)).find((item) => item.name === name);
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
