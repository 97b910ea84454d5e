import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RbacAuthorizer } from '../auth/rbac-authorizer.ts';
import type { KubeletTlsFiles } from '../kubelet/kubelet-connection.ts';
import type { ObjectService } from '../objects/object-service.ts';
import type { RequestScope, UserInfo } from '../objects/request-scope.ts';
import type { ResourceRegistry } from '../resources/resource-registry.ts';

export type Log = (message: string, error?: unknown) => void;

/** What every handler may use: storage through the object service, the kinds, the authorizer. */
export interface ApiContext {
  objects: ObjectService;
  registry: ResourceRegistry;
  authorizer: RbacAuthorizer;
  serverAddress: string;
  log: Log;
  /** The API server's client certificate for kubelets (logs, exec); absent, those answer 400. */
  kubeletTls?: KubeletTlsFiles | undefined;
}

/** One request on a resource, parsed once. */
export interface ResourceRequest {
  request: IncomingMessage;
  response: ServerResponse;
  scope: RequestScope;
  query: URLSearchParams;
  user: UserInfo;
}

export function fieldManagerOf(request: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get('fieldManager');
  if (explicit) return explicit;
  const agent = request.headers['user-agent'] ?? 'unknown';
  return agent.split('/')[0] || 'unknown';
}

export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}
