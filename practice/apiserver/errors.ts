// Errors the API server answers with: each becomes a metav1 Status, as kube-apiserver writes it,
// so kubectl prints "Error from server (Reason): message" as it does for a real cluster.
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'InternalError'
  | 'Timeout';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
}

const CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  InternalError: 500,
  Timeout: 504,
};

export class ApiStatusError extends Error {
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;

  constructor(reason: StatusReason, message: string, details?: StatusDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiStatusError';
    this.reason = reason;
    this.details = details;
  }

  get code(): number {
    return CODES[this.reason];
  }

  toStatus(): KubeStatus {
    return failureStatus(this.reason, this.message, this.code, this.details);
  }
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export function failureStatus(reason: string, message: string, code: number, details?: StatusDetails): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function successStatus(details?: StatusDetails): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    ...(details ? { details } : {}),
    code: 200,
  };
}

// The errors every handler raises, worded as kube-apiserver words them.
export const notFound = (resource: string, name: string, group = '') =>
  new ApiStatusError('NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group, kind: resource });

export const alreadyExists = (resource: string, name: string, group = '') =>
  new ApiStatusError('AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });

export const conflict = (resource: string, name: string, group = '') =>
  new ApiStatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: resource },
  );

export function invalid(kind: string, name: string, causes: StatusCause[], group = ''): ApiStatusError {
  const listed = causes.map((cause) => `${cause.field}: ${cause.message}`);
  const summary = listed.length === 1 ? listed[0] : `[${listed.join(', ')}]`;
  return new ApiStatusError('Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${summary}`, {
    name,
    group,
    kind,
    causes: causes.map((cause) => ({ reason: cause.reason ?? 'FieldValueInvalid', ...cause })),
  });
}

export const badRequest = (message: string) => new ApiStatusError('BadRequest', message);

function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}
