import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import { RunnerError, type RunnerErrorCode } from '../errors.ts';

const STATUS: Record<RunnerErrorCode, number> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  STEP_BUSY: 409,
  STEP_HASH_MISMATCH: 409,
  MISSING_VALUES: 409,
  RUN_ENDED: 409,
  DRY_RUN: 409,
  NOT_A_CHOICE: 409,
  INVALID_VALUE: 422,
  RENDER_REFUSED: 422,
  JOURNAL_CORRUPT: 500,
  STORAGE_FAILED: 507,
  MANIFEST_INVALID: 500,
};

export type Logger = (message: string, error?: unknown) => void;

// One error handler: known errors become {code, message} with a 4xx; anything else is logged with
// its request and answered with a 500 that reveals nothing.
export function errorHandler(log: Logger) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction): void => {
    if (response.headersSent) {
      log(`${request.method} ${request.path} failed after its answer began`, error);
      response.destroy();
      return;
    }
    if (error instanceof URIError || (error as { cause?: unknown })?.cause instanceof URIError) {
      response.status(400).json({ code: 'BAD_REQUEST', message: 'the URL has malformed percent-encoding' });
      return;
    }
    if (error instanceof RunnerError && STATUS[error.code] < 500) {
      response
        .status(STATUS[error.code])
        .json({ code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) });
      return;
    }
    if (error instanceof RunnerError && error.code === 'STORAGE_FAILED') {
      log(`${request.method} ${request.path} failed`, error);
      response.status(507).json({ code: error.code, message: error.message });
      return;
    }
    if (error instanceof ZodError) {
      const message = error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
      response.status(400).json({ code: 'BAD_REQUEST', message });
      return;
    }
    const bodyError = error as { type?: string; status?: number };
    if (bodyError.type === 'entity.parse.failed') {
      response.status(400).json({ code: 'BAD_REQUEST', message: 'the body is not valid JSON' });
      return;
    }
    if (bodyError.type === 'entity.too.large') {
      response.status(413).json({ code: 'PAYLOAD_TOO_LARGE', message: 'the body is too large' });
      return;
    }
    if (isClientError(bodyError.status)) {
      response.status(bodyError.status).json({ code: 'BAD_REQUEST', message: 'the request is not valid' });
      return;
    }
    log(`${request.method} ${request.path} failed`, error);
    response.status(500).json({ code: 'INTERNAL', message: 'the runner hit an internal error; see its log' });
  };
}

function isClientError(status: number | undefined): status is number {
  return status !== undefined && Number.isInteger(status) && status >= 400 && status < 500;
}
