export type DrillErrorCode =
  /** The command line is wrong. */
  | 'USAGE'
  /** A step failed: its exit code, a check, a capture, a timeout. */
  | 'STEP_FAILED'
  /** A manual step has no answer on the command line. */
  | 'NEEDS_ANSWER'
  /** A capture with pick="operator" has no --choose, or the chosen value is not a candidate. */
  | 'NEEDS_CHOICE'
  /** A destructive step without --yes. */
  | 'NEEDS_YES'
  /** The runner refused a request (a missing value, a refused param, a storage failure). */
  | 'REFUSED';

// Why a headless run stopped; the message names the step and the reason.
export class DrillError extends Error {
  readonly code: DrillErrorCode;

  constructor(code: DrillErrorCode, message: string) {
    super(message);
    this.name = 'DrillError';
    this.code = code;
  }

  get exitCode(): number {
    return this.code === 'USAGE' ? 2 : 1;
  }
}
