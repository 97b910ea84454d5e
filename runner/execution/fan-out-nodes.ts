import type { NodeTarget } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { clientNode } from '../kube/client-node.ts';
import { assertTargetName } from './resolve-target.ts';

// The nodes a fan-out step runs on, in order: its list value as written (names separated by
// spaces, commas or newlines, duplicates dropped), or the nodes its label selector matches
// through the run's pinned kubeconfig, sorted by name. Each must be a host name.
export async function listFanOutNodes(target: NodeTarget, kubeconfigFile: string, stepId: string): Promise<string[]> {
  const nodes =
    target.nodes !== undefined
      ? [...new Set(target.nodes.split(/[\s,]+/).filter((name) => name !== ''))]
      : await selectNodes(target.nodeSelector ?? '', kubeconfigFile);
  if (nodes.length === 0) {
    const what = target.nodes !== undefined ? 'its node list is empty' : `no node matches ${target.nodeSelector}`;
    throw new RunnerError('NO_NODES', `step "${stepId}" runs once per node, but ${what}`);
  }
  for (const node of nodes) assertTargetName('host', node, stepId);
  return nodes;
}

async function selectNodes(labelSelector: string, kubeconfigFile: string): Promise<string[]> {
  const config = new (clientNode().KubeConfig)();
  config.loadFromFile(kubeconfigFile);
  const list = await config
    .makeApiClient(clientNode().CoreV1Api)
    .listNode({ labelSelector })
    .catch((error: unknown) => {
      const reason = (error as { body?: { message?: string } }).body?.message ?? (error as Error).message;
      throw new RunnerError('NO_NODES', `could not list the nodes labelled ${labelSelector}: ${reason}`, {
        cause: error,
      });
    });
  return list.items
    .map((node) => node.metadata?.name ?? '')
    .filter((name) => name !== '')
    .sort();
}
