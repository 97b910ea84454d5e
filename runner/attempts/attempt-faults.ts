import { RunnerError } from '../errors.ts';

// The reason of a failed write, as an operator reads it: "ENOSPC: no space left on device".
export function describeFault(error: unknown): string {
  if (error instanceof RunnerError && error.cause !== undefined) return describeFault(error.cause);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return message;
  // Node's system errors read "ENOSPC: no space left on device, write": the code, what it means, the call.
  const meaning = new RegExp(`^${code}: ([^,]+)`).exec(message)?.[1];
  return meaning ? `${code}: ${meaning}` : code;
}
