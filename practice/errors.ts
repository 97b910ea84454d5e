// Errors the practice cluster raises on purpose; the command prints the message, which always
// says what to do next.
export type PracticeErrorCode =
  | 'MISSING_PREREQUISITE'
  | 'COMMAND_FAILED'
  | 'START_TIMEOUT'
  | 'STOP_FAILED'
  | 'TOOL_INVALID'
  | 'BAD_USAGE'
  | 'NODE_SHELL_NEEDS_ROOT'
  | 'FIXTURE_FAILED'
  | 'FAULT_FAILED';

export class PracticeError extends Error {
  readonly code: PracticeErrorCode;

  constructor(code: PracticeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PracticeError';
    this.code = code;
  }
}
