import type { PreflightItem, RunbookSpec } from '../../protocol/index.ts';
import type { StepExecutor } from '../execution/step-executor.ts';
import { loadPinnedApi } from '../kube/kube-api.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';
import { type ClusterCheck, checkClusterReady, checkPermission } from './check-cluster.ts';
import { checkNodeReachable, planNodeItems } from './check-nodes.ts';
import { checkTool } from './check-tools.ts';
import { type PlannedItem, planPreflight } from './plan-preflight.ts';

/** A tool that only pod and node steps use: it must be in the pod or on the node, not here. */
const REMOTE_ONLY = { passed: true, detail: 'used only in pod and node steps: not needed on this machine', fix: null };

export interface PreflightSetup {
  /** The environment steps run with: tools are looked for on its PATH. */
  env: Record<string, string | undefined>;
  /** The run's pinned kubeconfig. */
  kubeconfigFile: string;
  /** How node steps reach their nodes; their reachability is checked through it. */
  nodeExecutor?: StepExecutor | undefined;
}

// Checks what the runbook needs before its first step and records each item: tools and
// versions, and for a run pinned to a cluster, /readyz and the declared permissions. A dry run
// checks nothing: it contacts no cluster and runs nothing.
export async function runPreflight(runtime: RunRuntime, runbook: RunbookSpec, setup: PreflightSetup): Promise<void> {
  if (runtime.state.mode === 'dry-run') return;
  const plan = planPreflight(runbook);
  const env = { ...setup.env, KUBECONFIG: setup.kubeconfigFile };
  const record = (
    planned: PlannedItem,
    kind: PreflightItem['kind'],
    check: Omit<PreflightItem, 'id' | 'kind' | 'label' | 'steps'>,
  ) => runtime.record({ type: 'preflight-checked', item: { ...planned, kind, ...check } });
  const tools = await Promise.all(
    plan.tools.map(async ({ tool, item }) => (item.steps.length > 0 ? checkTool(tool, env) : REMOTE_ONLY)),
  );
  for (const [index, { item }] of plan.tools.entries())
    await record(item, 'tool', tools[index] as (typeof tools)[number]);
  if (setup.nodeExecutor) {
    const nodes = planNodeItems(runbook, (name) => runtime.value(name));
    const cwd = runtime.state.workdir;
    const checks = await Promise.all(
      nodes.map(({ host, user }) =>
        checkNodeReachable(setup.nodeExecutor as StepExecutor, host, { cwd, env, ...(user ? { user } : {}) }),
      ),
    );
    for (const [index, { item }] of nodes.entries()) await record(item, 'node', checks[index] as ClusterCheck);
  }
  const target = runtime.state.target;
  if (!target) return;
  const api = loadPinnedApi(setup.kubeconfigFile);
  await record(plan.cluster, 'cluster', await checkClusterReady(api, target.server));
  for (const { permission, item } of plan.permissions)
    await record(item, 'permission', await checkPermission(api, permission));
}
