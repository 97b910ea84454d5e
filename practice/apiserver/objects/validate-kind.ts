import type { StatusCause } from '../errors.ts';
import type { KubeObject } from '../resources/resource-type.ts';
import { field } from '../table/columns.ts';

type Validator = (object: KubeObject) => StatusCause[];
type Json = Record<string, unknown>;

const required = (path: string): StatusCause => ({
  field: path,
  message: 'Required value',
  reason: 'FieldValueRequired',
});

function validatePodSpec(podSpec: unknown, path: string): StatusCause[] {
  const containers = field(podSpec, 'containers');
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${path}.containers`)];
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  containers.forEach((container: Json, index) => {
    const at = `${path}.containers[${index}]`;
    if (typeof container?.name !== 'string' || container.name === '') causes.push(required(`${at}.name`));
    else if (names.has(container.name))
      causes.push({
        field: `${at}.name`,
        message: `Duplicate value: "${container.name}"`,
        reason: 'FieldValueDuplicate',
      });
    else names.add(container.name);
    if (typeof container?.image !== 'string' || container.image === '') causes.push(required(`${at}.image`));
  });
  return causes;
}

function validateWorkload(object: KubeObject): StatusCause[] {
  const selector = field(object, 'spec.selector.matchLabels') as Record<string, string> | undefined;
  if (!selector || Object.keys(selector).length === 0) {
    if (!field(object, 'spec.selector.matchExpressions')) return [required('spec.selector')];
  }
  const labels = (field(object, 'spec.template.metadata.labels') as Record<string, string> | undefined) ?? {};
  const causes = validatePodSpec(field(object, 'spec.template.spec'), 'spec.template.spec');
  if (selector && Object.entries(selector).some(([key, value]) => labels[key] !== value)) {
    causes.push({
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  return causes;
}

// Kind-specific rules kube-apiserver enforces, for the fields a runbook or chart can get wrong.
const VALIDATORS: Record<string, Validator> = {
  pods: (object) => validatePodSpec(object.spec, 'spec'),
  deployments: validateWorkload,
  replicasets: validateWorkload,
  statefulsets: validateWorkload,
  daemonsets: validateWorkload,
  jobs: (object) => validatePodSpec(field(object, 'spec.template.spec'), 'spec.template.spec'),
  services(object) {
    const type = field(object, 'spec.type');
    const ports = field(object, 'spec.ports');
    const headless = field(object, 'spec.clusterIP') === 'None';
    if (type !== 'ExternalName' && !headless && (!Array.isArray(ports) || ports.length === 0))
      return [required('spec.ports')];
    return ((ports as Json[] | undefined) ?? []).flatMap((port, index) =>
      typeof port.port === 'number' && port.port > 0 && port.port < 65536
        ? []
        : [
            {
              field: `spec.ports[${index}].port`,
              message: `Invalid value: ${String(port.port)}: must be between 1 and 65535, inclusive`,
            },
          ],
    );
  },
  configmaps(object) {
    return Object.keys((object.data as Json | undefined) ?? {}).flatMap((key) =>
      /^[-._a-zA-Z0-9]+$/.test(key)
        ? []
        : [
            {
              field: 'data',
              message: `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
            },
          ],
    );
  },
  secrets(object) {
    return Object.entries((object.data as Record<string, unknown> | undefined) ?? {}).flatMap(([key, value]) =>
      typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value)
        ? []
        : [{ field: `data[${key}]`, message: 'Invalid value: must be base64 encoded' }],
    );
  },
  customresourcedefinitions(object) {
    const group = field(object, 'spec.group');
    const plural = field(object, 'spec.names.plural');
    if (typeof group !== 'string' || typeof plural !== 'string') return [required('spec.names.plural')];
    if (object.metadata.name !== `${plural}.${group}`) {
      return [
        {
          field: 'metadata.name',
          message: `Invalid value: "${object.metadata.name}": must be spec.names.plural+"."+spec.group`,
        },
      ];
    }
    const versions = field(object, 'spec.versions');
    if (!Array.isArray(versions) || versions.filter((version: Json) => version.storage).length !== 1) {
      return [
        { field: 'spec.versions', message: 'Invalid value: must have exactly one version marked as storage version' },
      ];
    }
    return [];
  },
  rolebindings: (object) => (field(object, 'roleRef.name') ? [] : [required('roleRef.name')]),
  clusterrolebindings: (object) => (field(object, 'roleRef.name') ? [] : [required('roleRef.name')]),
};

export function validateKind(plural: string, object: KubeObject): StatusCause[] {
  return VALIDATORS[plural]?.(object) ?? [];
}
