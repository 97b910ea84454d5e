import { MASK } from '../../protocol/index.ts';
import { escapeRegExp } from '../../protocol/regexp.ts';
import { secretVariants } from './secret-variants.ts';

export { MASK } from '../../protocol/index.ts';

// Replaces every registered secret, in every form it takes, with a fixed-width mask. One masker
// per run; each output stream gets its own MaskingStream so a secret split across chunks is
// still caught.
export class SecretMasker {
  #variants: string[] = [];
  #pattern: RegExp | undefined;
  #firstCharacters = new Set<string>();

  get size(): number {
    return this.#variants.length;
  }

  register(secret: string): void {
    const added = secretVariants(secret).filter((variant) => !this.#variants.includes(variant));
    if (added.length === 0) return;
    // Longest first, so that a longer form wins over a shorter one it contains.
    this.#variants = [...this.#variants, ...added].sort((a, b) => b.length - a.length);
    this.#pattern = new RegExp(this.#variants.map(escapeRegExp).join('|'), 'g');
    this.#firstCharacters = new Set(this.#variants.map((variant) => variant[0] as string));
  }

  mask(text: string): string {
    return this.#pattern ? text.replace(this.#pattern, MASK) : text;
  }

  // Masks text[0, cut) and moves the cut back to the start of any secret that crosses it, so a
  // secret is never released in two halves. Returns the masked text and where it really stopped.
  maskBefore(text: string, cut: number): { masked: string; cut: number } {
    const pattern = this.#pattern;
    if (!pattern) return { masked: text.slice(0, cut), cut };
    pattern.lastIndex = 0;
    let masked = '';
    let cursor = 0;
    for (let match = pattern.exec(text); match && match.index < cut; match = pattern.exec(text)) {
      const end = match.index + match[0].length;
      if (end > cut) {
        cut = match.index;
        break;
      }
      masked += text.slice(cursor, match.index) + MASK;
      cursor = end;
    }
    return { masked: masked + text.slice(cursor, cut), cut };
  }

  createStream(): MaskingStream {
    return new MaskingStream(this);
  }

  /** Length of the longest end of `text` that could be the start of a secret. */
  pendingPrefixLength(text: string): number {
    let longest = 0;
    for (const variant of this.#variants) {
      const limit = Math.min(variant.length - 1, text.length);
      if (limit <= longest) continue;
      for (let length = limit; length > longest; length--) {
        const start = text.length - length;
        if (!this.#firstCharacters.has(text[start] as string)) continue;
        if (text.startsWith(variant.slice(0, length), start)) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}

// Masks a stream of text chunks, holding back an end that might be the start of a secret until
// the next chunk (or the end) decides it.
export class MaskingStream {
  #held = '';
  readonly #masker: SecretMasker;

  constructor(masker: SecretMasker) {
    this.#masker = masker;
  }

  push(chunk: string): string {
    const text = this.#held + chunk;
    const { masked, cut } = this.#masker.maskBefore(text, text.length - this.#masker.pendingPrefixLength(text));
    this.#held = text.slice(cut);
    return masked;
  }

  flush(): string {
    const rest = this.#masker.mask(this.#held);
    this.#held = '';
    return rest;
  }
}
