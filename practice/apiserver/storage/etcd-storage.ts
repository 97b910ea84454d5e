import { readFileSync } from 'node:fs';
import { Etcd3, type IKeyValue, type Watcher } from 'etcd3';
import { ApiStatusError } from '../errors.ts';
import type { KubeObject, ResourceType } from '../resources/resource-type.ts';

export interface StoredObject {
  object: KubeObject;
  modRevision: number;
}

export interface EtcdConnection {
  endpoints: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export type WatchEvent =
  | { type: 'put'; key: string; object: KubeObject; modRevision: number; created: boolean }
  | { type: 'delete'; key: string; object: KubeObject; modRevision: number };

export interface StorageWatch {
  cancel(): Promise<void>;
}

const REGISTRY = '/registry/';

// Objects in etcd as kube-apiserver keeps them with --storage-media-type=application/json:
// /registry/<prefix>/<namespace>/<name>, the object's JSON without its resourceVersion, which is
// the key's mod revision. So etcdctl, snapshots and restores see what a real cluster's etcd holds.
export class EtcdStorage {
  readonly client: Etcd3;

  constructor(client: Etcd3) {
    this.client = client;
  }

  static connect(connection: EtcdConnection): EtcdStorage {
    const tls = connection.caFile
      ? {
          credentials: {
            rootCertificate: readFileSync(connection.caFile),
            ...(connection.certFile ? { certChain: readFileSync(connection.certFile) } : {}),
            ...(connection.keyFile ? { privateKey: readFileSync(connection.keyFile) } : {}),
          },
        }
      : {};
    const hosts = connection.endpoints.map((endpoint) => endpoint.replace(/^https?:\/\//, ''));
    return new EtcdStorage(new Etcd3({ hosts, dialTimeout: 5000, ...tls }));
  }

  keyFor(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${this.prefixFor(type, namespace)}${name}`;
  }

  prefixFor(type: ResourceType, namespace?: string): string {
    const base = `${REGISTRY}${type.storagePrefix}/`;
    return type.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const response = await this.#call(() => this.client.get(key).exec());
    const kv = response.kvs[0];
    return kv ? decode(kv) : undefined;
  }

  async list(prefix: string): Promise<{ items: StoredObject[]; revision: number }> {
    const response = await this.#call(() => this.client.getAll().prefix(prefix).exec());
    return { items: response.kvs.map(decode), revision: Number(response.header.revision) };
  }

  async revision(): Promise<number> {
    const response = await this.#call(() => this.client.get('/registry/health-probe').exec());
    return Number(response.header.revision);
  }

  // Writes a new key; undefined when it exists already.
  async create(key: string, object: KubeObject): Promise<number | undefined> {
    const result = await this.#call(() =>
      this.client
        .if(key, 'Create', '==', 0)
        .then(this.client.put(key).value(encode(object)))
        .commit(),
    );
    return result.succeeded ? Number(result.header.revision) : undefined;
  }

  // Replaces a key only if it is still at the revision read; undefined when someone got there first.
  async update(key: string, object: KubeObject, expectedRevision: number): Promise<number | undefined> {
    const result = await this.#call(() =>
      this.client
        .if(key, 'Mod', '==', expectedRevision)
        .then(this.client.put(key).value(encode(object)))
        .commit(),
    );
    return result.succeeded ? Number(result.header.revision) : undefined;
  }

  async delete(key: string, expectedRevision: number): Promise<number | undefined> {
    const result = await this.#call(() =>
      this.client.if(key, 'Mod', '==', expectedRevision).then(this.client.delete().key(key)).commit(),
    );
    return result.succeeded ? Number(result.header.revision) : undefined;
  }

  // Follows every change under a prefix after a revision. `onGone` hears that the watch ended:
  // `compacted` when etcd no longer has that history (kube-apiserver's 410 Expired).
  async watch(
    prefix: string,
    afterRevision: number,
    onEvent: (event: WatchEvent) => void,
    onGone: (ended: { compacted: boolean; error: Error }) => void,
  ): Promise<StorageWatch> {
    if (await this.isCompacted(afterRevision + 1)) {
      onGone({ compacted: true, error: new Error('required revision has been compacted') });
      return { cancel: async () => undefined };
    }
    const watcher: Watcher = await this.client
      .watch()
      .prefix(prefix)
      .startRevision(String(afterRevision + 1))
      .withPreviousKV()
      .create();
    let ended = false;
    watcher.on('put', (kv) => {
      const decoded = decodeIfObject(kv);
      if (!decoded) return;
      onEvent({ type: 'put', key: kv.key.toString('utf8'), ...decoded, created: String(kv.version) === '1' });
    });
    watcher.on('delete', (kv, previous) => {
      const decoded = previous && decodeIfObject(previous);
      if (!decoded) return;
      decoded.object.metadata.resourceVersion = String(kv.mod_revision);
      onEvent({
        type: 'delete',
        key: kv.key.toString('utf8'),
        object: decoded.object,
        modRevision: Number(kv.mod_revision),
      });
    });
    watcher.on('error', (error: Error) => {
      ended = true;
      // etcd cancels a watch whose start was compacted with an empty cancel reason.
      onGone({ compacted: /compacted|canceled: $/.test(error.message), error });
    });
    // A watch etcd has cancelled must not be cancelled again: etcd3 would wait for an answer that
    // never comes, and etcd's answer to an unknown watch id throws inside etcd3's stream handler.
    return { cancel: () => (ended ? Promise.resolve() : watcher.cancel()) };
  }

  // True when etcd has compacted away the history at this revision (a future one is not compacted).
  async isCompacted(revision: number): Promise<boolean> {
    try {
      await this.client.get('/registry/health-probe').revision(String(revision)).exec();
      return false;
    } catch (error) {
      if (/compacted/.test((error as Error).message)) return true;
      if (/future revision/.test((error as Error).message)) return false;
      throw new ApiStatusError('InternalError', `etcd is unavailable: ${(error as Error).message}`, undefined, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }

  async #call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new ApiStatusError('InternalError', `etcd is unavailable: ${(error as Error).message}`, undefined, {
        cause: error,
      });
    }
  }
}

function encode(object: KubeObject): string {
  const { resourceVersion: _resourceVersion, ...metadata } = object.metadata;
  return JSON.stringify({ ...object, metadata });
}

// A value this server did not write (protobuf, another program's key under /registry/) is not one
// of its objects: kube-apiserver watches only the prefixes of the resources it serves, and never
// reads it either.
function decodeIfObject(kv: IKeyValue): StoredObject | undefined {
  try {
    const decoded = decode(kv);
    return typeof decoded.object.metadata === 'object' ? decoded : undefined;
  } catch {
    return undefined;
  }
}

function decode(kv: IKeyValue): StoredObject {
  const object = JSON.parse(kv.value.toString('utf8')) as KubeObject;
  const modRevision = Number(kv.mod_revision);
  object.metadata.resourceVersion = String(modRevision);
  return { object, modRevision };
}
