import type { V1Container, V1EnvVar, V1Pod } from '@kubernetes/client-node';

// The objects a pod's env and volumes read, from the API (or none, for a static pod).
export interface ObjectReader {
  readSecret(namespace: string, name: string): Promise<Record<string, string> | null>;
  readConfigMap(namespace: string, name: string): Promise<Record<string, string> | null>;
}

export interface PodNetwork {
  podIP: string;
  hostIP: string;
  hostname: string;
  apiServer: { host: string; port: number };
}

// Why a container cannot be configured (the kubelet's CreateContainerConfigError).
export class ContainerConfigError extends Error {
  readonly code = 'CreateContainerConfigError';
}

// A container's environment in the runtime's order: the image's, envFrom, then env, each value
// expanding $(NAME) from what came before, as kubelet does.
export async function resolveContainerEnv(
  pod: V1Pod,
  container: V1Container,
  imageEnv: Record<string, string>,
  reader: ObjectReader,
  network: PodNetwork,
): Promise<Record<string, string>> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = {
    ...imageEnv,
    HOSTNAME: network.hostname,
    KUBERNETES_SERVICE_HOST: network.apiServer.host,
    KUBERNETES_SERVICE_PORT: String(network.apiServer.port),
    KUBERNETES_SERVICE_PORT_HTTPS: String(network.apiServer.port),
  };
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref?.name) continue;
    const data = source.configMapRef
      ? await reader.readConfigMap(namespace, ref.name)
      : await reader.readSecret(namespace, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${source.configMapRef ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [key, value] of Object.entries(data)) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const value = await resolveVariable(pod, variable, reader, network, env);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

async function resolveVariable(
  pod: V1Pod,
  variable: V1EnvVar,
  reader: ObjectReader,
  network: PodNetwork,
  defined: Record<string, string>,
): Promise<string | undefined> {
  if (variable.valueFrom === undefined) return expandReferences(variable.value ?? '', defined);
  const namespace = pod.metadata?.namespace ?? 'default';
  const { secretKeyRef, configMapKeyRef, fieldRef, resourceFieldRef } = variable.valueFrom;
  const keyRef = secretKeyRef ?? configMapKeyRef;
  if (keyRef) {
    const kind = secretKeyRef ? 'secret' : 'configmap';
    const data = secretKeyRef
      ? await reader.readSecret(namespace, keyRef.name ?? '')
      : await reader.readConfigMap(namespace, keyRef.name ?? '');
    const value = data?.[keyRef.key];
    if (value !== undefined) return value;
    if (keyRef.optional) return undefined;
    throw new ContainerConfigError(
      data
        ? `couldn't find key ${keyRef.key} in ${kind === 'secret' ? 'Secret' : 'ConfigMap'} ${namespace}/${keyRef.name}`
        : `${kind} "${keyRef.name}" not found`,
    );
  }
  if (fieldRef) return readPodField(pod, fieldRef.fieldPath, network);
  if (resourceFieldRef) {
    const container = pod.spec?.containers.find(
      (item) => item.name === (resourceFieldRef.containerName ?? variable.name),
    );
    const [kind, resource] = resourceFieldRef.resource.split('.') as ['limits' | 'requests', string];
    return String(container?.resources?.[kind]?.[resource] ?? (resource === 'cpu' ? '2' : '4Gi'));
  }
  return undefined;
}

// The downward API's fields.
export function readPodField(pod: V1Pod, fieldPath: string, network: PodNetwork): string {
  const metadata = pod.metadata ?? {};
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? metadata.labels : metadata.annotations)?.[keyed[2] ?? ''] ?? '';
  const fields: Record<string, string | undefined> = {
    'metadata.name': metadata.name,
    'metadata.namespace': metadata.namespace,
    'metadata.uid': metadata.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.hostIP': network.hostIP,
    'status.hostIPs': network.hostIP,
    'status.podIP': network.podIP,
    'status.podIPs': network.podIP,
  };
  return fields[fieldPath] ?? '';
}

// $(NAME) becomes NAME's value when defined, $$(NAME) stays literal $(NAME), as in a pod spec.
export function expandReferences(text: string, defined: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && name in defined ? (defined[name] as string) : match;
  });
}
