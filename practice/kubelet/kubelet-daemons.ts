import path from 'node:path';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import { createNodeNetwork, namespacePath, removeNodeNetwork } from '../network/node-network.ts';
import { readRunningDaemon, startDaemon, stopDaemon } from '../process/daemon.ts';
import { kubeletFiles } from './kubelet-paths.ts';
import { sweepContainerRecords } from './runtime/container-process.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const KUBELET_ENTRY = path.join(REPO_ROOT, 'practice', 'kubelet', 'main.ts');

// Starts each node's kubelet that is not running, in a fresh network of the node's own (whatever a
// crashed kubelet left is ended first); it starts the node's static pods by itself.
export async function startKubelets(layout: PracticeLayout): Promise<void> {
  await Promise.all(
    layout.nodes.map(async (node) => {
      const files = kubeletFiles(layout, node);
      if (await readRunningDaemon(files.pidFile)) return;
      await sweepContainerRecords(files.containersDir);
      await createNodeNetwork(layout, node);
      await startDaemon({
        file: 'nsenter',
        args: [
          `--net=${namespacePath(node)}`,
          '--',
          process.execPath,
          KUBELET_ENTRY,
          `--state-dir=${path.dirname(layout.root)}`,
          `--hostname-override=${node.name}`,
        ],
        files,
        cwd: REPO_ROOT,
      });
    }),
  );
}

// Stops a node's kubelet, which stops its containers first; any container a crashed kubelet left
// behind is ended by its pid record. Then the node's network goes.
export async function stopKubelet(layout: PracticeLayout, node: NodeLayout, graceMs: number): Promise<void> {
  const files = kubeletFiles(layout, node);
  await stopDaemon(files.pidFile, graceMs);
  await sweepContainerRecords(files.containersDir);
  await removeNodeNetwork(node);
}

export async function isKubeletRunning(layout: PracticeLayout, node: NodeLayout): Promise<boolean> {
  return (await readRunningDaemon(kubeletFiles(layout, node).pidFile)) !== null;
}
