import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { execa } from 'execa';
import { practiceDown, practiceUp } from '../../practice/cluster/lifecycle.ts';
import { type PracticeLayout, practiceLayout } from '../../practice/layout.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';

export interface ControllersCluster {
  layout: PracticeLayout;
  stateDir: string;
  /** The admin's client configuration, for what kubectl cannot do (a status subresource patch). */
  kubeConfig: KubeConfig;
  kubectl(args: string[], input?: string): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** kubectl … -o json, parsed. */
  getJson<T = Record<string, unknown>>(args: string[]): Promise<T>;
  down(): Promise<void>;
}

// A practice cluster (its controller manager, and a kubelet per node that runs the pods) and the
// pinned kubectl 1.32 pointed at it.
export async function startControllersCluster(prefix: string): Promise<ControllersCluster> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), `drillbook-${prefix}-`));
  const layout = practiceLayout(stateDir);
  await practiceUp(layout, { env: process.env });
  const kubectlPath = toolPaths().kubectl;
  const kubectl = async (args: string[], input?: string) => {
    const result = await execa(kubectlPath, args, {
      reject: false,
      ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: stateDir, KUBECONFIG: layout.kubeconfig },
      extendEnv: false,
    });
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  };
  return {
    layout,
    stateDir,
    kubeConfig: adminKubeConfig(layout),
    kubectl,
    async getJson<T>(args: string[]) {
      const result = await kubectl([...args, '-o', 'json']);
      if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    async down() {
      await practiceDown(layout);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

// Polls until check returns a value other than undefined, or fails with what it last saw.
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(150);
  }
}

function adminKubeConfig(layout: PracticeLayout): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'practice', server: layout.apiServer.url, caFile: layout.nodes[0]?.files.caCert }],
    users: [{ name: 'admin', certFile: layout.users.admin.cert, keyFile: layout.users.admin.key }],
    contexts: [{ name: 'practice', cluster: 'practice', user: 'admin' }],
    currentContext: 'practice',
  });
  return kubeConfig;
}
