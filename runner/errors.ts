import type { ApiErrorCode } from '../protocol/index.ts';

// Errors the runner raises on purpose. Each has a stable code from the protocol; the HTTP layer
// maps codes to statuses, and the message is safe to show (it never contains a secret value).
export class RunnerError extends Error {
  readonly code: ApiErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RunnerError';
    this.code = code;
    this.details = options?.details;
  }
}

// A write to the state dir failed (a full disk, a read-only folder): the change was not recorded.
export function storageError(what: string, cause: unknown): RunnerError {
  const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? (cause as Error | undefined)?.message;
  return new RunnerError(
    'STORAGE_FAILED',
    `${what} could not be written (${reason ?? 'unknown error'}); nothing was recorded`,
    {
      cause,
    },
  );
}
