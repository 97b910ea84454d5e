import type { KubeObject, ResourceType } from '../resources/resource-type.ts';

/** What a request is about: a kind, and a namespace and name when the path names them. */
export interface RequestScope {
  type: ResourceType;
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
}

export interface UserInfo {
  username: string;
  groups: string[];
}

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  /** Server-side apply has already written managedFields: leave them as they are. */
  managedFieldsSet?: boolean;
}

export type DeletePropagation = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  dryRun: boolean;
  propagationPolicy?: DeletePropagation;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export const SYSTEM_WRITE: WriteOptions = { dryRun: false, fieldManager: 'drillbook-practice' };

export function describeObject(object: KubeObject): string {
  return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
}
