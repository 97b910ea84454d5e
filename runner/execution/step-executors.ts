import { createNodeExecutor } from './node-executor.ts';
import { podExecutor } from './pod-executor.ts';
import { localExecutor, type StepExecutor } from './step-executor.ts';

// Every target a runner executes: the page's runner and the headless one run the same steps alike.
export function createStepExecutors(options: { stateDir: string }): StepExecutor[] {
  return [localExecutor, podExecutor, createNodeExecutor(options)];
}
