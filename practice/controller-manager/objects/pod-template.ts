import type { V1ObjectMeta, V1OwnerReference, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';

import { compact } from './canonical-json.ts';

export interface PodIdentity {
  name: string;
  namespace: string;
  ownerReference: V1OwnerReference;
  /** Added to the template's labels. */
  labels?: Record<string, string>;
}

// A pod as a controller creates it from its template: the template's labels, annotations and spec,
// its own name, and a controller ownerReference.
export function podFromTemplate(template: V1PodTemplateSpec | undefined, identity: PodIdentity): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: compact<V1ObjectMeta>({
      name: identity.name,
      namespace: identity.namespace,
      labels: { ...(template?.metadata?.labels ?? {}), ...(identity.labels ?? {}) },
      annotations: template?.metadata?.annotations,
      ownerReferences: [identity.ownerReference],
    }),
    spec: structuredClone(template?.spec ?? { containers: [] }),
  };
}
