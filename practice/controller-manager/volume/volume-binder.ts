import type {
  V1ObjectReference,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1StorageClass,
} from '@kubernetes/client-node';
import { MERGE_PATCH, tolerateGoneOrExists } from '../client/api-errors.ts';
import { recordEvent } from '../objects/events.ts';
import type { Controller, ControllerContext } from '../runtime/controller.ts';
import { DEFAULT_CLASS_ANNOTATION, ensureStorageClasses } from './default-classes.ts';
import { provisions, provisionVolume, removeProvisionedFolder } from './provisioner.ts';
import { pickVolume } from './volume-match.ts';

const COMPONENT = 'persistentvolume-controller';

// kube's PV controller: claims without a class get the default one, a claim naming its volume
// (spec.volumeName) binds to that one if it is free and fits, other Pending claims bind to the
// smallest fitting Available volume or to one provisioned for them, volumes whose claim is gone
// are Released, and deleted when their reclaim policy is Delete.
export function createVolumeBinder(context: ControllerContext): Controller {
  let classesEnsured = false;
  return {
    name: COMPONENT,
    watches: ['/api/v1/persistentvolumes', '/api/v1/persistentvolumeclaims', '/apis/storage.k8s.io/v1/storageclasses'],
    resyncMs: 5000,
    async reconcile() {
      if (!classesEnsured) {
        await ensureStorageClasses(context.client.storage);
        classesEnsured = true;
      }
      const [volumes, claims, classes] = await Promise.all([
        context.client.core.listPersistentVolume(),
        context.client.core.listPersistentVolumeClaimForAllNamespaces(),
        context.client.storage.listStorageClass(),
      ]);
      const claimsByUid = new Map(claims.items.map((claim) => [claim.metadata?.uid ?? '', claim]));
      for (const volume of volumes.items) await syncVolume(context, volume, claimsByUid);
      const available = volumes.items.filter((volume) => !volume.spec?.claimRef?.uid);
      const defaultClass = classes.items.find(
        (item) => item.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
      );
      for (const claim of claims.items) {
        if (claim.metadata?.deletionTimestamp) continue;
        const bound = volumes.items.find((volume) => volume.spec?.claimRef?.uid === claim.metadata?.uid);
        if (bound) {
          await markClaimBound(context, claim, bound);
          continue;
        }
        if (claim.spec?.volumeName) {
          const named = available.find((volume) => volume.metadata?.name === claim.spec?.volumeName);
          if (named && pickVolume([named], claim)) await claimVolume(context, claim, named, available);
          else if (claim.status?.phase === 'Bound') await patchClaimStatus(context, claim, { phase: 'Lost' });
          else if (claim.status?.phase !== 'Pending') await patchClaimStatus(context, claim, { phase: 'Pending' });
          continue;
        }
        await bindClaim(context, claim, available, classes.items, defaultClass);
      }
    },
  };
}

async function bindClaim(
  context: ControllerContext,
  claim: V1PersistentVolumeClaim,
  available: V1PersistentVolume[],
  classes: V1StorageClass[],
  defaultClass: V1StorageClass | undefined,
) {
  if (claim.spec?.storageClassName === undefined && defaultClass) {
    const storageClassName = defaultClass.metadata?.name;
    await patchClaim(context, claim, { spec: { storageClassName } });
    return;
  }
  let volume = pickVolume(available, claim);
  const storageClass = classes.find((item) => item.metadata?.name === claim.spec?.storageClassName);
  if (!volume && storageClass && provisions(storageClass)) {
    const body = await provisionVolume(context.practiceRoot, storageClass, claim);
    volume = await tolerateGoneOrExists(() => context.client.core.createPersistentVolume({ body }));
    const message = `Successfully provisioned volume ${body.metadata?.name} using ${storageClass.provisioner}`;
    await recordEvent(
      context.client.core,
      COMPONENT,
      claim,
      { reason: 'ProvisioningSucceeded', message },
      context.clock.now(),
    );
  }
  if (!volume) {
    if (claim.status?.phase !== 'Pending') await patchClaimStatus(context, claim, { phase: 'Pending' });
    return;
  }
  await claimVolume(context, claim, volume, available);
}

// Sets the volume's claimRef to the claim (taking it out of the available ones), then the claim's
// side of the binding.
async function claimVolume(
  context: ControllerContext,
  claim: V1PersistentVolumeClaim,
  volume: V1PersistentVolume,
  available: V1PersistentVolume[],
) {
  available.splice(available.indexOf(volume), 1);
  const claimRef = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata?.namespace,
    name: claim.metadata?.name,
    uid: claim.metadata?.uid,
    resourceVersion: claim.metadata?.resourceVersion,
  };
  const name = volume.metadata?.name ?? '';
  const bound = await tolerateGoneOrExists(() =>
    context.client.core.patchPersistentVolume(
      { name, body: { metadata: { resourceVersion: volume.metadata?.resourceVersion }, spec: { claimRef } } },
      MERGE_PATCH,
    ),
  );
  if (bound) await markClaimBound(context, claim, bound);
}

async function markClaimBound(context: ControllerContext, claim: V1PersistentVolumeClaim, volume: V1PersistentVolume) {
  const name = volume.metadata?.name ?? '';
  if (volume.status?.phase !== 'Bound') {
    await tolerateGoneOrExists(() =>
      context.client.core.patchPersistentVolumeStatus({ name, body: { status: { phase: 'Bound' } } }, MERGE_PATCH),
    );
  }
  if (claim.spec?.volumeName !== name) {
    const annotations = { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' };
    await patchClaim(context, claim, { metadata: { annotations }, spec: { volumeName: name } });
  }
  if (claim.status?.phase !== 'Bound') {
    await patchClaimStatus(context, claim, {
      phase: 'Bound',
      accessModes: volume.spec?.accessModes,
      capacity: volume.spec?.capacity,
    });
  }
}

// A volume whose claim is gone is Released; with reclaimPolicy Delete it goes, folder and all.
async function syncVolume(
  context: ControllerContext,
  volume: V1PersistentVolume,
  claimsByUid: Map<string, V1PersistentVolumeClaim>,
) {
  const name = volume.metadata?.name ?? '';
  const ref = volume.spec?.claimRef;
  let phase = 'Available';
  if (ref?.uid) phase = claimsByUid.has(ref.uid) || (await claimStillThere(context, ref)) ? 'Bound' : 'Released';
  if (phase === 'Released' && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
    await removeProvisionedFolder(context.practiceRoot, volume);
    await tolerateGoneOrExists(() => context.client.core.deletePersistentVolume({ name }));
    return;
  }
  if (volume.status?.phase === phase) return;
  await tolerateGoneOrExists(() =>
    context.client.core.patchPersistentVolumeStatus({ name, body: { status: { phase } } }, MERGE_PATCH),
  );
}

// Asked again before a volume is released: the claim may be newer than the list we hold.
async function claimStillThere(context: ControllerContext, ref: V1ObjectReference): Promise<boolean> {
  const claim = await tolerateGoneOrExists(() =>
    context.client.core.readNamespacedPersistentVolumeClaim({
      name: ref.name ?? '',
      namespace: ref.namespace ?? 'default',
    }),
  );
  return claim?.metadata?.uid === ref.uid;
}

function patchClaim(context: ControllerContext, claim: V1PersistentVolumeClaim, body: object) {
  const name = claim.metadata?.name ?? '';
  const namespace = claim.metadata?.namespace ?? 'default';
  return tolerateGoneOrExists(() =>
    context.client.core.patchNamespacedPersistentVolumeClaim({ name, namespace, body }, MERGE_PATCH),
  );
}

function patchClaimStatus(context: ControllerContext, claim: V1PersistentVolumeClaim, status: object) {
  const name = claim.metadata?.name ?? '';
  const namespace = claim.metadata?.namespace ?? 'default';
  return tolerateGoneOrExists(() =>
    context.client.core.patchNamespacedPersistentVolumeClaimStatus({ name, namespace, body: { status } }, MERGE_PATCH),
  );
}
