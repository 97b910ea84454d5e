import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { practiceDown, practiceUp } from '../../practice/cluster/lifecycle.ts';
import { type PracticeLayout, practiceLayout } from '../../practice/layout.ts';
import { readPidRecord } from '../../practice/process/daemon.ts';
import { readProcessStat } from '../../practice/process/process-table.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';

export interface PracticeCluster {
  stateDir: string;
  layout: PracticeLayout;
  kubectl(args: string[], input?: string): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  down(): Promise<void>;
}

// A practice cluster of its own for one test file, with the pinned kubectl pointed at it.
export async function startPracticeCluster(prefix: string): Promise<PracticeCluster> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const layout = practiceLayout(stateDir);
  const up = await practiceUp(layout, { env: process.env });
  console.log(`${prefix} practice up: ${(up.readyMs / 1000).toFixed(1)} s`);
  const kubectlBinary = toolPaths().kubectl;
  return {
    stateDir,
    layout,
    async kubectl(args, input) {
      const result = await execa(kubectlBinary, args, {
        env: { KUBECONFIG: layout.kubeconfig },
        reject: false,
        ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
      });
      return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
    },
    async down() {
      await practiceDown(layout);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

// Polls until check answers a value (not undefined), or fails with the last value seen.
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await delay(200);
  }
}

export function isAlive(pid: number): boolean {
  const stat = readProcessStat(pid);
  return stat !== null && stat.state !== 'Z';
}

export async function recordedPid(file: string): Promise<number | null> {
  return (await readPidRecord(file))?.pid ?? null;
}

export async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}

// The API server's credentials for a node's kubelet API (https://<node address>:10250).
export async function readKubeletTls(node: { root: string }): Promise<{ ca: Buffer; cert: Buffer; key: Buffer }> {
  const pki = path.join(node.root, 'etc/kubernetes/pki');
  return {
    ca: await readFile(path.join(pki, 'ca.crt')),
    cert: await readFile(path.join(pki, 'apiserver-kubelet-client.crt')),
    key: await readFile(path.join(pki, 'apiserver-kubelet-client.key')),
  };
}
