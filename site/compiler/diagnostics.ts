// Every problem the runbook compiler finds, with where it is and how to fix it.
export interface Diagnostic {
  code: DiagnosticCode;
  file: string;
  line: number;
  column: number;
  message: string;
  hint: string;
}

export type DiagnosticCode =
  | 'mdx-syntax'
  | 'invalid-frontmatter'
  | 'invalid-props'
  | 'unknown-block'
  | 'misplaced-block'
  | 'dynamic-expression'
  | 'missing-script'
  | 'duplicate-id'
  | 'duplicate-variable'
  | 'undefined-variable'
  | 'variable-before-definition'
  | 'bash-syntax'
  | 'interactive-command'
  | 'double-evaluation'
  | 'fan-out-capture'
  | 'no-shell-command'
  | 'no-shell-secret'
  | 'invalid-explain'
  | 'invalid-drill';

export interface SourcePosition {
  line: number;
  column: number;
}

export const AUTHORING_DOCS = 'README.md#authoring-reference';

export function formatDiagnostic(diagnostic: Diagnostic): string {
  return [
    `${diagnostic.file}:${diagnostic.line}:${diagnostic.column} error ${diagnostic.code}: ${diagnostic.message}`,
    `  hint: ${diagnostic.hint}`,
  ].join('\n');
}

export class RunbookBuildError extends Error {
  readonly code = 'RUNBOOK_INVALID';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const count = diagnostics.length === 1 ? '1 problem' : `${diagnostics.length} problems`;
    super(
      `Runbook validation found ${count}:\n\n${diagnostics.map(formatDiagnostic).join('\n\n')}\n\nSee ${AUTHORING_DOCS}.`,
    );
    this.name = 'RunbookBuildError';
    this.diagnostics = diagnostics;
  }
}
