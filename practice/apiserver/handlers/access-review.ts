import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestAttributes } from '../auth/rbac-rules.ts';
import { badRequest } from '../errors.ts';
import { readObjectBody } from '../http/read-body.ts';
import { sendJson } from '../http/respond.ts';
import type { UserInfo } from '../objects/request-scope.ts';
import type { ApiContext } from './api-context.ts';

interface ReviewSpec {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
}

// SelfSubjectAccessReview (kubectl auth can-i, preflight checks): answered from the RBAC objects.
export async function reviewSelfAccess(
  context: ApiContext,
  request: IncomingMessage,
  response: ServerResponse,
  user: UserInfo,
): Promise<void> {
  const body = (await readObjectBody(request)) as { spec?: ReviewSpec } | null;
  const spec = body?.spec;
  if (!spec?.resourceAttributes && !spec?.nonResourceAttributes) {
    throw badRequest('SelfSubjectAccessReview spec needs resourceAttributes or nonResourceAttributes');
  }
  const attributes: RequestAttributes = spec.resourceAttributes
    ? {
        verb: spec.resourceAttributes.verb ?? '',
        apiGroup: spec.resourceAttributes.group ?? '',
        resource: spec.resourceAttributes.resource ?? '',
        subresource: spec.resourceAttributes.subresource || undefined,
        namespace: spec.resourceAttributes.namespace || undefined,
        name: spec.resourceAttributes.name || undefined,
      }
    : {
        verb: spec.nonResourceAttributes?.verb ?? '',
        apiGroup: '',
        resource: '',
        path: spec.nonResourceAttributes?.path ?? '',
      };
  const allowed = await context.authorizer.allows(user, attributes);
  sendJson(response, 201, {
    kind: 'SelfSubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec,
    // kube-apiserver's RBAC gives no reason for a denial, so kubectl prints a plain "no".
    status: allowed ? { allowed: true, reason: 'allowed by RBAC' } : { allowed: false },
  });
}
