import { chartRepoFiles } from '../chart-repo/repo-files.ts';
import type { PracticeLayout } from '../layout.ts';
import type { ToolPaths } from '../tools/pinned-tools.ts';

// Lines for `eval "$(npm run -s practice -- env)"`: the practice kubeconfig, and the pinned
// kubectl and helm first on PATH, and the chart repository's URL and CA while it runs
// (`helm repo add bitnami "$DRILLBOOK_CHART_REPO" --ca-file "$DRILLBOOK_CHART_REPO_CA"`).
export function renderShellEnv(layout: PracticeLayout, tools: ToolPaths, chartRepoUrl: string | null): string {
  const chartRepo = chartRepoUrl
    ? [
        `export DRILLBOOK_CHART_REPO=${quoteForShell(chartRepoUrl)}`,
        `export DRILLBOOK_CHART_REPO_CA=${quoteForShell(chartRepoFiles(layout).caCert)}`,
      ]
    : [];
  return [
    `export KUBECONFIG=${quoteForShell(layout.kubeconfig)}`,
    `export PATH=${quoteForShell(tools.binDir)}:"$PATH"`,
    ...chartRepo,
    '',
  ].join('\n');
}

function quoteForShell(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}
