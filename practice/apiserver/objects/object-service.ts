import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ApiStatusError, alreadyExists, badRequest, conflict, invalid, notFound } from '../errors.ts';
import { recordUpdateManager } from '../patch/managed-fields.ts';
import type { ResourceRegistry } from '../resources/resource-registry.ts';
import { apiVersionOf, type KubeObject, type ResourceType } from '../resources/resource-type.ts';
import type { EtcdStorage, StoredObject } from '../storage/etcd-storage.ts';
import { applyDefaults } from './defaults.ts';
import { generateNameSuffix } from './names.ts';
import type { DeleteOptions, RequestScope, WriteOptions } from './request-scope.ts';
import { prepareForUpdate } from './update-defaults.ts';
import { checkTypeMeta, validateObject } from './validate-object.ts';

const MAX_CONFLICT_RETRIES = 8;

// Create, read, update and delete with kube-apiserver's semantics over etcd: names, uids,
// resourceVersions and optimistic concurrency, generations, finalizers and graceful deletion.
export class ObjectService {
  readonly storage: EtcdStorage;
  readonly registry: ResourceRegistry;

  constructor(storage: EtcdStorage, registry: ResourceRegistry) {
    this.storage = storage;
    this.registry = registry;
  }

  async get(scope: RequestScope): Promise<KubeObject> {
    return (await this.#read(scope)).object;
  }

  async find(type: ResourceType, namespace: string | undefined, name: string): Promise<StoredObject | undefined> {
    return this.storage.get(this.storage.keyFor(type, namespace, name));
  }

  async list(scope: RequestScope): Promise<{ items: KubeObject[]; revision: number }> {
    const { items, revision } = await this.storage.list(this.storage.prefixFor(scope.type, scope.namespace));
    return { items: items.map((item) => withTypeMeta(item.object, scope.type)), revision };
  }

  async create(scope: RequestScope, body: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const { type } = scope;
    const object = structuredClone(body);
    checkTypeMeta(type, object);
    object.metadata ??= {};
    const namespace = this.#namespaceFor(scope, object);
    if (!object.metadata.name) {
      if (!object.metadata.generateName) {
        throw invalid(
          type.kind,
          '',
          [
            {
              field: 'metadata.name',
              message: 'Required value: name or generateName is required',
              reason: 'FieldValueRequired',
            },
          ],
          type.group,
        );
      }
      object.metadata.name = `${object.metadata.generateName}${generateNameSuffix()}`;
    }
    const name = object.metadata.name;
    if (scope.name && scope.name !== name) {
      throw badRequest(`the name of the object (${name}) does not match the name on the URL (${scope.name})`);
    }
    if (type.namespaced && namespace) {
      object.metadata.namespace = namespace;
      await this.#checkNamespaceOpen(namespace);
    } else delete object.metadata.namespace;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    object.metadata = {
      ...object.metadata,
      uid: randomUUID(),
      creationTimestamp: now,
      ...(type.hasGeneration ? { generation: 1 } : {}),
    };
    delete object.metadata.resourceVersion;
    delete object.metadata.deletionTimestamp;
    applyDefaults(type.plural, type.group, object);
    validateObject(type, object);
    if (!options.managedFieldsSet)
      recordUpdateManager(object, undefined, options.fieldManager, apiVersionOf(type), now);
    if (options.dryRun) return object;
    const revision = await this.storage.create(this.storage.keyFor(type, namespace, name), object);
    if (revision === undefined) throw alreadyExists(type.plural, name, type.group);
    object.metadata.resourceVersion = String(revision);
    return object;
  }

  // PUT: replaces the object (or, for /status, only its status) if it is still the version read.
  async update(scope: RequestScope, body: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const { type } = scope;
    checkTypeMeta(type, body);
    const name = scope.name as string;
    if (body.metadata?.name && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    const current = await this.#read(scope);
    const wanted = body.metadata?.resourceVersion;
    if (wanted && wanted !== current.object.metadata.resourceVersion) throw conflict(type.plural, name, type.group);
    return this.#write(scope, current, this.#merge(scope, current.object, body), options);
  }

  // Read, change, write, retried on conflict: for patches and the cluster's own controllers.
  async modify(
    scope: RequestScope,
    change: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    options: WriteOptions,
  ): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.#read(scope);
      const changed = await change(structuredClone(current.object));
      try {
        return await this.#write(scope, current, this.#merge(scope, current.object, changed), options);
      } catch (error) {
        const retry = error instanceof ApiStatusError && error.reason === 'Conflict' && attempt < MAX_CONFLICT_RETRIES;
        if (!retry) throw error;
      }
    }
  }

  async delete(scope: RequestScope, options: DeleteOptions): Promise<{ object: KubeObject; gone: boolean }> {
    const { type } = scope;
    const current = await this.#read(scope);
    const object = structuredClone(current.object);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (
      (uid && uid !== object.metadata.uid) ||
      (resourceVersion && resourceVersion !== object.metadata.resourceVersion)
    ) {
      throw conflict(type.plural, object.metadata.name as string, type.group);
    }
    const finalizers = [...(object.metadata.finalizers ?? [])];
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
      finalizers.push('foregroundDeletion');
    if (options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const namespaceFinalizers =
      type.plural === 'namespaces' && type.group === ''
        ? ((object.spec as { finalizers?: string[] })?.finalizers ?? [])
        : [];
    if (finalizers.length > 0 || namespaceFinalizers.length > 0) {
      if (object.metadata.deletionTimestamp) return { object, gone: false };
      object.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      object.metadata.deletionGracePeriodSeconds = 0;
      object.metadata.finalizers = finalizers;
      if (namespaceFinalizers.length > 0) object.status = { ...(object.status as object), phase: 'Terminating' };
      if (options.dryRun) return { object, gone: false };
      const revision = await this.storage.update(current.key, object, current.modRevision);
      if (revision === undefined) throw conflict(type.plural, object.metadata.name as string, type.group);
      object.metadata.resourceVersion = String(revision);
      return { object, gone: false };
    }
    if (options.dryRun) return { object, gone: true };
    const revision = await this.storage.delete(current.key, current.modRevision);
    if (revision === undefined) throw conflict(type.plural, object.metadata.name as string, type.group);
    object.metadata.resourceVersion = String(revision);
    return { object, gone: true };
  }

  async #read(scope: RequestScope): Promise<StoredObject & { key: string }> {
    const { type } = scope;
    const key = this.storage.keyFor(type, type.namespaced ? scope.namespace : undefined, scope.name as string);
    const stored = await this.storage.get(key);
    if (!stored) throw notFound(type.plural, scope.name as string, type.group);
    return { ...stored, object: withTypeMeta(stored.object, type), key };
  }

  #merge(scope: RequestScope, current: KubeObject, body: KubeObject): KubeObject {
    const { type } = scope;
    const merged = scope.subresource === 'status' ? { ...current, status: body.status } : structuredClone(body);
    merged.apiVersion = apiVersionOf(type);
    merged.kind = type.kind;
    const keep = {
      name: current.metadata.name,
      namespace: current.metadata.namespace,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      deletionTimestamp: current.metadata.deletionTimestamp,
      deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds,
      generation: current.metadata.generation,
    };
    merged.metadata =
      scope.subresource === 'status' ? { ...current.metadata } : { ...(body.metadata ?? {}), ...dropUndefined(keep) };
    if (scope.subresource !== 'status' && type.subresources.status && 'status' in current)
      merged.status = current.status;
    if (scope.subresource !== 'status' && type.subresources.status && !('status' in current)) delete merged.status;
    return merged;
  }

  async #write(
    scope: RequestScope,
    current: StoredObject & { key: string },
    next: KubeObject,
    options: WriteOptions,
  ): Promise<KubeObject> {
    const { type } = scope;
    if (type.hasGeneration && specChanged(current.object, next)) {
      next.metadata.generation = (current.object.metadata.generation ?? 0) + 1;
    }
    if (type.plural === 'namespaces' && type.group === '') {
      next.metadata.labels = { ...next.metadata.labels, 'kubernetes.io/metadata.name': next.metadata.name as string };
    }
    const updateCauses = scope.subresource === 'status' ? [] : prepareForUpdate(type, current.object, next);
    validateObject(type, next, updateCauses);
    const { resourceVersion: _before, managedFields: _m1, ...beforeMeta } = current.object.metadata;
    const { resourceVersion: _after, managedFields: _m2, ...afterMeta } = next.metadata;
    const unchanged =
      isDeepStrictEqual(beforeMeta, afterMeta) &&
      isDeepStrictEqual({ ...current.object, metadata: null }, { ...next, metadata: null });
    if (unchanged) return current.object;
    if (!options.managedFieldsSet)
      recordUpdateManager(
        next,
        current.object,
        options.fieldManager,
        apiVersionOf(type),
        new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        scope.subresource,
      );
    const finalized =
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0 &&
      !namespacePending(scope.type, next);
    if (options.dryRun) return next;
    const revision = finalized
      ? await this.storage.delete(current.key, current.modRevision)
      : await this.storage.update(current.key, next, current.modRevision);
    if (revision === undefined) throw conflict(type.plural, next.metadata.name as string, type.group);
    next.metadata.resourceVersion = String(revision);
    return next;
  }

  #namespaceFor(scope: RequestScope, object: KubeObject): string | undefined {
    if (!scope.type.namespaced) return undefined;
    const fromBody = object.metadata.namespace;
    if (fromBody && scope.namespace && fromBody !== scope.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const namespace = scope.namespace ?? fromBody;
    if (!namespace) throw badRequest('an empty namespace may not be set during creation');
    return namespace;
  }

  async #checkNamespaceOpen(namespace: string): Promise<void> {
    const namespaces = this.registry.find('', 'v1', 'namespaces') as ResourceType;
    const stored = await this.find(namespaces, undefined, namespace);
    if (!stored) throw notFound('namespaces', namespace);
    if (stored.object.metadata.deletionTimestamp) {
      throw new ApiStatusError(
        'Forbidden',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: namespace,
          kind: 'namespaces',
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${namespace} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }
}

export function withTypeMeta(object: KubeObject, type: ResourceType): KubeObject {
  object.apiVersion = apiVersionOf(type);
  object.kind = type.kind;
  return object;
}

function specChanged(before: KubeObject, after: KubeObject): boolean {
  const strip = ({ metadata: _metadata, status: _status, ...rest }: KubeObject) => rest;
  return !isDeepStrictEqual(strip(before), strip(after));
}

function namespacePending(type: ResourceType, object: KubeObject): boolean {
  return (
    type.plural === 'namespaces' &&
    type.group === '' &&
    ((object.spec as { finalizers?: string[] })?.finalizers ?? []).length > 0
  );
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
