// What the runbook compiler and the source transform must agree on: which code block is a step's
// script, and which MDX expression is a variable reference.
export const SCRIPT_LANGUAGES: ReadonlySet<string> = new Set(['bash', 'sh', 'shell']);

// `{{name}}` in prose parses as the MDX expression `{name}`.
const EXPRESSION_REFERENCE = /^\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}$/;

export function expressionReference(expression: string): string | undefined {
  return EXPRESSION_REFERENCE.exec(expression.trim())?.[1];
}
