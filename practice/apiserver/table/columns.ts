import type { KubeObject, PrinterColumn } from '../resources/resource-type.ts';
import { ageOf } from './human-duration.ts';

type Getter = (object: KubeObject) => unknown;

// Reads a dotted path of plain fields; undefined when any step is missing.
export function field(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export const column = (
  name: string,
  value: Getter,
  options: { type?: PrinterColumn['type']; priority?: number; description?: string } = {},
): PrinterColumn => ({
  name,
  type: options.type ?? 'string',
  description: options.description ?? name,
  priority: options.priority ?? 0,
  value,
  ...(name === 'Name' ? { format: 'name' } : {}),
});

export const nameColumn = column('Name', (object) => object.metadata.name, {
  description: 'Name must be unique within a namespace.',
});
export const ageColumn = column('Age', (object) => ageOf(object.metadata.creationTimestamp), {
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
});
export const createdAtColumn = column('Created At', (object) => object.metadata.creationTimestamp, { type: 'date' });

export const text =
  (path: string, fallback = '<none>'): Getter =>
  (object) => {
    const value = field(object, path);
    return value === undefined || value === null || value === '' ? fallback : String(value);
  };

export const count =
  (path: string): Getter =>
  (object) => {
    const value = field(object, path);
    if (Array.isArray(value)) return value.length;
    if (value && typeof value === 'object') return Object.keys(value).length;
    return 0;
  };

export const int =
  (path: string): Getter =>
  (object) =>
    Number(field(object, path) ?? 0);

export function joinOrNone(values: unknown[]): string {
  const shown = values.filter((value) => value !== undefined && value !== null && value !== '').map(String);
  return shown.length === 0 ? '<none>' : shown.join(',');
}

export function selectorText(selector: unknown): string {
  if (!selector || typeof selector !== 'object') return '<none>';
  const labels =
    (selector as { matchLabels?: Record<string, string> }).matchLabels ?? (selector as Record<string, string>);
  const pairs = Object.entries(labels)
    .filter(([, value]) => typeof value === 'string')
    .map(([key, value]) => `${key}=${value}`);
  return pairs.length === 0 ? '<none>' : pairs.join(',');
}
