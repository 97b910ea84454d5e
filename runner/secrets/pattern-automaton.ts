import { escapeRegExp } from '../../protocol/regexp.ts';
import { buildTrie, type Trie } from './pattern-trie.ts';

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
/** Line-break characters in a row that a match may span (`\r\n`); more end every match. */
const MAX_BREAKS_IN_A_ROW = 2;
/** Transition-table entries kept dense (4 MB); states past them step through the sparse trie. */
const DENSE_ENTRIES = 1 << 20;
const OTHER_CLASS = 0;
const BREAK_CLASS = 1;

/** What one scan found: the spans to mask, and where a match still in progress began. */
export interface ScanResult {
  /** Start and end of each span to mask, as flat pairs, sorted; overlapping matches are merged. */
  spans: number[];
  /** Index of the first character that may belong to a match completed by later text. */
  pendingStart: number;
}

function isLineBreak(code: number): boolean {
  return code === LINE_FEED || code === CARRIAGE_RETURN;
}

/** Alternatives the start finder may hold; past this it looks for shorter prefixes. */
const MAX_ALTERNATIVES = 512;
const PREFIX_LENGTHS = [8, 6, 4, 3, 2, 1];

interface StartFinder {
  pattern: RegExp;
  /** How many characters of each pattern it looks for. */
  prefixLength: number;
}

function neededPrefixes(patterns: readonly string[], length: number): string[] {
  const prefixes = [...new Set(patterns.map((pattern) => pattern.slice(0, length)))].sort();
  // Sorted, a prefix comes just before the prefixes it starts; those add nothing.
  const needed: string[] = [];
  for (const prefix of prefixes) {
    const shorter = needed.at(-1);
    if (shorter === undefined || !prefix.startsWith(shorter)) needed.push(prefix);
  }
  return needed;
}

// A regular expression for the patterns' first characters, each allowed a line break after it.
// It finds where a pattern may start far faster than stepping the automaton over every character;
// the more patterns, the shorter the prefixes it looks for, so that it stays small.
function startFinder(patterns: readonly string[]): StartFinder {
  for (const prefixLength of PREFIX_LENGTHS) {
    const needed = neededPrefixes(patterns, prefixLength);
    if (needed.length > MAX_ALTERNATIVES && prefixLength > 1) continue;
    const alternatives = needed.map((prefix) => prefix.split('').map(escapeRegExp).join('[\\r\\n]{0,2}'));
    return { pattern: new RegExp(alternatives.join('|'), 'g'), prefixLength };
  }
  throw new Error('a start finder of one-character prefixes always fits');
}

// Finds many literal patterns in one pass over the text: a regular expression jumps to where one
// may start, then an Aho–Corasick automaton (a dense transition table for the states near the
// root) follows it. Line breaks in the text are skipped, so a pattern is still found when a tool
// wrapped it (base64 at 76 columns, xxd at 60); patterns are stored without their line breaks.
export class PatternAutomaton {
  readonly #trie: Trie;
  readonly #classOf = new Uint16Array(65536);
  readonly #classes: number;
  readonly #denseStates: number;
  readonly #dense: Int32Array;
  readonly #startFinder: StartFinder;

  constructor(patterns: Iterable<string>) {
    const unbroken = [...patterns].map((pattern) => pattern.replace(/[\r\n]/g, '')).filter((pattern) => pattern !== '');
    this.#trie = buildTrie(unbroken);
    this.#startFinder = startFinder(unbroken);
    const { label } = this.#trie;
    this.#classOf[LINE_FEED] = BREAK_CLASS;
    this.#classOf[CARRIAGE_RETURN] = BREAK_CLASS;
    const codes: number[] = [];
    for (let state = 1; state < label.length; state++) {
      const code = label[state] as number;
      if (this.#classOf[code] !== OTHER_CLASS) continue;
      this.#classOf[code] = codes.length + 2;
      codes.push(code);
    }
    this.#classes = codes.length + 2;
    this.#denseStates = Math.min(label.length, Math.floor(DENSE_ENTRIES / this.#classes));
    this.#dense = new Int32Array(this.#denseStates * this.#classes);
    for (let state = 0; state < this.#denseStates; state++) {
      const row = state * this.#classes;
      codes.forEach((code, index) => {
        this.#dense[row + index + 2] = this.#trie.next(state, code);
      });
    }
  }

  scan(text: string): ScanResult {
    const spans: number[] = [];
    const classOf = this.#classOf;
    const dense = this.#dense;
    const classes = this.#classes;
    const denseStates = this.#denseStates;
    const { matchLength } = this.#trie;
    // A match still open at the end began no earlier than this, or the finder would have seen it.
    const tailStart = Math.max(0, startOfLast(text, text.length - 1, this.#startFinder.prefixLength - 1));
    let state = 0;
    let breaks = 0;
    for (let index = 0; index < text.length; index++) {
      if (state === 0 && index < tailStart) index = this.#findStart(text, index, tailStart);
      if (index >= text.length) break;
      const code = text.charCodeAt(index);
      const characterClass = classOf[code] as number;
      if (characterClass === BREAK_CLASS) {
        if (state !== 0 && ++breaks > MAX_BREAKS_IN_A_ROW) state = 0;
        continue;
      }
      breaks = 0;
      state = state < denseStates ? (dense[state * classes + characterClass] as number) : this.#trie.next(state, code);
      const length = matchLength[state] as number;
      if (length !== 0) addSpan(spans, startOfLast(text, index, length), index + 1);
    }
    const pending = this.#trie.depth[state] as number;
    return { spans, pendingStart: pending === 0 ? text.length : startOfLast(text, text.length - 1, pending) };
  }

  #findStart(text: string, from: number, tailStart: number): number {
    const { pattern } = this.#startFinder;
    pattern.lastIndex = from;
    const found = pattern.exec(text);
    return found ? Math.min(found.index, tailStart) : tailStart;
  }
}

// Where the last `count` characters up to `end` begin, not counting line breaks.
function startOfLast(text: string, end: number, count: number): number {
  if (count === 0) return end + 1;
  let index = end;
  for (let seen = 0; index >= 0; index--) {
    if (isLineBreak(text.charCodeAt(index))) continue;
    if (++seen === count) break;
  }
  return index;
}

// Spans arrive in order of their ends; one that overlaps the spans before it swallows them.
function addSpan(spans: number[], start: number, end: number): void {
  while (spans.length > 0 && (spans[spans.length - 1] as number) > start) {
    start = Math.min(start, spans[spans.length - 2] as number);
    spans.length -= 2;
  }
  spans.push(start, end);
}
