import { beforeAll } from 'vitest';
import type { NodeCount } from '../../practice/cluster/node-count.ts';
import { type FixtureName, loadFixture } from '../../practice/fixtures/load-fixture.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import { type DrillResult, runDrill } from './drill-cli.ts';
import { type PracticeCluster, usePracticeCluster } from './practice-cluster.ts';

export type { DrillResult } from './drill-cli.ts';

export interface FixtureCluster {
  cluster: PracticeCluster;
  /** `npm run drill -- run SLUG …` pinned to the practice context, in the cluster's state folder. */
  runbook(slug: string, args?: string[]): Promise<DrillResult>;
  /** The same, but a non-zero exit fails the test with the failed step's output. */
  runbookOk(slug: string, args?: string[]): Promise<DrillResult>;
}

// One practice cluster loaded with a platform's fixture, for the end-to-end runs of its runbooks:
// each runbook runs headless as an operator would run it, with the pinned kubectl and helm.
export function useFixtureCluster(
  name: string,
  fixture: FixtureName,
  options: { nodes?: NodeCount } = {},
): () => FixtureCluster {
  const cluster = usePracticeCluster(name, options);
  beforeAll(async () => {
    await loadFixture(cluster().layout, fixture);
  }, 120_000);
  const runbook = (slug: string, args: string[] = []): Promise<DrillResult> => {
    const { stateDir, layout } = cluster();
    return runDrill(stateDir, ['run', slug, '--context', 'drillbook-practice', ...args], {
      KUBECONFIG: layout.kubeconfig,
      HOME: stateDir,
      PATH: `${toolPaths().binDir}:${process.env.PATH}`,
    });
  };
  return () => ({
    cluster: cluster(),
    runbook,
    runbookOk: async (slug, args) => {
      const result = await runbook(slug, args);
      if (result.code !== 0) {
        throw new Error(
          `npm run drill -- run ${slug} exited ${result.code}\n--- stdout (last 6000) ---\n${result.stdout.slice(-6000)}\n--- stderr ---\n${result.stderr.slice(-3000)}`,
        );
      }
      return result;
    },
  });
}
