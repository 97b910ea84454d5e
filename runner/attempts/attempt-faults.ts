import { RunnerError } from '../errors.ts';

// The short reason of a failed write, as an operator reads it: ENOSPC, EROFS, EACCES.
export function describeFault(error: unknown): string {
  if (error instanceof RunnerError && error.cause !== undefined) return describeFault(error.cause);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
