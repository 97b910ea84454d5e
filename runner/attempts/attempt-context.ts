import type { Writable } from 'node:stream';
import type { CommandStepSpec } from '../../protocol/index.ts';
import type { RenderedScript } from '../execution/render-script.ts';
import type { StepExecutor } from '../execution/step-executor.ts';
import type { AttemptRun } from './attempt-run.ts';
import type { OutputLimits } from './output-pipeline.ts';

// Everything one attempt of a command step works with, fixed when it starts: it reads nothing
// more of its run while it runs.
export interface AttemptContext {
  run: AttemptRun;
  step: CommandStepSpec;
  attempt: number;
  /** The values of the step's references, taken and validated once when the attempt started. */
  values: ReadonlyMap<string, string>;
  rendered: RenderedScript;
  /** A shell="none" step's argv with its values, run instead of the script. */
  argv?: string[];
  /** The nodes a fan-out step runs on, in order; null for a step that runs once. */
  nodes: string[] | null;
  /** The node this part of a fan-out attempt runs on (set per node by the attempt itself). */
  node?: string;
  executor: StepExecutor;
  /** Where the process runs. */
  workdir: string;
  /** The process's environment, the run's and the step's ids included. */
  env: Record<string, string | undefined>;
  /** The attempt's full logs: the folder (for output held on disk) and a writer per file. */
  logs: { dir: string; open(fileName: string): Writable };
  limits: OutputLimits;
  graceMs: number;
  signal: AbortSignal;
  /** Called once the start is on disk, before the process is spawned. */
  onStarted?: () => void;
}
