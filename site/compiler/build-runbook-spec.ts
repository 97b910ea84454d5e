import { splitCommandLine } from '../../common/shell/split-command-line.ts';
import {
  type CommandStepSpec,
  listVariableNames,
  type ManualStepSpec,
  type RunbookSpec,
  RunbookSpecSchema,
  type StepSpec,
} from '../../protocol/index.ts';
import type { BlockDraft, CommandStepDraft, RunbookDraft } from './runbook-draft.ts';
import { hashDefinition, sha256 } from './step-hash.ts';
import { collectBlockReferences } from './step-references.ts';

// Turns a validated draft into its manifest entry: normalised steps, each with a content hash.
export function buildRunbookSpec(draft: RunbookDraft): RunbookSpec {
  const steps = draft.blocks.flatMap((block) => (block.kind === 'param' ? [] : [toStepSpec(block)]));
  return RunbookSpecSchema.parse({
    slug: draft.slug,
    sourcePath: draft.file,
    contentHash: sha256(draft.source),
    meta: draft.frontmatter,
    params: draft.blocks.flatMap((block) => (block.kind === 'param' ? [block.value] : [])),
    steps,
  });
}

function toStepSpec(block: Exclude<BlockDraft, { kind: 'param' }>): StepSpec {
  const references = [...new Set(collectBlockReferences(block).map((site) => site.name))];
  if (block.kind === 'manual') {
    const { value: props } = block;
    const definition: Omit<ManualStepSpec, 'hash'> = {
      kind: 'manual',
      id: props.id,
      title: props.title,
      references: listVariableNames(block.instruction),
      instruction: block.instruction,
      input:
        props.value === undefined
          ? null
          : {
              name: props.value,
              label: props.valueLabel ?? props.value,
              ...(props.valueExample === undefined ? {} : { example: props.valueExample }),
              ...(props.pattern === undefined ? {} : { pattern: props.pattern }),
              secret: props.secret,
              ...(props.mayStartWithDash ? { mayStartWithDash: true } : {}),
            },
    };
    return { ...definition, hash: hashDefinition(definition) };
  }
  const definition: Omit<CommandStepSpec, 'hash'> = {
    kind: 'command',
    ...block.value,
    references,
    script: block.script?.text ?? '',
    captures: block.captures.map((capture) => capture.value),
    checks: block.checks.map((check) => check.value),
    kube: block.kube.map((item) => item.value),
    ...(block.explanation ? { explanation: block.explanation.text } : {}),
    ...argvOf(block),
  };
  return { ...definition, hash: hashDefinition(definition) };
}

// A shell="none" step's argv, split at build time (lintNoShell reports a line that does not split).
function argvOf(block: CommandStepDraft): { argv: string[] } | Record<string, never> {
  if (block.value.shell !== 'none') return {};
  const split = splitCommandLine(block.script?.text ?? '');
  return split.ok ? { argv: split.argv } : {};
}
