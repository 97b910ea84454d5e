import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { startChartRepo, stopChartRepo } from '../chart-repo/chart-repo.ts';
import { chartRepoFiles } from '../chart-repo/repo-files.ts';
import { isApiServerReady, startApiServer, waitForApiServerReady } from '../control-plane/api-server.ts';
import { writeKubeconfigs } from '../control-plane/kubeconfig.ts';
import { controllerManagerFiles, startControllerManager, stopControllerManager } from '../controller-manager/daemon.ts';
import { inLeaderOrder, startEtcdMembers, waitForEtcdHealthy } from '../etcd/members.ts';
import { stopKubelet } from '../kubelet/kubelet-daemons.ts';
import { kubeletFiles } from '../kubelet/kubelet-paths.ts';
import { ensureKubeletFiles } from '../kubelet/kubelet-setup.ts';
import { ensureNodeAuthorization, waitForNodesRegistered } from '../kubelet/node-authorization.ts';
import { type PracticeLayout, practiceLayout } from '../layout.ts';
import { ensureClusterPki } from '../pki/cluster-pki.ts';
import { ensurePrerequisites } from '../prerequisites.ts';
import { readRunningDaemon, stopDaemon } from '../process/daemon.ts';
import { ensureTools } from '../tools/pinned-tools.ts';
import { type NodeCount, recordNodeCount } from './node-count.ts';

export interface UpOptions {
  /** Where DRILLBOOK_PRACTICE_APISERVER is read from. */
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface UpResult {
  alreadyUp: boolean;
  /** From the call to etcd answering healthy, and to /readyz answering 200. */
  etcdReadyMs: number;
  readyMs: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

// Starts whatever is not running and returns once the API server answers /readyz; a cluster that
// is already up and ready is left alone.
export async function practiceUp(layout: PracticeLayout, options: UpOptions): Promise<UpResult> {
  const started = performance.now();
  ensurePrerequisites();
  await recordNodeCount(layout.root, layout.nodes.length as NodeCount);
  if (await isPracticeUp(layout)) return { alreadyUp: true, etcdReadyMs: 0, readyMs: 0 };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await mkdir(layout.runDir, { recursive: true });
  await ensureClusterPki(layout);
  await writeKubeconfigs(layout);
  await ensureKubeletFiles(layout);
  const startEtcd = async () => {
    await startEtcdMembers(layout);
    await waitForEtcdHealthy(layout, timeoutMs);
    return performance.now() - started;
  };
  const [, etcdReadyMs] = await Promise.all([ensureTools(), startEtcd()]);
  await startApiServer(layout, options.env);
  await Promise.all([
    waitForApiServerReady(layout, timeoutMs)
      .then(() => Promise.all([ensureNodeAuthorization(layout), startControllerManager(layout)]))
      .then(() => waitForNodesRegistered(layout, timeoutMs)),
    startChartRepo(layout, timeoutMs),
  ]);
  return { alreadyUp: false, etcdReadyMs, readyMs: performance.now() - started };
}

export async function isPracticeUp(layout: PracticeLayout): Promise<boolean> {
  const daemons = [
    layout.apiServer.pidFile,
    chartRepoFiles(layout).pidFile,
    controllerManagerFiles(layout).pidFile,
    ...layout.nodes.map((node) => node.etcd.pidFile),
    ...layout.nodes.map((node) => kubeletFiles(layout, node).pidFile),
  ];
  const running = await Promise.all(daemons.map(readRunningDaemon));
  return running.every(Boolean) && (await isApiServerReady(layout));
}

// Stops the controller manager, the chart repository and the API server, then each node's kubelet,
// which stops the node's containers, etcd among them (the leader's node last); the data stays.
export async function practiceDown(layout: PracticeLayout): Promise<void> {
  await stopControllerManager(layout, STOP_GRACE_MS);
  await stopChartRepo(layout, STOP_GRACE_MS);
  await stopDaemon(layout.apiServer.pidFile, STOP_GRACE_MS);
  await inLeaderOrder(layout, (node) => stopKubelet(layout, node, STOP_GRACE_MS));
}

// Down (every node the cluster was made with), wipe everything (data, certificates, logs), and up
// again on a fresh cluster with the layout's nodes.
export async function practiceReset(layout: PracticeLayout, options: UpOptions): Promise<UpResult> {
  await practiceDown(practiceLayout(path.dirname(layout.root)));
  await rm(layout.root, { recursive: true, force: true });
  return practiceUp(layout, options);
}
