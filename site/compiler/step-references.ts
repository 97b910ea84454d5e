import { findVariableReferences } from '../../protocol/index.ts';
import type { SourcePosition } from './diagnostics.ts';
import type { BlockDraft, ReferenceSite, ScriptDraft } from './runbook-draft.ts';

// Maps an offset inside a step's script to its line and column in the MDX file.
export function scriptPosition(script: ScriptDraft, row: number, column: number): SourcePosition {
  return { line: script.firstLine + row, column: script.column + column };
}

export function offsetToRowColumn(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  const row = before.split('\n').length - 1;
  return { row, column: offset - (before.lastIndexOf('\n') + 1) };
}

// Every variable a block needs before it can run, with where the author wrote it.
export function collectBlockReferences(block: BlockDraft): ReferenceSite[] {
  if (block.kind === 'param') return [];
  if (block.kind === 'manual') return block.references;
  const sites: ReferenceSite[] = [];
  const { script } = block;
  if (script) {
    for (const reference of findVariableReferences(script.text)) {
      const { row, column } = offsetToRowColumn(script.text, reference.start);
      sites.push({ name: reference.name, position: scriptPosition(script, row, column) });
    }
  }
  for (const [key, value] of Object.entries(block.value.target)) {
    if (typeof value !== 'string') continue;
    const position = block.propPositions[key] ?? block.position;
    sites.push(...findVariableReferences(value).map((reference) => ({ name: reference.name, position })));
  }
  const matchers = [
    ...block.checks.map((check) => ({ text: JSON.stringify(check.value.assert), position: check.position })),
    ...block.captures.map((capture) => ({
      text: JSON.stringify([capture.value.extract, capture.value.validate]),
      position: capture.position,
    })),
    ...block.kube.map((item) => ({ text: JSON.stringify(item.value), position: item.position })),
  ];
  for (const { text, position } of matchers) {
    sites.push(...findVariableReferences(text).map((reference) => ({ name: reference.name, position })));
  }
  return sites;
}

// The variables a block makes known once it has run.
export function collectBlockDefinitions(block: BlockDraft): { name: string; position: SourcePosition; by: string }[] {
  switch (block.kind) {
    case 'param':
      return [{ name: block.value.name, position: block.position, by: `<Param name="${block.value.name}">` }];
    case 'manual':
      return block.value.value === undefined
        ? []
        : [{ name: block.value.value, position: block.position, by: `manual step "${block.value.id}"` }];
    case 'command':
      return [
        ...block.captures.map((capture) => ({ name: capture.value.name, position: capture.position })),
        ...block.kube.flatMap((item) =>
          item.value.kind === 'secret-key' ? [{ name: item.value.name, position: item.position }] : [],
        ),
      ].map((site) => ({ ...site, by: `step "${block.value.id}"` }));
  }
}
