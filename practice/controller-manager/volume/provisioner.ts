// Dynamic provisioning for the practice cluster's two storage classes, and where their volumes
// live on this machine (<practice root> is <state-dir>/practice):
//
// - `standard` (the default class, provisioner drillbook.io/hostpath): a hostPath PV whose path is
//   the folder <practice root>/storage/volumes/<pv name>, an absolute path on this machine.
// - `nfs` (provisioner drillbook.io/nfs): an nfs PV with server NFS_SERVER and path /<pv name>;
//   by convention every NFS PV's path P, whoever made it, is the folder <practice root>/nfs-exports/P,
//   which is what the practice NFS server exports, so the kubelet maps NFS volumes there.
//
// Every PV provisioned here carries the annotation drillbook.io/host-folder with its folder.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  V1ObjectReference,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1StorageClass,
} from '@kubernetes/client-node';
import { compact } from '../objects/canonical-json.ts';
import { formatTimestamp } from '../runtime/clock.ts';

export const HOSTPATH_PROVISIONER = 'drillbook.io/hostpath';
export const NFS_PROVISIONER = 'drillbook.io/nfs';
export const NFS_SERVER = 'nfs.practice.drillbook.io';
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
export const HOST_FOLDER_ANNOTATION = 'drillbook.io/host-folder';

export function storageVolumesDir(practiceRoot: string): string {
  return path.join(practiceRoot, 'storage', 'volumes');
}

// The folder an NFS export path stands for on this machine.
export function nfsExportFolder(practiceRoot: string, exportPath: string): string {
  return path.join(practiceRoot, 'nfs-exports', path.posix.normalize(`/${exportPath}`));
}

export function provisions(storageClass: V1StorageClass | undefined): boolean {
  return storageClass?.provisioner === HOSTPATH_PROVISIONER || storageClass?.provisioner === NFS_PROVISIONER;
}

// Makes the folder and returns the PV that stands for it, already reserved for the claim.
export async function provisionVolume(
  practiceRoot: string,
  storageClass: V1StorageClass,
  claim: V1PersistentVolumeClaim,
): Promise<V1PersistentVolume> {
  const name = `pvc-${claim.metadata?.uid}`;
  const nfs = storageClass.provisioner === NFS_PROVISIONER;
  const folder = nfs ? nfsExportFolder(practiceRoot, name) : path.join(storageVolumesDir(practiceRoot), name);
  await mkdir(folder, { recursive: true, mode: 0o777 });
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      annotations: {
        [PROVISIONED_BY_ANNOTATION]: storageClass.provisioner,
        [HOST_FOLDER_ANNOTATION]: folder,
        'drillbook.io/provisioned-at': formatTimestamp(new Date()),
      },
    },
    spec: {
      storageClassName: storageClass.metadata?.name ?? '',
      persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '1Gi' },
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      ...(nfs
        ? { nfs: { server: NFS_SERVER, path: `/${name}` } }
        : { hostPath: { path: folder, type: 'DirectoryOrCreate' } }),
      claimRef: compact<V1ObjectReference>({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata?.namespace,
        name: claim.metadata?.name,
        uid: claim.metadata?.uid,
      }),
      ...(storageClass.mountOptions ? { mountOptions: storageClass.mountOptions } : {}),
    },
  };
}

// Removes a provisioned volume's folder, and only a folder this provisioner made.
export async function removeProvisionedFolder(practiceRoot: string, volume: V1PersistentVolume): Promise<void> {
  const provisioner = volume.metadata?.annotations?.[PROVISIONED_BY_ANNOTATION];
  const folder = volume.metadata?.annotations?.[HOST_FOLDER_ANNOTATION];
  if (!folder || (provisioner !== HOSTPATH_PROVISIONER && provisioner !== NFS_PROVISIONER)) return;
  const allowed = [storageVolumesDir(practiceRoot), path.join(practiceRoot, 'nfs-exports')];
  const resolved = path.resolve(folder);
  if (!allowed.some((root) => path.dirname(resolved) === root)) return;
  await rm(resolved, { recursive: true, force: true });
}
