import type { CommandStepSpec, RunEvent } from '../../protocol/index.ts';
import { describeFault } from './attempt-faults.ts';
import type { AttemptRun } from './attempt-run.ts';

type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
type Finish = Omit<EventOf<'step-finished'>, 'type' | 'stepId' | 'attempt'>;
export type OutputEvent = EventOf<'output' | 'output-truncated'>;
export type RecordOutput = (event: OutputEvent, options: { durable: boolean }) => Promise<unknown>;

// Every event of one attempt is written here, through the run's journal, in the order asked: the
// start, the wait's retries and the end, which must be written or the attempt stops; the output,
// which the output pipeline writes through `recordOutput` and counts when lost; and the results,
// of which a lost one is counted and fails the step with the reason.
export class AttemptRecorder {
  readonly #run: AttemptRun;
  readonly #stepId: string;
  readonly #attempt: number;
  #lostResults = 0;
  #lostBecause: unknown;

  constructor(run: AttemptRun, stepId: string, attempt: number) {
    this.#run = run;
    this.#stepId = stepId;
    this.#attempt = attempt;
  }

  record(event: RunEvent): Promise<unknown> {
    return this.#run.record(event);
  }

  readonly recordOutput: RecordOutput = (event, options) => this.#run.record(event, options);

  started(
    step: Pick<CommandStepSpec, 'hash' | 'script' | 'references' | 'target'>,
    processMarker: string,
  ): Promise<unknown> {
    const { hash: stepHash, script, references, target } = step;
    return this.record({
      type: 'step-started',
      stepId: this.#stepId,
      stepHash,
      attempt: this.#attempt,
      script,
      references,
      processMarker,
      target,
    });
  }

  // Null once the process group is on record; otherwise what went wrong, for the step's message.
  spawned(pgid: number): Promise<string | null> {
    return this.record({ type: 'step-spawned', stepId: this.#stepId, attempt: this.#attempt, pgid }).then(
      () => null,
      (error: unknown) => `its process group could not be recorded (${describeFault(error)})`,
    );
  }

  nodeStarted(node: string, index: number, total: number): Promise<unknown> {
    return this.record({ type: 'node-started', stepId: this.#stepId, attempt: this.#attempt, node, index, total });
  }

  nodeFinished(end: Omit<EventOf<'node-finished'>, 'type' | 'stepId' | 'attempt'>): Promise<unknown> {
    return this.record({ type: 'node-finished', stepId: this.#stepId, attempt: this.#attempt, ...end });
  }

  waitRetry(poll: number): Promise<unknown> {
    return this.record({ type: 'wait-retry', stepId: this.#stepId, attempt: this.#attempt, poll });
  }

  // Records a capture or check result; false when it could not be written (it is counted).
  result(event: RunEvent): Promise<boolean> {
    return this.record(event).then(
      () => true,
      (error: unknown) => {
        this.#lostResults++;
        this.#lostBecause ??= error;
        return false;
      },
    );
  }

  /** The results that could not be recorded, in words for the step's message. */
  get resultFault(): string | null {
    if (this.#lostResults === 0) return null;
    return `${this.#lostResults} results could not be recorded (${describeFault(this.#lostBecause)})`;
  }

  finished(end: Finish): Promise<unknown> {
    return this.record({ type: 'step-finished', stepId: this.#stepId, attempt: this.#attempt, ...end });
  }
}
