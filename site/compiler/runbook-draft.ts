import type { z } from 'zod';
import type {
  CalloutPropsSchema,
  CaptureSpec,
  CheckSpec,
  KubeBlock,
  ManualPropsSchema,
  ParamSpec,
  RunbookFrontmatter,
  StepPropsSchema,
} from '../../protocol/index.ts';
import type { SourcePosition } from './diagnostics.ts';

// What the compiler reads out of one MDX file before the cross-block lint rules run.

export interface Located<T> {
  value: T;
  position: SourcePosition;
  propPositions: Record<string, SourcePosition>;
}

export interface ScriptDraft {
  text: string;
  /** File line of the script's first line (the line after the opening fence). */
  firstLine: number;
  column: number;
}

export interface ParamDraft extends Located<ParamSpec> {
  kind: 'param';
}

export interface CommandStepDraft extends Located<z.output<typeof StepPropsSchema>> {
  kind: 'command';
  script: ScriptDraft | undefined;
  captures: Located<CaptureSpec>[];
  checks: Located<CheckSpec>[];
  kube: Located<KubeBlock>[];
  /** The text of the step's <Explain>, if it has one. */
  explanation?: { text: string; position: SourcePosition };
}

export interface ManualStepDraft extends Located<z.output<typeof ManualPropsSchema>> {
  kind: 'manual';
  instruction: string;
  references: ReferenceSite[];
}

export type CalloutProps = z.output<typeof CalloutPropsSchema>;

export type BlockDraft = ParamDraft | CommandStepDraft | ManualStepDraft;

export interface ReferenceSite {
  name: string;
  position: SourcePosition;
}

export interface RunbookBlocks {
  file: string;
  blocks: BlockDraft[];
  /** References in prose outside steps: they must exist, in any order. */
  proseReferences: ReferenceSite[];
}

export interface RunbookDraft extends RunbookBlocks {
  slug: string;
  source: string;
  frontmatter: RunbookFrontmatter;
}
