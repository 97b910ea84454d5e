import { readFileSync } from 'node:fs';
import { ApiStatusError, badRequest } from '../errors.ts';
import type { ObjectService } from '../objects/object-service.ts';
import type { KubeObject, ResourceType } from '../resources/resource-type.ts';
import { field } from '../table/columns.ts';

export interface KubeletTlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
}

export interface KubeletTarget {
  /** https://<node address>:10250 */
  url: string;
  tls: { cert: Buffer; key: Buffer; ca: Buffer };
  namespace: string;
  pod: string;
  container: string;
}

const KUBELET_PORT = 10250;

// Where a pod's container runs, as kube-apiserver finds it for logs and exec: the pod's node, that
// node's InternalIP, and the kubelet's port, reached with the API server's kubelet client certificate.
export async function findKubeletTarget(
  objects: ObjectService,
  tlsFiles: KubeletTlsFiles | undefined,
  namespace: string,
  podName: string,
  containerName: string | null,
): Promise<KubeletTarget> {
  if (!tlsFiles)
    throw new ApiStatusError('BadRequest', 'this API server was started without kubelet client credentials');
  const pods = objects.registry.find('', 'v1', 'pods') as ResourceType;
  const pod = await objects.get({ type: pods, namespace, name: podName });
  const container = chooseContainer(pod, containerName);
  const nodeName = field(pod, 'spec.nodeName');
  if (typeof nodeName !== 'string' || nodeName === '') throw badRequest(`pod ${podName} does not have a host assigned`);
  const nodes = objects.registry.find('', 'v1', 'nodes') as ResourceType;
  const node = await objects.get({ type: nodes, name: nodeName });
  const addresses = (field(node, 'status.addresses') as { type: string; address: string }[] | undefined) ?? [];
  const address = addresses.find((item) => item.type === 'InternalIP')?.address;
  if (!address) throw new ApiStatusError('BadRequest', `node ${nodeName} has no InternalIP address`);
  return {
    url: `https://${address}:${KUBELET_PORT}`,
    tls: {
      cert: readFileSync(tlsFiles.certFile),
      key: readFileSync(tlsFiles.keyFile),
      ca: readFileSync(tlsFiles.caFile),
    },
    namespace,
    pod: podName,
    container,
  };
}

function chooseContainer(pod: KubeObject, requested: string | null): string {
  const names = ((field(pod, 'spec.containers') as { name: string }[] | undefined) ?? []).map((item) => item.name);
  const initNames = ((field(pod, 'spec.initContainers') as { name: string }[] | undefined) ?? []).map(
    (item) => item.name,
  );
  if (requested) {
    if (![...names, ...initNames].includes(requested)) {
      throw badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    }
    return requested;
  }
  if (names.length === 1) return names[0] as string;
  throw badRequest(
    `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`,
  );
}
