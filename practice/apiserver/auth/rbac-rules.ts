export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface RequestAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
  /** Set for requests that name no resource (/version, /readyz, /openapi/v3). */
  path?: string;
}

// Whether one RBAC rule covers a request, as kube-apiserver's RBAC authorizer matches them.
export function ruleAllows(rule: PolicyRule, request: RequestAttributes): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(request.verb)) return false;
  if (request.path !== undefined) {
    return (rule.nonResourceURLs ?? []).some(
      (url) =>
        url === '*' ||
        url === request.path ||
        (url.endsWith('*') && (request.path as string).startsWith(url.slice(0, -1))),
    );
  }
  const groups = rule.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(request.apiGroup)) return false;
  const wanted = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const resources = rule.resources ?? [];
  const resourceMatches = resources.some(
    (resource) =>
      resource === '*' ||
      resource === wanted ||
      (request.subresource !== undefined && resource === `*/${request.subresource}`),
  );
  if (!resourceMatches) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (request.name !== undefined && names.includes(request.name));
}

export function describeDenial(username: string, request: RequestAttributes): string {
  if (request.path !== undefined) return `forbidden: User "${username}" cannot ${request.verb} path "${request.path}"`;
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const where = request.namespace ? `in the namespace "${request.namespace}"` : 'at the cluster scope';
  const subject = request.name ? `${resource} "${request.name}"` : resource;
  return `${subject} is forbidden: User "${username}" cannot ${request.verb} resource "${resource}" in API group "${request.apiGroup}" ${where}`;
}
