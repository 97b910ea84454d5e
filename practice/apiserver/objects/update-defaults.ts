import type { StatusCause } from '../errors.ts';
import type { KubeObject, ResourceType } from '../resources/resource-type.ts';
import { applyDefaults } from './defaults.ts';

type Json = Record<string, unknown>;

// What kube-apiserver does to an update before validating it: values it allocated (a Service's
// cluster IPs and node ports) are kept when the new object leaves them out, defaults are filled in
// again, and an allocated value that is changed is refused. Returns the causes of that refusal.
export function prepareForUpdate(type: ResourceType, current: KubeObject, next: KubeObject): StatusCause[] {
  const causes = type.group === '' && type.plural === 'services' ? keepServiceAllocations(current, next) : [];
  if (type.plural !== 'customresourcedefinitions') applyDefaults(type.plural, type.group, next);
  return causes;
}

function keepServiceAllocations(current: KubeObject, next: KubeObject): StatusCause[] {
  const before = (current.spec ?? {}) as Json;
  next.spec ??= {};
  const after = next.spec as Json;
  const externalName = before.type === 'ExternalName' || after.type === 'ExternalName';
  if (externalName || before.clusterIP === undefined) return [];
  if (after.clusterIP === undefined || after.clusterIP === '') {
    after.clusterIP = before.clusterIP;
    after.clusterIPs = before.clusterIPs;
  }
  after.clusterIPs ??= before.clusterIPs;
  keepNodePorts(before, after);
  if (after.clusterIP === before.clusterIP) return [];
  return [
    {
      field: 'spec.clusterIP',
      message: `Invalid value: ${JSON.stringify(after.clusterIP)}: field is immutable`,
      reason: 'FieldValueInvalid',
    },
  ];
}

function keepNodePorts(before: Json, after: Json): void {
  const oldPorts = (before.ports as Json[] | undefined) ?? [];
  for (const port of (after.ports as Json[] | undefined) ?? []) {
    if (port.nodePort !== undefined) continue;
    const same = oldPorts.find((old) => old.port === port.port && (old.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (same?.nodePort !== undefined) port.nodePort = same.nodePort;
  }
}
