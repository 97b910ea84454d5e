import type { V1ObjectMeta, V1PersistentVolumeClaim, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { hashPodTemplate } from '../deployment/template-hash.ts';
import { compact } from '../objects/canonical-json.ts';
import { controllerReference } from '../objects/owner.ts';
import { podFromTemplate } from '../objects/pod-template.ts';

export const REVISION_LABEL = 'controller-revision-hash';

// The revision name a StatefulSet's current template has: `<statefulset>-<hash>`.
export function updateRevisionOf(set: V1StatefulSet): string {
  return `${set.metadata?.name}-${hashPodTemplate(set.spec?.template)}`;
}

export function ordinalOf(set: V1StatefulSet, pod: V1Pod): number | undefined {
  const prefix = `${set.metadata?.name}-`;
  const name = pod.metadata?.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

// `<template>-<statefulset>-<ordinal>`: the claim name the StatefulSet contract fixes.
export function claimName(templateName: string, set: V1StatefulSet, ordinal: number): string {
  return `${templateName}-${set.metadata?.name}-${ordinal}`;
}

// Pod `<statefulset>-<ordinal>` with its stable hostname, subdomain, identity labels and one
// persistentVolumeClaim volume per claim template.
export function statefulPod(set: V1StatefulSet, ordinal: number, revision: string): V1Pod {
  const name = `${set.metadata?.name}-${ordinal}`;
  const pod = podFromTemplate(set.spec?.template, {
    name,
    namespace: set.metadata?.namespace ?? 'default',
    ownerReference: controllerReference(set, 'apps/v1', 'StatefulSet'),
    labels: {
      [REVISION_LABEL]: revision,
      'statefulset.kubernetes.io/pod-name': name,
      'apps.kubernetes.io/pod-index': String(ordinal),
    },
  });
  const spec = pod.spec ?? { containers: [] };
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = set.spec?.volumeClaimTemplates ?? [];
  const claimed = new Set(claims.map((claim) => claim.metadata?.name));
  spec.volumes = [
    ...(spec.volumes ?? []).filter((volume) => !claimed.has(volume.name)),
    ...claims.map((claim) => ({
      name: claim.metadata?.name ?? '',
      persistentVolumeClaim: { claimName: claimName(claim.metadata?.name ?? '', set, ordinal) },
    })),
  ];
  pod.spec = spec;
  return pod;
}

// The claims a pod needs, labelled with the StatefulSet's selector; owned by the StatefulSet only
// when its retention policy says claims go with it (whenDeleted: Delete).
export function statefulClaims(set: V1StatefulSet, ordinal: number): V1PersistentVolumeClaim[] {
  const deleteWithSet = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
  return (set.spec?.volumeClaimTemplates ?? []).map((template) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: compact<V1ObjectMeta>({
      name: claimName(template.metadata?.name ?? '', set, ordinal),
      namespace: set.metadata?.namespace ?? 'default',
      labels: { ...(template.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
      annotations: template.metadata?.annotations,
      ownerReferences: deleteWithSet ? [controllerReference(set, 'apps/v1', 'StatefulSet')] : undefined,
    }),
    spec: structuredClone(template.spec ?? {}),
  }));
}
