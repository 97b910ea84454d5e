import type {
  CoreV1EndpointPort,
  V1EndpointAddress,
  V1EndpointSubset,
  V1ObjectMeta,
  V1ObjectReference,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import { tolerateGoneOrExists } from '../client/api-errors.ts';
import { canonicalJson, compact } from '../objects/canonical-json.ts';
import { matchesMap } from '../objects/label-selector.ts';
import { isReady, isTerminating } from '../objects/pod-state.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';

const COMPONENT = 'endpoint-controller';
const MANAGED_BY = 'endpoints.kubernetes.io/managed-by';
const TOLERATE_UNREADY = 'service.alpha.kubernetes.io/tolerate-unready-endpoints';

// One Endpoints object per Service with a selector: its pods' IPs, ready ones in addresses and
// the others in notReadyAddresses, with each service port resolved against the pod's ports.
export function createEndpointsController(context: ControllerContext): Controller {
  return {
    name: COMPONENT,
    watches: ['/api/v1/services', '/api/v1/pods'],
    resyncMs: 5000,
    async reconcile() {
      const [services, pods, endpoints] = await Promise.all([
        context.client.core.listServiceForAllNamespaces(),
        context.client.core.listPodForAllNamespaces(),
        context.client.core.listEndpointsForAllNamespaces(),
      ]);
      const serviceKeys = new Set(services.items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`));
      for (const orphan of endpoints.items) {
        const key = `${orphan.metadata?.namespace}/${orphan.metadata?.name}`;
        if (orphan.metadata?.labels?.[MANAGED_BY] !== COMPONENT || serviceKeys.has(key)) continue;
        const target = { name: orphan.metadata?.name ?? '', namespace: orphan.metadata?.namespace ?? 'default' };
        await tolerateGoneOrExists(() => context.client.core.deleteNamespacedEndpoints(target));
      }
      const existing = new Map(
        endpoints.items.map((item) => [`${item.metadata?.namespace}/${item.metadata?.name}`, item]),
      );
      for (const service of services.items) {
        const selector = service.spec?.selector;
        if (!selector || Object.keys(selector).length === 0 || service.metadata?.deletionTimestamp) continue;
        const namespace = service.metadata?.namespace ?? 'default';
        const name = service.metadata?.name ?? '';
        const selected = pods.items.filter(
          (pod) => pod.metadata?.namespace === namespace && matchesMap(selector, pod.metadata?.labels),
        );
        const subsets = endpointSubsets(service, selected);
        const current = existing.get(`${namespace}/${name}`);
        const labels = { ...(service.metadata?.labels ?? {}), [MANAGED_BY]: COMPONENT };
        const body = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels }, subsets };
        if (!current) {
          await tolerateGoneOrExists(() => context.client.core.createNamespacedEndpoints({ namespace, body }));
        } else if (canonicalJson(current.subsets ?? []) !== canonicalJson(subsets)) {
          const metadata = compact<V1ObjectMeta>({
            ...body.metadata,
            resourceVersion: current.metadata?.resourceVersion,
          });
          const replacement = { ...body, metadata };
          await tolerateGoneOrExists(() =>
            context.client.core.replaceNamespacedEndpoints({ name, namespace, body: replacement }),
          );
        }
      }
    },
  };
}

// Pods grouped by the ports they resolve to, as kube's endpoints controller packs subsets.
export function endpointSubsets(service: V1Service, pods: V1Pod[]): V1EndpointSubset[] {
  const publishNotReady =
    service.spec?.publishNotReadyAddresses === true || service.metadata?.annotations?.[TOLERATE_UNREADY] === 'true';
  const groups = new Map<
    string,
    { ports: CoreV1EndpointPort[]; ready: V1EndpointAddress[]; notReady: V1EndpointAddress[] }
  >();
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || isTerminating(pod) || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const ports = resolvePorts(service, pod);
    if (ports.length === 0 && (service.spec?.ports ?? []).length > 0) continue;
    const key = canonicalJson(ports);
    const group = groups.get(key) ?? { ports, ready: [], notReady: [] };
    const address: V1EndpointAddress = compact<V1EndpointAddress>({
      ip,
      nodeName: pod.spec?.nodeName,
      ...(pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name ? { hostname: pod.spec.hostname } : {}),
      targetRef: compact<V1ObjectReference>({
        kind: 'Pod',
        namespace: pod.metadata?.namespace,
        name: pod.metadata?.name,
        uid: pod.metadata?.uid,
      }),
    });
    (isReady(pod) || publishNotReady ? group.ready : group.notReady).push(address);
    groups.set(key, group);
  }
  const byIp = (left: V1EndpointAddress, right: V1EndpointAddress) => left.ip.localeCompare(right.ip);
  return [...groups.values()].map((group) => ({
    ...(group.ready.length > 0 ? { addresses: group.ready.sort(byIp) } : {}),
    ...(group.notReady.length > 0 ? { notReadyAddresses: group.notReady.sort(byIp) } : {}),
    ...(group.ports.length > 0 ? { ports: group.ports } : {}),
  }));
}

// Each service port as a port on this pod; a named targetPort the pod lacks drops the port.
function resolvePorts(service: V1Service, pod: V1Pod): CoreV1EndpointPort[] {
  const containerPorts = (pod.spec?.containers ?? []).flatMap((container) => container.ports ?? []);
  const ports: CoreV1EndpointPort[] = [];
  for (const port of service.spec?.ports ?? []) {
    const target = port.targetPort ?? port.port;
    const number =
      typeof target === 'number'
        ? target
        : /^\d+$/.test(target)
          ? Number(target)
          : containerPorts.find((item) => item.name === target && (item.protocol ?? 'TCP') === (port.protocol ?? 'TCP'))
              ?.containerPort;
    if (number === undefined) continue;
    ports.push({
      port: number,
      protocol: port.protocol ?? 'TCP',
      ...(port.name ? { name: port.name } : {}),
      ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}),
    });
  }
  return ports;
}
