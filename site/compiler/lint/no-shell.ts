import { splitCommandLine } from '../../../common/shell/split-command-line.ts';
import { findVariableReferences } from '../../../protocol/index.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { BlockDraft, CommandStepDraft, RunbookBlocks } from '../runbook-draft.ts';
import { offsetToRowColumn, scriptPosition } from '../step-references.ts';

// A shell="none" step runs its one command line as argv in a container without a shell: the
// line must split without a shell, and no secret may be in it, since the argv travels in the
// exec request's URL, which API server audit logs record.
export function lintNoShell(draft: RunbookBlocks): Diagnostic[] {
  const secrets = secretNames(draft.blocks);
  const diagnostics: Diagnostic[] = [];
  for (const block of draft.blocks) {
    if (block.kind !== 'command' || block.value.shell !== 'none' || !block.script) continue;
    const at = (offset: number) => {
      const { row, column } = offsetToRowColumn(block.script?.text ?? '', offset);
      return scriptPosition(block.script as NonNullable<CommandStepDraft['script']>, row, column);
    };
    const split = splitCommandLine(block.script.text);
    if (!split.ok) {
      diagnostics.push({
        code: 'no-shell-command',
        file: draft.file,
        ...at(split.offset),
        message: `step "${block.value.id}" has shell="none": ${split.message}`,
        hint: 'a container without a shell runs one program with its arguments; do the rest in a step on your machine',
      });
      continue;
    }
    for (const reference of findVariableReferences(block.script.text)) {
      if (!secrets.has(reference.name)) continue;
      diagnostics.push({
        code: 'no-shell-secret',
        file: draft.file,
        ...at(reference.start),
        message: `{{${reference.name}}} is secret, and a shell="none" step's arguments travel in the exec request's URL`,
        hint: 'API server audit logs record exec URLs: pass a secret on stdin in a step with a shell, or read it from a file in the container',
      });
    }
  }
  return diagnostics;
}

function secretNames(blocks: BlockDraft[]): Set<string> {
  const names = new Set<string>();
  for (const block of blocks) {
    if (block.kind === 'param' && block.value.secret) names.add(block.value.name);
    if (block.kind === 'manual' && block.value.secret && block.value.value) names.add(block.value.value);
    if (block.kind !== 'command') continue;
    for (const capture of block.captures) if (capture.value.secret) names.add(capture.value.name);
    for (const item of block.kube) if (item.value.kind === 'secret-key') names.add(item.value.name);
  }
  return names;
}
