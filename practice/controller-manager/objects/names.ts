import { randomInt } from 'node:crypto';

// kube's rand.String alphabet: no vowels (no words), no 0/1/3 (confusable).
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

// The `<prefix>-<5 random>` names ReplicaSets and Jobs give their pods.
export function randomSuffixName(prefix: string): string {
  let suffix = '';
  for (let index = 0; index < 5; index++) suffix += SAFE_ALPHABET[randomInt(SAFE_ALPHABET.length)];
  return `${prefix.slice(0, 57)}-${suffix}`;
}

// A 32-bit hash written in the safe alphabet, as kube writes pod-template-hash values.
export function safeEncode(value: number): string {
  let rest = value >>> 0;
  let encoded = '';
  do {
    encoded += SAFE_ALPHABET[rest % SAFE_ALPHABET.length];
    rest = Math.floor(rest / SAFE_ALPHABET.length);
  } while (rest > 0);
  return encoded;
}
