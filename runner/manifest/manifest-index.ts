import { readFile } from 'node:fs/promises';
import {
  type CommandStepSpec,
  type DrillSpec,
  type Manifest,
  ManifestSchema,
  type RunbookSpec,
  type StepSpec,
} from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

// The step manifest the build emitted, indexed for lookups. The runner executes nothing else.
export class ManifestIndex {
  /** Every runbook in the manifest, in its order. */
  readonly runbooks: readonly RunbookSpec[];
  /** The drills built with these runbooks. */
  readonly drills: readonly DrillSpec[];
  readonly #bySlug: Map<string, RunbookSpec>;

  constructor(manifest: Omit<Manifest, 'drills'> & { drills?: readonly DrillSpec[] }) {
    this.runbooks = manifest.runbooks;
    this.drills = manifest.drills ?? [];
    this.#bySlug = new Map(manifest.runbooks.map((runbook) => [runbook.slug, runbook]));
  }

  static async load(file: string): Promise<ManifestIndex> {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new RunnerError('MANIFEST_INVALID', `cannot read the step manifest at ${file}; run npm run build`, {
        cause: error,
      });
    }
    const parsed = ManifestSchema.safeParse(json);
    if (!parsed.success) {
      throw new RunnerError('MANIFEST_INVALID', `the step manifest at ${file} is not valid: ${parsed.error.message}`);
    }
    return new ManifestIndex(parsed.data);
  }

  runbook(slug: string): RunbookSpec {
    const runbook = this.#bySlug.get(slug);
    if (!runbook) throw new RunnerError('NOT_FOUND', `no runbook "${slug}"`);
    return runbook;
  }

  findRunbook(slug: string): RunbookSpec | undefined {
    return this.#bySlug.get(slug);
  }

  step(slug: string, stepId: string): StepSpec {
    const step = this.runbook(slug).steps.find((item) => item.id === stepId);
    if (!step) throw new RunnerError('NOT_FOUND', `runbook "${slug}" has no step "${stepId}"`);
    return step;
  }

  commandStep(slug: string, stepId: string): CommandStepSpec {
    const step = this.step(slug, stepId);
    if (step.kind !== 'command') {
      throw new RunnerError('BAD_REQUEST', `step "${stepId}" is done by hand: acknowledge it instead of running it`);
    }
    return step;
  }
}
