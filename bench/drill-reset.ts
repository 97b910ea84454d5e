import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileDrillSpec } from '../bin/compile-drill-spec.ts';
import { practiceDown, practiceUp } from '../practice/cluster/lifecycle.ts';
import { prepareDrill } from '../practice/drills/prepare-drill.ts';
import { loadFixture } from '../practice/fixtures/load-fixture.ts';
import { practiceLayout } from '../practice/layout.ts';

const TARGET_S = 15;
const DRILLS = (
  process.env.BENCH_DRILLS ?? 'kubeadm-deleted-workloads,deephaven-etcd-release-gone,deckhouse-deleted-workloads'
)
  .split(',')
  .filter(Boolean);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const parts = (run: { resetMs: number; fixtureMs: number; faultMs: number }) =>
  `reset ${seconds(run.resetMs)}, fixture ${seconds(run.fixtureMs)}, fault ${seconds(run.faultMs)}`;

// A drill's start as the page and `drill drill` do it (reset the practice cluster, load the
// fixture, inject the fault), from cold and once more on the running cluster (a repeated
// attempt), against a bare `practice up` with the same nodes and fixture in the same run.
export async function benchDrillReset(root: string): Promise<string> {
  const lines: string[] = [];
  for (const name of DRILLS) {
    const drill = await compileDrillSpec(root, name);
    const baseline = await inFreshStateDir(async (stateDir) => {
      const layout = practiceLayout(stateDir, drill.nodes);
      const started = performance.now();
      await practiceUp(layout, { env: process.env, timeoutMs: 60_000 });
      await loadFixture(layout, drill.fixture);
      return performance.now() - started;
    });
    const [cold, again] = await inFreshStateDir(async (stateDir) => {
      const first = await prepareDrill(stateDir, drill, path.join(stateDir, 'drill-1'), process.env);
      const second = await prepareDrill(stateDir, drill, path.join(stateDir, 'drill-2'), process.env);
      return [first, second];
    });
    const total = (run: typeof cold) => run.resetMs + run.fixtureMs + run.faultMs;
    const worst = Math.max(total(cold), total(again));
    lines.push(
      `${lines.length === 0 ? 'drills:   ' : '          '}${name} (${drill.nodes} node${drill.nodes === 1 ? '' : 's'}): reset + fault ${seconds(total(cold))} cold, ${seconds(total(again))} again (target ≤ ${TARGET_S} s) ${worst <= TARGET_S * 1000 ? 'ok' : 'MISSED'}`,
      `            cold: ${parts(cold)}; again: ${parts(again)}; vs practice up + ${drill.fixture} fixture ${seconds(baseline)}: ratio ${(total(again) / baseline).toFixed(2)}× again`,
    );
  }
  return lines.join('\n');
}

async function inFreshStateDir<T>(measure: (stateDir: string) => Promise<T>): Promise<T> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-bench-drill-'));
  try {
    return await measure(stateDir);
  } finally {
    await practiceDown(practiceLayout(stateDir)).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  }
}
