// How a list of objects is merged by strategic merge patch and server-side apply: by the key that
// identifies an item (a container by name, a port by number), as the Kubernetes API's
// x-kubernetes-patch-merge-key / list-map-keys say. Lists without one are replaced whole.
const KEYS_BY_FIELD: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  envFrom: [],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  conditions: ['type'],
  hostAliases: ['ip'],
  tolerations: [],
  ownerReferences: ['uid'],
  volumeClaimTemplates: ['metadata.name'],
  addresses: ['type', 'address'],
};

// The key fields of a list's items, or undefined when the list is atomic.
export function listKeys(fieldName: string, items: unknown[]): string[] | undefined {
  if (!items.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))) return undefined;
  if (fieldName === 'ports') {
    const first = items[0] as Record<string, unknown> | undefined;
    if (first && 'containerPort' in first) return ['containerPort', 'protocol'];
    return ['port', 'protocol'];
  }
  const keys = KEYS_BY_FIELD[fieldName];
  return keys && keys.length > 0 ? keys : undefined;
}

export function keyOf(item: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const name of keys) {
    const value = name.includes('.')
      ? name.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown>)?.[part], item)
      : item[name];
    if (value !== undefined) key[name] = value;
    else if (name === 'protocol') key[name] = 'TCP';
  }
  return key;
}

export function sameKey(a: Record<string, unknown>, b: Record<string, unknown>, keys: string[]): boolean {
  return JSON.stringify(keyOf(a, keys)) === JSON.stringify(keyOf(b, keys));
}
