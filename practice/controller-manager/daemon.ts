import path from 'node:path';
import type { DaemonFiles, PracticeLayout } from '../layout.ts';
import { readRunningDaemon, startDaemon, stopDaemon } from '../process/daemon.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
const CONTROLLER_MANAGER_ENTRY = path.join(import.meta.dirname, 'main.ts');

export function controllerManagerFiles(layout: PracticeLayout): DaemonFiles {
  return {
    logFile: path.join(layout.runDir, 'controller-manager.log'),
    pidFile: path.join(layout.runDir, 'controller-manager.pid'),
  };
}

// Starts the controllers and the scheduler as one daemon that talks to the API server with the
// admin's client certificate, unless it is already running.
export async function startControllerManager(layout: PracticeLayout): Promise<void> {
  const files = controllerManagerFiles(layout);
  if (await readRunningDaemon(files.pidFile)) return;
  const [first] = layout.nodes;
  if (!first) throw new Error('the practice layout has no nodes');
  await startDaemon({
    file: process.execPath,
    args: [
      CONTROLLER_MANAGER_ENTRY,
      `--server=${layout.apiServer.url}`,
      `--ca-file=${first.files.caCert}`,
      `--cert-file=${layout.users.admin.cert}`,
      `--key-file=${layout.users.admin.key}`,
      `--state-dir=${layout.root}`,
    ],
    files,
    cwd: REPO_ROOT,
  });
}

// Ends the controller manager's process group on `practice down`.
export async function stopControllerManager(layout: PracticeLayout, graceMs: number): Promise<void> {
  await stopDaemon(controllerManagerFiles(layout).pidFile, graceMs);
}
