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

export interface AttemptEnd {
  outcome: StepOutcome;
  exitCode: number | null;
  message: string | null;
}

// An attempt's end as recorded. When the runner's own writes failed (`faults`: a full disk, a
// journal that refused a line), that is the step's failure, said first; a command that exited 0
// did not fail, so the end carries no exit code and the message says how the command ended.
export function endOf(result: ProcessResult, faults: readonly string[], failure: string | null): AttemptEnd {
  if (faults.length === 0)
    return { outcome: outcomeOf(result, failure), exitCode: result.exitCode, message: messageOf(result, failure) };
  const written = `the runner could not write the step's output: ${faults.join('; ')}`;
  const outcome = outcomeOf(result, written);
  if (outcome !== 'failed' || result.exitCode !== 0 || result.spawnError)
    return { outcome, exitCode: result.exitCode, message: messageOf(result, written) };
  return { outcome, exitCode: null, message: `${written}; the command itself exited with code 0` };
}
