import { randomInt } from 'node:crypto';
import type { KubeObject } from '../resources/resource-type.ts';

type Defaulter = (object: KubeObject) => void;
type Json = Record<string, unknown>;

const spec = (object: KubeObject): Json => {
  object.spec ??= {};
  return object.spec as Json;
};
const status = (object: KubeObject): Json => {
  object.status ??= {};
  return object.status as Json;
};

function defaultPodSpec(podSpec: Json): void {
  podSpec.restartPolicy ??= 'Always';
  podSpec.dnsPolicy ??= 'ClusterFirst';
  podSpec.terminationGracePeriodSeconds ??= 30;
  podSpec.schedulerName ??= 'default-scheduler';
  podSpec.securityContext ??= {};
  for (const list of ['containers', 'initContainers'] as const) {
    for (const container of (podSpec[list] as Json[] | undefined) ?? []) {
      const image = String(container.image ?? '');
      const tagged = /:[^/]+$/.test(image) || image.includes('@');
      container.imagePullPolicy ??= !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
      container.terminationMessagePath ??= '/dev/termination-log';
      container.terminationMessagePolicy ??= 'File';
      container.resources ??= {};
      for (const port of (container.ports as Json[] | undefined) ?? []) port.protocol ??= 'TCP';
    }
  }
}

function defaultTemplate(object: KubeObject): void {
  const template = (spec(object).template ?? {}) as Json;
  template.spec ??= {};
  defaultPodSpec(template.spec as Json);
}

function randomClusterIp(): string {
  return `10.96.${randomInt(0, 256)}.${randomInt(2, 255)}`;
}

// What kube-apiserver's defaulting fills in on create, for the fields kubectl and helm show or read.
const DEFAULTERS: Record<string, Defaulter> = {
  namespaces(object) {
    spec(object).finalizers ??= ['kubernetes'];
    status(object).phase ??= 'Active';
    object.metadata.labels = {
      ...object.metadata.labels,
      'kubernetes.io/metadata.name': object.metadata.name as string,
    };
  },
  secrets(object) {
    object.type ??= 'Opaque';
    const stringData = object.stringData as Record<string, string> | undefined;
    if (stringData) {
      const data = (object.data ?? {}) as Record<string, string>;
      for (const [key, value] of Object.entries(stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
      object.data = data;
      delete object.stringData;
    }
  },
  services(object) {
    const serviceSpec = spec(object);
    serviceSpec.type ??= 'ClusterIP';
    if (serviceSpec.type !== 'ExternalName') {
      serviceSpec.clusterIP ??= randomClusterIp();
      serviceSpec.clusterIPs ??= [serviceSpec.clusterIP];
      serviceSpec.ipFamilies ??= ['IPv4'];
      serviceSpec.ipFamilyPolicy ??= 'SingleStack';
      serviceSpec.internalTrafficPolicy ??= 'Cluster';
    }
    serviceSpec.sessionAffinity ??= 'None';
    for (const port of (serviceSpec.ports as Json[] | undefined) ?? []) {
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port;
    }
    status(object).loadBalancer ??= {};
  },
  pods(object) {
    defaultPodSpec(spec(object));
    spec(object).serviceAccountName ??= 'default';
    status(object).phase ??= 'Pending';
    status(object).qosClass ??= 'BestEffort';
  },
  deployments(object) {
    const deploymentSpec = spec(object);
    deploymentSpec.replicas ??= 1;
    deploymentSpec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
    deploymentSpec.revisionHistoryLimit ??= 10;
    deploymentSpec.progressDeadlineSeconds ??= 600;
    defaultTemplate(object);
  },
  statefulsets(object) {
    const setSpec = spec(object);
    setSpec.replicas ??= 1;
    setSpec.podManagementPolicy ??= 'OrderedReady';
    setSpec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    setSpec.revisionHistoryLimit ??= 10;
    setSpec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
    defaultTemplate(object);
  },
  replicasets(object) {
    spec(object).replicas ??= 1;
    defaultTemplate(object);
  },
  daemonsets(object) {
    spec(object).updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
    spec(object).revisionHistoryLimit ??= 10;
    defaultTemplate(object);
  },
  jobs(object) {
    const jobSpec = spec(object);
    jobSpec.completions ??= 1;
    jobSpec.parallelism ??= 1;
    jobSpec.backoffLimit ??= 6;
    jobSpec.completionMode ??= 'NonIndexed';
    defaultTemplate(object);
  },
  cronjobs(object) {
    const cronSpec = spec(object);
    cronSpec.concurrencyPolicy ??= 'Allow';
    cronSpec.suspend ??= false;
    cronSpec.successfulJobsHistoryLimit ??= 3;
    cronSpec.failedJobsHistoryLimit ??= 1;
  },
  persistentvolumeclaims(object) {
    spec(object).volumeMode ??= 'Filesystem';
    status(object).phase ??= 'Pending';
  },
  persistentvolumes(object) {
    spec(object).persistentVolumeReclaimPolicy ??= 'Retain';
    spec(object).volumeMode ??= 'Filesystem';
    status(object).phase ??= spec(object).claimRef ? 'Bound' : 'Available';
  },
  customresourcedefinitions(object) {
    const crdSpec = spec(object) as { names?: Json; versions?: { name: string; storage?: boolean }[] };
    const now = new Date().toISOString();
    object.status = {
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: now,
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: now,
        },
      ],
      acceptedNames: crdSpec.names ?? {},
      storedVersions: (crdSpec.versions ?? []).filter((version) => version.storage).map((version) => version.name),
    };
  },
};

export function applyDefaults(plural: string, group: string, object: KubeObject): void {
  const builtin = group === '' || group.endsWith('.k8s.io') || ['apps', 'batch'].includes(group);
  if (builtin) DEFAULTERS[plural]?.(object);
}
