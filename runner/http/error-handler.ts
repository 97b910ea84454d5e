import type { NextFunction, Request, Response } from 'express';
import { ZodError, z } from 'zod';
import type { ApiError, ApiErrorCode } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

const STATUS: Record<ApiErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN_HOST: 403,
  FORBIDDEN_ORIGIN: 403,
  NOT_FOUND: 404,
  STEP_BUSY: 409,
  STEP_HASH_MISMATCH: 409,
  MISSING_VALUES: 409,
  RUN_ENDED: 409,
  DRY_RUN: 409,
  NOT_A_CHOICE: 409,
  TARGET_CHANGED: 409,
  PREFLIGHT_FAILED: 409,
  NO_NODES: 409,
  NO_PODS: 409,
  CHOOSE_POD: 409,
  PRODUCTION_REFUSED: 403,
  CONTEXT_INVALID: 422,
  CONFIG_INVALID: 422,
  CONFIRMATION_REQUIRED: 428,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_VALUE: 422,
  RENDER_REFUSED: 422,
  INTERNAL: 500,
  MANIFEST_INVALID: 500,
  STORAGE_FAILED: 507,
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
    const bodyError = error as { type?: string; status?: number };
    if (error instanceof URIError || (error as { cause?: unknown })?.cause instanceof URIError) {
      reply(response, 400, { code: 'BAD_REQUEST', message: 'the URL has malformed percent-encoding' });
    } else if (error instanceof RunnerError && STATUS[error.code] < 500) {
      const { code, message, details } = error;
      reply(response, STATUS[code], { code, message, ...(details ? { details } : {}) });
    } else if (error instanceof RunnerError && error.code === 'STORAGE_FAILED') {
      log(`${request.method} ${request.path} failed`, error);
      reply(response, STATUS[error.code], { code: error.code, message: error.message });
    } else if (error instanceof ZodError) {
      reply(response, 400, { code: 'BAD_REQUEST', message: z.prettifyError(error) });
    } else if (bodyError.type === 'entity.parse.failed') {
      reply(response, 400, { code: 'BAD_REQUEST', message: 'the body is not valid JSON' });
    } else if (bodyError.type === 'entity.too.large') {
      reply(response, STATUS.PAYLOAD_TOO_LARGE, { code: 'PAYLOAD_TOO_LARGE', message: 'the body is too large' });
    } else if (isClientError(bodyError.status)) {
      reply(response, bodyError.status, { code: 'BAD_REQUEST', message: 'the request is not valid' });
    } else {
      log(`${request.method} ${request.path} failed`, error);
      reply(response, 500, { code: 'INTERNAL', message: 'the runner hit an internal error; see its log' });
    }
  };
}

function reply(response: Response, status: number, body: ApiError): void {
  response.status(status).json(body);
}

function isClientError(status: number | undefined): status is number {
  return status !== undefined && Number.isInteger(status) && status >= 400 && status < 500;
}
