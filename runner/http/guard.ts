import type { NextFunction, Request, Response } from 'express';
import { RunnerError } from '../errors.ts';
import { type SecurityPolicy, TOKEN_HEADER } from './security-policy.ts';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(_request: Request, response: Response, next: NextFunction): void {
  response.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  next();
}

// Every request: the Host must be one of the runner's own names (defeats DNS rebinding).
export function hostGuard(policy: SecurityPolicy) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (policy.isAllowedHost(request.headers.host)) next();
    else next(new RunnerError('FORBIDDEN_HOST', 'unexpected Host header'));
  };
}

// Every API request, the event stream included: a browser's Origin (when sent) must be the
// runner's own page, cross-site fetch metadata is refused, and the launch token must match.
// Mutations must come from the page (Origin required) and carry JSON.
export function checkApiRequest(policy: SecurityPolicy, request: Request): RunnerError | undefined {
  const origin = request.headers.origin;
  const mutation = request.method !== 'GET' && request.method !== 'HEAD';
  if ((origin !== undefined || mutation) && !policy.isAllowedOrigin(origin)) {
    return new RunnerError('FORBIDDEN_ORIGIN', 'requests are accepted only from the runner page');
  }
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return new RunnerError('FORBIDDEN_ORIGIN', 'cross-site requests are refused');
  }
  const token = request.headers[TOKEN_HEADER];
  if (!policy.isValidToken(typeof token === 'string' ? token : undefined)) {
    return new RunnerError('UNAUTHORIZED', `missing or wrong ${TOKEN_HEADER} header`);
  }
  if (mutation && !request.is('application/json')) {
    return new RunnerError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  }
  return undefined;
}

export function apiGuard(policy: SecurityPolicy) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    next(checkApiRequest(policy, request));
  };
}
