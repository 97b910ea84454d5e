import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { matchesLabelSelector } from '../objects/label-selector.ts';

const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

// A resource quantity ("10Gi", "500M", "1e3") in bytes; NaN when it is not one.
export function quantityBytes(quantity: string | undefined): number {
  const match = /^([0-9.]+(?:e[0-9]+)?)([kMGTP]i?)?$/.exec(quantity ?? '');
  if (!match) return Number.NaN;
  return Number(match[1]) * (UNITS[match[2] ?? ''] ?? Number.NaN);
}

// Whether an Available PV can hold a claim: same class, every requested access mode, enough
// room, the same volume mode, and the claim's selector if it has one.
export function volumeFitsClaim(volume: V1PersistentVolume, claim: V1PersistentVolumeClaim): boolean {
  if ((volume.spec?.storageClassName ?? '') !== (claim.spec?.storageClassName ?? '')) return false;
  const modes = volume.spec?.accessModes ?? [];
  if (!(claim.spec?.accessModes ?? []).every((mode) => modes.includes(mode))) return false;
  if ((volume.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const wanted = quantityBytes(claim.spec?.resources?.requests?.storage ?? '0');
  const room = quantityBytes(volume.spec?.capacity?.storage);
  if (!(room >= wanted)) return false;
  const selector = claim.spec?.selector;
  const constrained = Object.keys(selector?.matchLabels ?? {}).length + (selector?.matchExpressions ?? []).length > 0;
  if (constrained && !matchesLabelSelector(selector, volume.metadata?.labels)) return false;
  return true;
}

// The smallest fitting volume, as kube's binder prefers, reserved ones for this claim first.
export function pickVolume(
  volumes: V1PersistentVolume[],
  claim: V1PersistentVolumeClaim,
): V1PersistentVolume | undefined {
  const reservedFor = (volume: V1PersistentVolume) =>
    volume.spec?.claimRef?.name === claim.metadata?.name &&
    volume.spec?.claimRef?.namespace === claim.metadata?.namespace;
  const candidates = volumes.filter(
    (volume) =>
      !volume.metadata?.deletionTimestamp &&
      (!volume.spec?.claimRef || (reservedFor(volume) && !volume.spec.claimRef.uid)) &&
      volumeFitsClaim(volume, claim),
  );
  return candidates.sort(
    (left, right) =>
      Number(reservedFor(right)) - Number(reservedFor(left)) ||
      quantityBytes(left.spec?.capacity?.storage) - quantityBytes(right.spec?.capacity?.storage),
  )[0];
}
