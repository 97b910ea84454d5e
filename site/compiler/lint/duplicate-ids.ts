import type { Diagnostic } from '../diagnostics.ts';
import type { RunbookBlocks } from '../runbook-draft.ts';

// Step ids name steps in runs and records, so they are unique within a runbook.
export function lintDuplicateIds(draft: RunbookBlocks): Diagnostic[] {
  const seen = new Map<string, number>();
  const diagnostics: Diagnostic[] = [];
  for (const block of draft.blocks) {
    if (block.kind === 'param') continue;
    const { id } = block.value;
    const earlier = seen.get(id);
    if (earlier === undefined) {
      seen.set(id, block.position.line);
      continue;
    }
    diagnostics.push({
      code: 'duplicate-id',
      file: draft.file,
      line: (block.propPositions.id ?? block.position).line,
      column: (block.propPositions.id ?? block.position).column,
      message: `the step id "${id}" is already used on line ${earlier}`,
      hint: 'give each step its own id; ids name steps in runs and incident records',
    });
  }
  return diagnostics;
}
