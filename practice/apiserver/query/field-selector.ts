import { badRequest } from '../errors.ts';
import type { KubeObject, ResourceType } from '../resources/resource-type.ts';

export type FieldSelector = (object: KubeObject) => boolean;

// Parses `a=b,c!=d` over the fields a kind supports; others are refused as kube-apiserver refuses them.
export function parseFieldSelector(text: string | undefined, type: ResourceType): FieldSelector {
  if (!text?.trim()) return () => true;
  const terms = text.split(',').map((term) => {
    const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, label, op, value] = match as unknown as [string, string, string, string];
    const read = readerFor(label.trim(), type);
    return { read, negate: op === '!=', value: value.trim() };
  });
  return (object) => terms.every((term) => (term.read(object) === term.value) !== term.negate);
}

function readerFor(label: string, type: ResourceType): (object: KubeObject) => string | undefined {
  if (label === 'metadata.name') return (object) => object.metadata.name;
  if (label === 'metadata.namespace') return (object) => object.metadata.namespace ?? '';
  const reader = type.fieldLabels[label];
  if (!reader) {
    throw badRequest(`field label not supported: ${label}`);
  }
  return (object) => reader(object) ?? '';
}
