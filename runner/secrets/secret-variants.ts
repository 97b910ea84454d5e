import { base64Forms, hexForms } from './byte-forms.ts';
import { jsonForms } from './json-forms.ts';
import { percentForms } from './percent-forms.ts';
import { shellForms } from './shell-forms.ts';

/** Shorter forms would mask ordinary text. */
export const MIN_MASKED_LENGTH = 3;
/** Shorter secrets cannot be masked safely: their forms are too common to find reliably. */
export const MIN_MASKABLE_LENGTH = 4;
/** A longer value is masked as overlapping pieces of this many characters. */
const PIECE_LENGTH = 64;
/** Enough for the base64 runs of neighbouring pieces to overlap, so their masks merge. */
const PIECE_OVERLAP = 4;

// Whether a secret is long enough to be masked safely; the run warns the operator when not.
export function isMaskable(secret: string): boolean {
  return [...secret.trim()].length >= MIN_MASKABLE_LENGTH;
}

// A long value's encodings are the encodings of its pieces, side by side; masking overlapping
// pieces masks all of it with patterns of bounded length (a key of 48 kB stays cheap) and also
// masks any long part of it printed alone.
function piecesOf(value: string): string[] {
  const characters = [...value];
  if (characters.length <= PIECE_LENGTH) return [value];
  const pieces: string[] = [];
  const stride = PIECE_LENGTH - PIECE_OVERLAP;
  for (let start = 0; ; start += stride) {
    const end = Math.min(start + PIECE_LENGTH, characters.length);
    pieces.push(characters.slice(end - PIECE_LENGTH, end).join(''));
    if (end === characters.length) return pieces;
  }
}

function formsOf(piece: string): string[] {
  return [
    piece,
    ...base64Forms(piece),
    ...hexForms(piece),
    ...percentForms(piece),
    ...jsonForms(piece),
    ...shellForms(piece),
  ];
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
    for (const piece of piecesOf(base)) {
      for (const form of formsOf(piece)) variants.add(form);
    }
  }
  return [...variants].filter((variant) => variant.replace(/[\r\n]/g, '').length >= MIN_MASKED_LENGTH);
}
