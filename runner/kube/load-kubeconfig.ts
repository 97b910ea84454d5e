import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { clientNode } from './client-node.ts';

export interface LoadedKubeConfig {
  config: KubeConfig;
  /** Files that could not be read, each with why. */
  problems: string[];
}

// The operator's kubeconfig as kubectl sees it: KUBECONFIG lists files (missing ones are
// skipped), the first file that names a cluster, user or context wins, and so does the first
// current-context; without KUBECONFIG, ~/.kube/config. Relative file paths resolve against the
// file that holds them.
export function loadOperatorKubeConfig(env: Record<string, string | undefined>): LoadedKubeConfig {
  const home = env.HOME ?? os.homedir();
  const files = env.KUBECONFIG
    ? env.KUBECONFIG.split(path.delimiter).filter((file) => file !== '')
    : [path.join(home, '.kube', 'config')];
  return mergeKubeConfigFiles(files.filter((file) => existsSync(file)));
}

// Reads and merges kubeconfig files with kubectl's first-wins rule (client-node's own merge
// refuses duplicate names instead).
export function mergeKubeConfigFiles(files: string[]): LoadedKubeConfig {
  const merged = new (clientNode().KubeConfig)();
  merged.clusters = [];
  merged.users = [];
  merged.contexts = [];
  merged.currentContext = '';
  const problems: string[] = [];
  for (const file of files) {
    const one = new (clientNode().KubeConfig)();
    try {
      one.loadFromFile(file, { onInvalidEntry: 'filter' });
    } catch (error) {
      problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const known = (list: { name: string }[], name: string) => list.some((entry) => entry.name === name);
    merged.clusters.push(...one.clusters.filter((entry) => !known(merged.clusters, entry.name)));
    merged.users.push(...one.users.filter((entry) => !known(merged.users, entry.name)));
    merged.contexts.push(...one.contexts.filter((entry) => !known(merged.contexts, entry.name)));
    if (!merged.currentContext && one.currentContext) merged.currentContext = one.currentContext;
  }
  return { config: merged, problems };
}
