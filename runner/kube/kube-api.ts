import type { KubeConfig } from '@kubernetes/client-node';
import { RunnerError } from '../errors.ts';
import { clientNode } from './client-node.ts';

export interface PinnedApi {
  config: KubeConfig;
  /** The namespace of the pinned context: where a block without namespace= looks. */
  namespace: string;
}

// The Kubernetes API as a step's own kubeconfig reaches it: the run's pinned cluster and nothing else.
export function loadPinnedApi(kubeconfigFile: string | undefined): PinnedApi {
  const config = new (clientNode().KubeConfig)();
  if (kubeconfigFile) config.loadFromFile(kubeconfigFile);
  const context = kubeconfigFile ? config.getContextObject(config.getCurrentContext()) : null;
  if (!context) {
    throw new RunnerError(
      'CONTEXT_INVALID',
      'this run is pinned to no cluster, so a Kubernetes block has nothing to reach',
    );
  }
  return { config, namespace: context.namespace || 'default' };
}

// An API failure in the operator's words: what was asked, and what the server said (never a value).
export function describeApiFailure(what: string, error: unknown): string {
  if (error instanceof clientNode().ApiException) {
    const status = (safeJson(error.body) as { message?: string } | null)?.message;
    if (error.code === 404) return `${what}: not found`;
    if (error.code === 403) return `${what}: forbidden${status ? ` (${status})` : ''}`;
    return `${what}: the API server answered ${error.code}${status ? ` (${status})` : ''}`;
  }
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return `${what}: ${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}`;
}

function safeJson(body: unknown): unknown {
  if (typeof body !== 'string') return body ?? null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}
