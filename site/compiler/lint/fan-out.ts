import { isFanOut } from '../../../protocol/index.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { RunbookBlocks } from '../runbook-draft.ts';

// A step that runs once per node has one output per node: a capture would not know which to
// take, and a Kubernetes block would run once for the whole fan-out. Checks apply to each node.
export function lintFanOut(draft: RunbookBlocks): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const block of draft.blocks) {
    if (block.kind !== 'command' || !isFanOut(block.value.target)) continue;
    const prop = block.value.target.nodes === undefined ? 'nodeSelector' : 'nodes';
    for (const [what, items] of [
      ['<Capture>', block.captures],
      ['a Kubernetes block', block.kube],
    ] as const) {
      const first = items[0];
      if (!first) continue;
      diagnostics.push({
        code: 'fan-out-capture',
        file: draft.file,
        line: first.position.line,
        column: first.position.column,
        message: `step "${block.value.id}" runs once per node (${prop}=), so ${what} in it has no single output to read`,
        hint: 'capture in a step that runs on one node (host="…"), or list the values per node and capture the list',
      });
    }
  }
  return diagnostics;
}
