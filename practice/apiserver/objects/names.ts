import { randomBytes } from 'node:crypto';
import type { StatusCause } from '../errors.ts';
import type { ResourceType } from '../resources/resource-type.ts';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PATH_SEGMENT_NAME = /^[^/%]+$/;
/** Kinds whose names must be DNS labels (they become host names or label values). */
const LABEL_NAMED = new Set(['namespaces', 'services']);
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

// kube-apiserver's generateName suffix: five characters from an alphabet without vowels.
export function generateNameSuffix(): string {
  return [...randomBytes(5)].map((byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length]).join('');
}

// The field causes for a name that kube-apiserver would refuse for this kind.
export function validateName(type: ResourceType, name: string): StatusCause[] {
  if (type.group === RBAC_GROUP) {
    return PATH_SEGMENT_NAME.test(name) && name !== '.' && name !== '..'
      ? []
      : [{ field: 'metadata.name', message: `Invalid value: "${name}": may not contain '/' or '%'` }];
  }
  if (LABEL_NAMED.has(type.plural) && type.group === '') {
    if (name.length > 63 || !DNS_LABEL.test(name)) {
      return [
        {
          field: 'metadata.name',
          message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
        },
      ];
    }
    return [];
  }
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    return [
      {
        field: 'metadata.name',
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      },
    ];
  }
  return [];
}

export function validateLabels(labels: unknown, path: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels))
    return [{ field: path, message: 'Invalid value: must be a map' }];
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
    if (
      !name ||
      name.length > 63 ||
      !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name) ||
      (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix))
    ) {
      causes.push({
        field: path,
        message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    }
    if (
      typeof value !== 'string' ||
      value.length > 63 ||
      !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)
    ) {
      causes.push({
        field: `${path}`,
        message: `Invalid value: "${String(value)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    }
  }
  return causes;
}
