// The patterns' trie with Aho–Corasick failure links, states numbered breadth first so that the
// states nearest the root come first. Children are kept as linked lists in typed arrays: most
// states have one child, and a secret of many kilobytes makes millions of states.
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

interface Links {
  firstChild: number[];
  sibling: number[];
  label: number[];
  patternLength: number[];
}

function childOf(links: Links, state: number, code: number): number {
  let child = links.firstChild[state] as number;
  while (child !== -1 && links.label[child] !== code) child = links.sibling[child] as number;
  return child;
}

function draftTrie(patterns: Iterable<string>): Links {
  const links: Links = { firstChild: [-1], sibling: [-1], label: [0], patternLength: [0] };
  for (const pattern of patterns) {
    let state = 0;
    for (let index = 0; index < pattern.length; index++) {
      const code = pattern.charCodeAt(index);
      let child = childOf(links, state, code);
      if (child === -1) {
        child = links.label.length;
        links.label.push(code);
        links.patternLength.push(0);
        links.firstChild.push(-1);
        links.sibling.push(links.firstChild[state] as number);
        links.firstChild[state] = child;
      }
      state = child;
    }
    if (pattern.length > 0) links.patternLength[state] = pattern.length;
  }
  return links;
}

export function buildTrie(patterns: Iterable<string>): Trie {
  const draft = draftTrie(patterns);
  const count = draft.label.length;
  const order = new Int32Array(count);
  let filled = 1;
  for (let head = 0; head < filled; head++) {
    for (
      let child = draft.firstChild[order[head] as number] as number;
      child !== -1;
      child = draft.sibling[child] as number
    ) {
      order[filled++] = child;
    }
  }
  const renumbered = new Int32Array(count);
  order.forEach((old, state) => {
    renumbered[old] = state;
  });
  const renumber = (old: number) => (old === -1 ? -1 : (renumbered[old] as number));
  const firstChild = new Int32Array(count);
  const sibling = new Int32Array(count);
  const label = new Int32Array(count);
  const matchLength = new Int32Array(count);
  order.forEach((old, state) => {
    firstChild[state] = renumber(draft.firstChild[old] as number);
    sibling[state] = renumber(draft.sibling[old] as number);
    label[state] = draft.label[old] as number;
    matchLength[state] = draft.patternLength[old] as number;
  });
  const depth = new Int32Array(count);
  const fail = new Int32Array(count);
  const next = (from: number, code: number): number => {
    for (let state = from; ; state = fail[state] as number) {
      let child = firstChild[state] as number;
      while (child !== -1 && label[child] !== code) child = sibling[child] as number;
      if (child !== -1) return child;
      if (state === 0) return 0;
    }
  };
  // Breadth-first order: a state's failure target is always complete before the state.
  for (let state = 0; state < count; state++) {
    for (let child = firstChild[state] as number; child !== -1; child = sibling[child] as number) {
      depth[child] = (depth[state] as number) + 1;
      const target = state === 0 ? 0 : next(fail[state] as number, label[child] as number);
      fail[child] = target;
      matchLength[child] = Math.max(matchLength[child] as number, matchLength[target] as number);
    }
  }
  return { label, depth, matchLength, next };
}
