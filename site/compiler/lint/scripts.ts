import type { Diagnostic } from '../diagnostics.ts';
import type { CommandStepDraft, RunbookBlocks } from '../runbook-draft.ts';
import { scriptPosition } from '../step-references.ts';
import { checkBashSyntax } from './bash-syntax.ts';
import { findDoubleEvaluation } from './double-evaluation.ts';
import { listCommands, listValueVariables } from './shell-tree.ts';
import { type Finding, findInteractiveUse } from './unattended.ts';

// Checks each step's script: it parses, it can run unattended, and no value is evaluated twice.
export async function lintScripts(draft: RunbookBlocks): Promise<Diagnostic[]> {
  const steps = draft.blocks.filter((block): block is CommandStepDraft => block.kind === 'command');
  const results = await Promise.all(steps.map((step) => lintStepScript(draft.file, step)));
  return results.flat();
}

async function lintStepScript(file: string, step: CommandStepDraft): Promise<Diagnostic[]> {
  const script = step.script;
  if (!script) return [];
  const syntaxError = checkBashSyntax(script.text);
  if (syntaxError) {
    const lastRow = script.text.split('\n').length - 1;
    const at = scriptPosition(script, Math.min(syntaxError.line - 1, lastRow), 0);
    return [
      {
        code: 'bash-syntax',
        file,
        line: at.line,
        column: at.column,
        message: `step "${step.value.id}" is not valid bash: ${syntaxError.message}`,
        hint: 'bash -n rejects this script; check quotes, brackets and if/fi, do/done pairs',
      },
    ];
  }
  const diagnostics: Diagnostic[] = [];
  const toDiagnostic = (code: Diagnostic['code'], finding: Finding): Diagnostic => {
    const at = scriptPosition(script, finding.word.row, finding.word.column);
    return { code, file, line: at.line, column: at.column, message: finding.message, hint: finding.hint };
  };
  const carried = await listValueVariables(script.text);
  for (const command of await listCommands(script.text)) {
    const interactive = findInteractiveUse(command);
    if (interactive) diagnostics.push(toDiagnostic('interactive-command', interactive));
    for (const finding of findDoubleEvaluation(command, carried))
      diagnostics.push(toDiagnostic('double-evaluation', finding));
  }
  return diagnostics;
}
