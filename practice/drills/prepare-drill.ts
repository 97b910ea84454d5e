import { mkdir } from 'node:fs/promises';
import type { DrillSpec } from '../../protocol/index.ts';
import { injectFault } from '../faults/inject-fault.ts';
import { fixtureContext } from '../fixtures/fixture-context.ts';
import { loadFixture } from '../fixtures/load-fixture.ts';
import { type PracticeLayout, practiceLayout } from '../layout.ts';
import { wipePracticeCluster } from './wipe-cluster.ts';

export interface PreparedDrill {
  layout: PracticeLayout;
  resetMs: number;
  fixtureMs: number;
  faultMs: number;
}

// A drill's starting point: a fresh practice cluster with the drill's nodes, its fixture loaded,
// then its fault injected. Files the trainee gets (a snapshot, a chart) land in drillDir.
export async function prepareDrill(
  stateDir: string,
  drill: Pick<DrillSpec, 'fixture' | 'nodes' | 'fault'>,
  drillDir: string,
  env: NodeJS.ProcessEnv,
): Promise<PreparedDrill> {
  const layout = practiceLayout(stateDir, drill.nodes);
  let started = performance.now();
  await wipePracticeCluster(layout, { env, timeoutMs: 60_000 });
  const resetMs = performance.now() - started;
  started = performance.now();
  await loadFixture(layout, drill.fixture);
  const fixtureMs = performance.now() - started;
  started = performance.now();
  await mkdir(drillDir, { recursive: true });
  await injectFault(await fixtureContext(layout), drill.fault, drillDir);
  return { layout, resetMs, fixtureMs, faultMs: performance.now() - started };
}
