import { badRequest } from '../errors.ts';

type Requirement = { key: string; op: 'exists' | 'not-exists' } | { key: string; op: 'in' | 'notin'; values: string[] };

export type LabelSelector = (labels: Record<string, string> | undefined) => boolean;

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

// Parses a label selector as kube-apiserver does: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
// `a notin (x)`, `a`, `!a`, joined by commas.
export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text?.trim()) return () => true;
  const requirements = splitTopLevel(text).map(parseRequirement);
  return (labels) => requirements.every((requirement) => matches(requirement, labels ?? {}));
}

export function matchLabels(selector: { matchLabels?: Record<string, string> } | undefined): LabelSelector {
  const wanted = Object.entries(selector?.matchLabels ?? {});
  return (labels) => wanted.every(([key, value]) => labels?.[key] === value);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const character of text) {
    if (character === '(') depth++;
    if (character === ')') depth--;
    if (character === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += character;
  }
  parts.push(current.trim());
  return parts;
}

function parseRequirement(part: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
  if (set) {
    const values = (set[3] as string).split(',').map((value) => value.trim());
    return checked({ key: set[1] as string, op: set[2] as 'in' | 'notin', values });
  }
  if (/^(\S+)\s+(in|notin)\s*\([^)]*$/.test(part))
    throw badRequest(`unable to parse requirement: found '', expected: ',' or ')'`);
  const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
  if (equality) {
    const op = equality[2] === '!=' ? 'notin' : 'in';
    return checked({ key: equality[1] as string, op, values: [equality[3] as string] });
  }
  const existence = /^(!?)\s*(\S+)$/.exec(part);
  if (existence) return checked({ key: existence[2] as string, op: existence[1] ? 'not-exists' : 'exists' });
  throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
}

function checked(requirement: Requirement): Requirement {
  if (!KEY.test(requirement.key)) {
    throw badRequest(`unable to parse requirement: invalid label key "${requirement.key}"`);
  }
  if ('values' in requirement) {
    for (const value of requirement.values) {
      if (value.length > 63 || !VALUE.test(value))
        throw badRequest(`unable to parse requirement: invalid label value: "${value}"`);
    }
  }
  return requirement;
}

function matches(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  switch (requirement.op) {
    case 'exists':
      return has;
    case 'not-exists':
      return !has;
    case 'in':
      return has && requirement.values.includes(labels[requirement.key] as string);
    case 'notin':
      return !has || !requirement.values.includes(labels[requirement.key] as string);
  }
}
