import { createHash } from 'node:crypto';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { canonicalJson } from '../objects/canonical-json.ts';
import { safeEncode } from '../objects/names.ts';

export const TEMPLATE_HASH_LABEL = 'pod-template-hash';

// The pod-template-hash of a template (ignoring any hash label it already carries), stable
// across restarts of the controller manager.
export function hashPodTemplate(template: V1PodTemplateSpec | undefined, collisionCount = 0): string {
  const digest = createHash('sha256')
    .update(canonicalJson(withoutHashLabel(template)))
    .update(String(collisionCount));
  return safeEncode(digest.digest().readUInt32BE(0));
}

// Whether a ReplicaSet's template is the Deployment's, the hash label aside (kube's EqualIgnoreHash).
export function isSameTemplate(left: V1PodTemplateSpec | undefined, right: V1PodTemplateSpec | undefined): boolean {
  return canonicalJson(withoutHashLabel(left)) === canonicalJson(withoutHashLabel(right));
}

function withoutHashLabel(template: V1PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(template ?? {}) as V1PodTemplateSpec;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[TEMPLATE_HASH_LABEL];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).every((key) => copy.metadata?.[key as 'name'] == null))
    delete copy.metadata;
  return copy;
}
