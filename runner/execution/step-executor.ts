import type { StepTargetKind } from '../../protocol/index.ts';
import { type ProcessRequest, type ProcessResult, runProcess } from './run-process.ts';

// Where a step's process runs. Today: the operator's machine. A pod (exec through the Kubernetes
// API), a node over SSH, or a Kubernetes Job implement the same interface.
export interface StepExecutor {
  readonly target: StepTargetKind;
  run(request: ProcessRequest): Promise<ProcessResult>;
}

export const localExecutor: StepExecutor = {
  target: 'local',
  run: runProcess,
};
