import type { Diagnostic, SourcePosition } from '../diagnostics.ts';
import type { RunbookBlocks } from '../runbook-draft.ts';
import { collectBlockDefinitions, collectBlockReferences } from '../step-references.ts';
import { suggest } from '../zod-issues.ts';

// Variables are declared once, and a step may only use what a param or an earlier step provides.
export function lintReferences(draft: RunbookBlocks): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (code: Diagnostic['code'], at: SourcePosition, message: string, hint: string) =>
    diagnostics.push({ code, file: draft.file, line: at.line, column: at.column, message, hint });

  const definitions = new Map<string, { position: SourcePosition; by: string; index: number }>();
  draft.blocks.forEach((block, index) => {
    for (const definition of collectBlockDefinitions(block)) {
      const earlier = definitions.get(definition.name);
      if (earlier) {
        report(
          'duplicate-variable',
          definition.position,
          `{{${definition.name}}} is already defined by ${earlier.by} on line ${earlier.position.line}`,
          'a variable is defined once: give this one its own name',
        );
        continue;
      }
      definitions.set(definition.name, { ...definition, index });
    }
  });

  const known = [...definitions.keys()];
  const reportUndefined = (name: string, at: SourcePosition) =>
    report(
      'undefined-variable',
      at,
      `{{${name}}} is not defined`,
      suggest(name, known) ?? `declare it with <Param name="${name}" …/> or capture it in an earlier step`,
    );

  draft.blocks.forEach((block, index) => {
    for (const reference of collectBlockReferences(block)) {
      const definition = definitions.get(reference.name);
      if (!definition) {
        reportUndefined(reference.name, reference.position);
      } else if (definition.index >= index) {
        report(
          'variable-before-definition',
          reference.position,
          `{{${reference.name}}} is used here but only ${definition.by} on line ${definition.position.line} provides it`,
          definition.index === index
            ? 'a step cannot use a value it captures itself: use it in a later step'
            : 'move this step after the one that provides the value, or declare the <Param> earlier',
        );
      }
    }
  });

  for (const reference of draft.proseReferences) {
    if (!definitions.has(reference.name)) reportUndefined(reference.name, reference.position);
  }
  return diagnostics;
}
