import type { JsonSchema } from '../openapi/json-schema.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description: string;
  /** 0 shows by default; 1 shows with -o wide. */
  priority: number;
  /** A JSONPath (custom resources) or a function over the object (built-in kinds). */
  value: (object: KubeObject) => unknown;
}

// One kind of object the API server serves, as discovery and the storage layer see it.
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  /** Where kube-apiserver keeps it in etcd, under /registry/. */
  storagePrefix: string;
  /** The @kubernetes/client-node model the OpenAPI schema is generated from (built-in kinds). */
  model?: string;
  /** A custom resource's schema, from its CRD. */
  schema?: JsonSchema;
  subresources: { status: boolean; scale: boolean };
  /** Bumped on spec changes; kinds without a spec (ConfigMap, Secret) have no generation. */
  hasGeneration: boolean;
  columns: PrinterColumn[];
  /** Field selectors this kind accepts besides metadata.name and metadata.namespace. */
  fieldLabels: Record<string, (object: KubeObject) => string | undefined>;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
