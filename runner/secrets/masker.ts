import { MASK } from '../../protocol/index.ts';
import { PatternAutomaton } from './pattern-automaton.ts';
import { isMaskable, secretVariants } from './secret-variants.ts';

export { MASK } from '../../protocol/index.ts';
export { isMaskable, MIN_MASKABLE_LENGTH } from './secret-variants.ts';

/** What registering a secret tells the caller. */
export interface SecretRegistration {
  /** False when the value is too short to mask safely: the operator should be warned. */
  maskable: boolean;
}

// Replaces every registered secret, in every form it takes, with a fixed-width mask. One masker
// per run; each output stream gets its own MaskingStream so a secret split across chunks is
// still caught.
export class SecretMasker {
  readonly #variants = new Set<string>();
  #automaton: PatternAutomaton | undefined;

  get size(): number {
    return this.#variants.size;
  }

  register(secret: string): SecretRegistration {
    const before = this.#variants.size;
    for (const variant of secretVariants(secret)) this.#variants.add(variant);
    if (this.#variants.size !== before) this.#automaton = new PatternAutomaton(this.#variants);
    return { maskable: isMaskable(secret) };
  }

  mask(text: string): string {
    return this.release(text, 0, true).masked;
  }

  createStream(): MaskingStream {
    return new MaskingStream(this);
  }

  // Masks text up to where a secret might still be coming (all of it when `final`), and says
  // where that is. The first `covered` characters belong to a mask already released: a match that
  // overlaps them extends that mask instead of starting another.
  release(text: string, covered: number, final: boolean): { masked: string; cut: number; covered: number } {
    if (!this.#automaton) return { masked: text, cut: text.length, covered: 0 };
    const { spans, pendingStart } = this.#automaton.scan(text);
    const cut = final ? text.length : pendingStart;
    let masked = '';
    let cursor = covered;
    let index = 0;
    for (; index < spans.length && (spans[index] as number) < covered; index += 2) {
      cursor = Math.max(cursor, spans[index + 1] as number);
    }
    for (; index < spans.length && (spans[index] as number) < cut && cursor <= cut; index += 2) {
      masked += text.slice(cursor, spans[index]) + MASK;
      cursor = spans[index + 1] as number;
    }
    if (cursor < cut) masked += text.slice(cursor, cut);
    return { masked, cut, covered: Math.max(0, cursor - cut) };
  }
}

// Masks a stream of text chunks, holding back an end that might be the start of a secret until
// the next chunk (or the end) decides it.
export class MaskingStream {
  #held = '';
  #covered = 0;
  readonly #masker: SecretMasker;

  constructor(masker: SecretMasker) {
    this.#masker = masker;
  }

  push(chunk: string): string {
    const text = this.#held + chunk;
    const { masked, cut, covered } = this.#masker.release(text, this.#covered, false);
    this.#held = text.slice(cut);
    this.#covered = covered;
    return masked;
  }

  flush(): string {
    const { masked } = this.#masker.release(this.#held, this.#covered, true);
    this.#held = '';
    this.#covered = 0;
    return masked;
  }
}
