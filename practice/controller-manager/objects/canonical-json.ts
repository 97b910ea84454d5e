import { formatTimestamp } from '../runtime/clock.ts';

// JSON with sorted keys, no undefined or null members and timestamps in whole seconds, so two
// objects that mean the same print the same, whether read back typed or built here.
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

// A value as it should go over the wire: Dates become kube timestamps.
export function plainValue<T>(value: T): T {
  return normalize(value) as T;
}

function normalize(value: unknown): unknown {
  if (value instanceof Date) return formatTimestamp(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .filter(([, member]) => member !== undefined && member !== null)
    .sort(([left], [right]) => left.localeCompare(right));
  return Object.fromEntries(entries.map(([key, member]) => [key, normalize(member)]));
}

// Whether every field of next already holds in current (fields current has beyond next are ignored).
export function isSubsetOf(next: object, current: object | undefined): boolean {
  const have = (current ?? {}) as Record<string, unknown>;
  return Object.entries(next).every(([key, value]) => canonicalJson(value ?? 0) === canonicalJson(have[key] ?? 0));
}

type Loose<T> = { [K in keyof T]?: T[K] | undefined };

// An object literal whose optional members may be undefined, as the API types want it: without them.
export function compact<T extends object>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}
