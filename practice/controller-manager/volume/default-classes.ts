import type { StorageV1Api, V1StorageClass } from '@kubernetes/client-node';
import { tolerateGoneOrExists } from '../client/api-errors.ts';
import { HOSTPATH_PROVISIONER, NFS_PROVISIONER } from './provisioner.ts';

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

// `standard`, the default class (folders deleted with their claims), and `nfs`, whose folders
// under nfs-exports/ outlive their claims (Retain) as backups on an NFS share do.
export const PRACTICE_STORAGE_CLASSES: V1StorageClass[] = [
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: HOSTPATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'nfs' },
    provisioner: NFS_PROVISIONER,
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'Immediate',
  },
];

// Creates the practice classes that do not exist yet; one an operator changed is left alone.
export async function ensureStorageClasses(storage: StorageV1Api): Promise<void> {
  for (const body of PRACTICE_STORAGE_CLASSES) {
    await tolerateGoneOrExists(() => storage.createStorageClass({ body }));
  }
}
