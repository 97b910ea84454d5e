import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NodeLayout, onNode } from '../../practice/layout.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import type { ExportRecord, PreflightItemView } from '../../protocol/index.ts';
import { runDrill } from '../helpers/drill-cli.ts';
import { eventually, usePracticeCluster } from '../helpers/practice-cluster.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

// A restore runs node steps while the API server is down by design: the headless runner must run
// them although /readyz fails, block the steps that need the API server, and let the operator
// override that with a recorded reason (--override cluster=REASON).
const cluster = usePracticeCluster('drill-preflight', { nodes: 1 });
let manifestFile: string;

beforeAll(async () => {
  manifestFile = (await fixtureManifest('preflight-runbooks')).file;
});

/** Moves cp-1's etcd manifest out of manifests/, and waits until /readyz says not ready. */
async function stopApiServer(): Promise<void> {
  const node = cluster().layout.nodes[0] as NodeLayout;
  await rename(
    onNode(node.root, '/etc/kubernetes/manifests/etcd.yaml'),
    onNode(node.root, '/etc/kubernetes/etcd.yaml.stopped'),
  );
  await eventually(async () => {
    const answer = await cluster().request('GET', '/readyz', { timeoutMs: 2000 });
    if (answer.status === 200) throw new Error('/readyz still answers 200');
  }, 30_000);
}

async function drill(args: string[]) {
  const { stateDir, layout } = cluster();
  const record = path.join(stateDir, `record-${Date.now()}.json`);
  const result = await runDrill(
    stateDir,
    ['run', 'api-down', '--manifest', manifestFile, '--context', 'drillbook-practice', ...args, '--record', record],
    { KUBECONFIG: layout.kubeconfig, HOME: stateDir, PATH: `${toolPaths().binDir}:/usr/bin:/bin` },
  );
  const exported = JSON.parse(await readFile(record, 'utf8')) as ExportRecord;
  // The checklist as the run page shows it: each item's last check, with its override if any.
  const items: Record<string, PreflightItemView> = {};
  for (const entry of exported.timeline) {
    if (entry.type === 'preflight-checked') {
      const { item } = entry.data as { item: Omit<PreflightItemView, 'overriddenBecause'> };
      items[item.id] = { ...item, overriddenBecause: null } as PreflightItemView;
    }
    if (entry.type === 'preflight-overridden') {
      const { itemId, reason } = entry.data as { itemId: string; reason: string };
      const item = items[itemId];
      if (item) items[itemId] = { ...item, overriddenBecause: reason };
    }
  }
  return { ...result, items };
}

describe('preflight on a cluster whose API server is down', () => {
  it('runs the node step, blocks the API step, and says how to override', async () => {
    await stopApiServer();
    const result = await drill([]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.items.cluster).toMatchObject({ passed: false, steps: ['list-nodes'], overriddenBecause: null });
    expect(result.items['permission:list:nodes@']).toMatchObject({ steps: ['list-nodes'] });
    expect(result.items['tool:drillbook-node-only-tool']).toMatchObject({ passed: true, steps: [] });
    expect(result.items['tool:kubectl']).toMatchObject({ passed: true, steps: ['list-nodes'] });
    // The node answers through its shell although the API server does not.
    expect(result.items['node:cp-1']).toMatchObject({ kind: 'node', passed: true, steps: ['start-etcd'] });
    expect(result.stdout).toMatch(/Preflight failed: cluster \(the cluster answers \/readyz\).*blocks list-nodes/);
    expect(result.stdout).toContain('etcd manifest restored');
    expect(result.stdout).toContain('✔ start-etcd succeeded');
    expect(result.stderr).toContain('PREFLIGHT_FAILED');
    expect(result.stderr).toContain('--override cluster=REASON');
  }, 120_000);

  it('runs every step with --override, recording the reason', async () => {
    await stopApiServer();
    const reason = 'the API server is down until etcd is back';
    const result = await drill([
      '--override',
      `cluster=${reason}`,
      '--override',
      'permission:list:nodes@=kubectl checks it again',
      '--override',
      'tool:kubectl=found anyway',
    ]);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain(`Preflight cluster overridden: ${reason}`);
    expect(result.stdout).toContain('Preflight tool:kubectl passed: --override tool:kubectl not needed');
    expect(result.items.cluster).toMatchObject({ passed: false, overriddenBecause: reason });
    expect(result.stdout).toContain('✔ list-nodes succeeded');
  }, 120_000);

  it('refuses an override of an item the run does not have, listing those it has', async () => {
    const { stateDir } = cluster();
    const result = await runDrill(
      stateDir,
      ['run', 'api-down', '--manifest', manifestFile, '--override', 'clustr=typo'],
      { PATH: `${toolPaths().binDir}:/usr/bin:/bin` },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--override clustr: the run has no such preflight item');
    expect(result.stderr).toContain('tool:kubectl (passed)');
    const empty = await runDrill(stateDir, ['run', 'api-down', '--override', 'cluster=']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('needs a reason');
  }, 60_000);
});
