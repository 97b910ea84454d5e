// Types only: the page carries no schema library, to stay small (see npm run bench).
import type { ApiError as ApiErrorBody, ApiErrorCode, PageErrorCode } from '../../protocol/index.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | PageErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(status: number, code: ApiErrorCode | PageErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

// The runner's error body ({code, message, details}) as an ApiError; a body without a code is ERROR.
export async function readApiError(response: Response): Promise<ApiError> {
  const error = (await response.json().catch(() => ({}))) as Partial<ApiErrorBody>;
  return new ApiError(response.status, error.code ?? 'ERROR', error.message ?? response.statusText, error.details);
}
