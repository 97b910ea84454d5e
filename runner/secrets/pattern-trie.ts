// The patterns' trie with Aho–Corasick failure links, states numbered breadth first so that the
// states nearest the root come first.
export interface Trie {
  /** The character (UTF-16 code unit) that leads into each state; 0 for the root. */
  label: Int32Array;
  /** Length of the text each state stands for. */
  depth: Int32Array;
  /** Length of the longest pattern ending at each state (following failure links), or 0. */
  matchLength: Int32Array;
  /** The state after `state` reads `code`. */
  next(state: number, code: number): number;
}

interface Draft {
  children: Map<number, number>[];
  label: number[];
  patternLength: number[];
}

function draftTrie(patterns: Iterable<string>): Draft {
  const draft: Draft = { children: [new Map()], label: [0], patternLength: [0] };
  for (const pattern of patterns) {
    let state = 0;
    let length = 0;
    for (let index = 0; index < pattern.length; index++) {
      const code = pattern.charCodeAt(index);
      const children = draft.children[state] as Map<number, number>;
      let child = children.get(code);
      if (child === undefined) {
        child = draft.label.length;
        children.set(code, child);
        draft.children.push(new Map());
        draft.label.push(code);
        draft.patternLength.push(0);
      }
      state = child;
      length++;
    }
    if (length > 0) draft.patternLength[state] = length;
  }
  return draft;
}

export function buildTrie(patterns: Iterable<string>): Trie {
  const draft = draftTrie(patterns);
  const count = draft.label.length;
  const order = [0];
  for (let head = 0; head < order.length; head++) {
    for (const child of (draft.children[order[head] as number] as Map<number, number>).values()) order.push(child);
  }
  const renumbered = new Int32Array(count);
  order.forEach((state, index) => {
    renumbered[state] = index;
  });
  const label = new Int32Array(count);
  const depth = new Int32Array(count);
  const matchLength = new Int32Array(count);
  const fail = new Int32Array(count);
  const children = order.map(
    (state) =>
      new Map(
        [...(draft.children[state] as Map<number, number>)].map(([code, child]) => [code, renumbered[child] as number]),
      ),
  );
  const next = (from: number, code: number): number => {
    for (let state = from; ; state = fail[state] as number) {
      const child = (children[state] as Map<number, number>).get(code);
      if (child !== undefined) return child;
      if (state === 0) return 0;
    }
  };
  order.forEach((old, state) => {
    label[state] = draft.label[old] as number;
    matchLength[state] = draft.patternLength[old] as number;
  });
  // Breadth-first order: a state's failure target is always complete before the state.
  for (let state = 0; state < count; state++) {
    for (const child of (children[state] as Map<number, number>).values()) {
      depth[child] = (depth[state] as number) + 1;
      const target = state === 0 ? 0 : next(fail[state] as number, label[child] as number);
      fail[child] = target;
      matchLength[child] = Math.max(matchLength[child] as number, matchLength[target] as number);
    }
  }
  return { label, depth, matchLength, next };
}
