import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1Container, V1PersistentVolume, V1Pod, V1Volume } from '@kubernetes/client-node';
import { onNode } from '../../layout.ts';
import type { SandboxMount } from '../runtime/sandbox.ts';
import { ContainerConfigError, type ObjectReader, type PodNetwork, readPodField } from './container-env.ts';

export interface VolumeReader extends ObjectReader {
  readClaimVolumeName(namespace: string, claim: string): Promise<string | null>;
  readPersistentVolume(name: string): Promise<V1PersistentVolume | null>;
}

export interface VolumeContext {
  nodeRoot: string;
  /** The node's /var/lib/kubelet/pods. */
  podsDir: string;
  /** Where an NFS PersistentVolume's server:path lands: <nfsExportsDir>/<path>. */
  nfsExportsDir: string;
  reader: VolumeReader;
  network: PodNetwork;
}

// Why a volume cannot be set up yet (an unbound claim, a missing Secret): the pod waits and retries.
export class VolumeSetupError extends Error {
  readonly code = 'FailedMount';
}

// Every volume of the pod as a folder (or file) on this machine, created or filled as its kind
// says: emptyDir under the pod's folder, hostPath inside the node's root, configMap, secret,
// downwardAPI and projected as files, a claim through its bound PersistentVolume.
export async function prepareVolumes(pod: V1Pod, context: VolumeContext): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const volume of pod.spec?.volumes ?? []) sources.set(volume.name, await prepareVolume(pod, volume, context));
  return sources;
}

async function prepareVolume(pod: V1Pod, volume: V1Volume, context: VolumeContext): Promise<string> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const podDir = path.join(context.podsDir, pod.metadata?.uid ?? 'unknown', 'volumes');
  const folder = (plugin: string) => path.join(podDir, `kubernetes.io~${plugin}`, volume.name);
  if (volume.hostPath) return prepareHostPath(context.nodeRoot, volume.hostPath.path, volume.hostPath.type);
  if (volume.emptyDir) return ensureFolder(folder('empty-dir'));
  if (volume.configMap || volume.secret) {
    const isSecret = volume.secret !== undefined;
    const name = (volume.secret?.secretName ?? volume.configMap?.name) as string;
    const data = isSecret
      ? await context.reader.readSecret(namespace, name)
      : await context.reader.readConfigMap(namespace, name);
    const optional = volume.secret?.optional ?? volume.configMap?.optional ?? false;
    if (!data && !optional) throw new VolumeSetupError(`${isSecret ? 'secret' : 'configmap'} "${name}" not found`);
    const items = volume.secret?.items ?? volume.configMap?.items;
    const mode = volume.secret?.defaultMode ?? volume.configMap?.defaultMode ?? 0o644;
    return writeKeyFiles(folder(isSecret ? 'secret' : 'configmap'), data ?? {}, items, mode);
  }
  if (volume.downwardAPI) {
    const files = Object.fromEntries(
      (volume.downwardAPI.items ?? []).map((item) => [
        item.path,
        readPodField(pod, item.fieldRef?.fieldPath ?? '', context.network),
      ]),
    );
    return writeKeyFiles(folder('downward-api'), files, undefined, volume.downwardAPI.defaultMode ?? 0o644);
  }
  if (volume.projected) {
    const target = await ensureFolder(folder('projected'));
    for (const source of volume.projected.sources ?? []) {
      if (source.configMap?.name) {
        const data = (await context.reader.readConfigMap(namespace, source.configMap.name)) ?? {};
        await writeKeyFiles(target, data, source.configMap.items, 0o644);
      }
      if (source.secret?.name) {
        const data = (await context.reader.readSecret(namespace, source.secret.name)) ?? {};
        await writeKeyFiles(target, data, source.secret.items, 0o644);
      }
      if (source.serviceAccountToken)
        await writeKeyFiles(target, { [source.serviceAccountToken.path]: '' }, undefined, 0o644);
    }
    return target;
  }
  if (volume.persistentVolumeClaim)
    return preparePersistentVolume(namespace, volume.persistentVolumeClaim.claimName, context);
  throw new ContainerConfigError(
    `volume "${volume.name}": this kind of volume is not supported by the practice kubelet`,
  );
}

async function preparePersistentVolume(namespace: string, claim: string, context: VolumeContext): Promise<string> {
  const volumeName = await context.reader.readClaimVolumeName(namespace, claim);
  if (!volumeName) throw new VolumeSetupError(`persistentvolumeclaim "${claim}" is not bound to a volume yet`);
  const volume = await context.reader.readPersistentVolume(volumeName);
  if (!volume) throw new VolumeSetupError(`persistentvolume "${volumeName}" not found`);
  const spec = volume.spec ?? {};
  if (spec.hostPath) return prepareHostPath(context.nodeRoot, spec.hostPath.path, 'DirectoryOrCreate');
  if (spec.local) return prepareHostPath(context.nodeRoot, spec.local.path, 'DirectoryOrCreate');
  if (spec.nfs) return ensureFolder(nfsExportFolder(context.nfsExportsDir, spec.nfs.path));
  throw new VolumeSetupError(`persistentvolume "${volumeName}": only hostPath, local and nfs volumes are supported`);
}

// An NFS volume's path as a folder of the practice cluster's one NFS export area (any server).
export function nfsExportFolder(nfsExportsDir: string, exportPath: string): string {
  const inside = path.posix.normalize(`/${exportPath}`);
  return path.join(nfsExportsDir, inside);
}

async function prepareHostPath(nodeRoot: string, hostPath: string, type: string | undefined): Promise<string> {
  const onTheNode = onNode(nodeRoot, path.posix.normalize(hostPath));
  if (type === 'FileOrCreate') {
    await mkdir(path.dirname(onTheNode), { recursive: true });
    await writeFile(onTheNode, '', { flag: 'a' });
    return onTheNode;
  }
  if (type === 'Directory' || type === 'File') return onTheNode;
  return ensureFolder(onTheNode);
}

async function ensureFolder(folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  return folder;
}

async function writeKeyFiles(
  folder: string,
  data: Record<string, string>,
  items: { key: string; path: string; mode?: number }[] | undefined,
  mode: number,
): Promise<string> {
  await mkdir(folder, { recursive: true });
  const chosen = items ?? Object.keys(data).map((key) => ({ key, path: key, mode: undefined }));
  for (const item of chosen) {
    const value = data[item.key];
    if (value === undefined) continue;
    const file = path.join(folder, path.posix.normalize(`/${item.path}`));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, value, { mode: item.mode ?? mode });
  }
  return folder;
}

// The container's mounts: each volumeMount's volume folder (and subPath) at its mountPath.
export function containerMounts(container: V1Container, sources: Map<string, string>): SandboxMount[] {
  return (container.volumeMounts ?? []).flatMap((mount) => {
    const source = sources.get(mount.name);
    if (source === undefined) return [];
    const withSub = mount.subPath ? path.join(source, path.posix.normalize(`/${mount.subPath}`)) : source;
    return [{ source: withSub, target: mount.mountPath, readOnly: mount.readOnly ?? false }];
  });
}
