import type { StepOutcome } from '../../protocol/index.ts';
import type { ProcessResult } from '../execution/run-process.ts';

// How an attempt (or one node of a fan-out attempt) ended, from its process and its first failure.
export function outcomeOf(result: ProcessResult, failure: string | null): StepOutcome {
  if (result.canceled) return 'canceled';
  if (result.timedOut) return 'timed-out';
  if (result.exitCode !== 0 || failure !== null) return 'failed';
  return 'succeeded';
}

export function messageOf(result: ProcessResult, failure: string | null): string | null {
  if (result.spawnError) return `bash could not start: ${result.spawnError.message}`;
  if (result.canceled) return 'canceled by the operator';
  if (result.idleTimedOut) return 'stopped: no output for longer than the idle timeout';
  if (result.timedOut) return 'stopped: the step ran longer than its timeout';
  if (result.exitCode !== 0) {
    const ended = result.signal ? `ended by ${result.signal}` : `exited with code ${result.exitCode}`;
    return failure ? `${ended}; ${failure}` : ended;
  }
  return failure;
}
