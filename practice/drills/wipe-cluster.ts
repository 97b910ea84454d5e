import { rm } from 'node:fs/promises';
import path from 'node:path';
import { stopChartRepo } from '../chart-repo/chart-repo.ts';
import { practiceUp, type UpOptions, type UpResult } from '../cluster/lifecycle.ts';
import { stopControllerManager } from '../controller-manager/daemon.ts';
import { stopKubelet } from '../kubelet/kubelet-daemons.ts';
import { type PracticeLayout, practiceLayout } from '../layout.ts';
import { stopDaemon } from '../process/daemon.ts';

/** The data is wiped anyway: no need to wait long for a clean stop. */
const WIPE_GRACE_MS = 2000;

// `practice reset` for a drill, faster: every daemon of the old cluster (every node it was made
// with) is stopped at once rather than in leader order, as its data is deleted next; then a fresh
// cluster comes up with the drill's nodes.
export async function wipePracticeCluster(layout: PracticeLayout, options: UpOptions): Promise<UpResult> {
  const old = practiceLayout(path.dirname(layout.root));
  await Promise.all([
    stopControllerManager(old, WIPE_GRACE_MS),
    stopChartRepo(old, WIPE_GRACE_MS),
    stopDaemon(old.apiServer.pidFile, WIPE_GRACE_MS),
    ...old.nodes.map((node) => stopKubelet(old, node, WIPE_GRACE_MS)),
  ]);
  await rm(layout.root, { recursive: true, force: true });
  return practiceUp(layout, options);
}
