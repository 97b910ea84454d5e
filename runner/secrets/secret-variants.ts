import { base64Forms, hexForms } from './byte-forms.ts';
import { jsonForms } from './json-forms.ts';
import { percentForms } from './percent-forms.ts';
import { shellForms } from './shell-forms.ts';

/** Shorter forms would mask ordinary text. */
export const MIN_MASKED_LENGTH = 3;
/** Shorter secrets cannot be masked safely: their forms are too common to find reliably. */
export const MIN_MASKABLE_LENGTH = 4;

// Whether a secret is long enough to be masked safely; the run warns the operator when not.
export function isMaskable(secret: string): boolean {
  return [...secret.trim()].length >= MIN_MASKABLE_LENGTH;
}

// The forms a secret takes in output: as written, line by line, and each of those encoded as
// people print secrets: base64 (alone or inside longer text), hex, percent-encoded, JSON-escaped
// and shell-quoted.
export function secretVariants(secret: string): string[] {
  const bases = new Set([secret, secret.replace(/\r?\n$/, '')]);
  for (const line of secret.split(/\r?\n/)) bases.add(line.trim());
  const variants = new Set<string>();
  for (const base of bases) {
    if (base.length < MIN_MASKED_LENGTH) continue;
    for (const form of [
      base,
      ...base64Forms(base),
      ...hexForms(base),
      ...percentForms(base),
      ...jsonForms(base),
      ...shellForms(base),
    ]) {
      variants.add(form);
    }
  }
  return [...variants].filter((variant) => variant.replace(/[\r\n]/g, '').length >= MIN_MASKED_LENGTH);
}
