import type { PracticeLayout } from '../layout.ts';
import type { ToolPaths } from '../tools/pinned-tools.ts';

// Lines for `eval "$(npm run -s practice -- env)"`: the practice kubeconfig, and the pinned
// kubectl and helm first on PATH.
export function renderShellEnv(layout: PracticeLayout, tools: ToolPaths): string {
  return [
    `export KUBECONFIG=${quoteForShell(layout.kubeconfig)}`,
    `export PATH=${quoteForShell(tools.binDir)}:"$PATH"`,
    '',
  ].join('\n');
}

function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
