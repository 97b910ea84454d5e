import type { PermissionRequirement } from '../../protocol/index.ts';
import { clientNode } from '../kube/client-node.ts';
import { describeApiFailure, type PinnedApi } from '../kube/kube-api.ts';

export interface ClusterCheck {
  passed: boolean;
  detail: string;
  fix: string | null;
}

const TIMEOUT_MS = 5000;

// Whether the pinned cluster's API server answers /readyz.
export async function checkClusterReady(api: PinnedApi, server: string): Promise<ClusterCheck> {
  try {
    const ready = await withTimeout(new (clientNode().Health)(api.config).readyz({}), TIMEOUT_MS);
    return ready
      ? { passed: true, detail: `${server}/readyz answered ok`, fix: null }
      : {
          passed: false,
          detail: `${server}/readyz says not ready`,
          fix: 'wait for the API server to be ready, or check its health',
        };
  } catch (error) {
    return {
      passed: false,
      detail: describeApiFailure(`${server}/readyz`, error),
      fix: 'check that the cluster is up and reachable from this machine (VPN, proxy, firewall)',
    };
  }
}

// Asks the API server whether the run's user may do what the runbook declares.
export async function checkPermission(api: PinnedApi, permission: PermissionRequirement): Promise<ClusterCheck> {
  const namespace = permission.namespace ?? api.namespace;
  try {
    const review = await withTimeout(
      api.config.makeApiClient(clientNode().AuthorizationV1Api).createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              verb: permission.verb,
              resource: permission.resource,
              ...(permission.subresource ? { subresource: permission.subresource } : {}),
              group: permission.group ?? '',
              namespace,
            },
          },
        },
      }),
      TIMEOUT_MS,
    );
    if (review.status?.allowed) return { passed: true, detail: 'allowed', fix: null };
    const reason = review.status?.reason ? ` (${review.status.reason})` : '';
    return {
      passed: false,
      detail: `forbidden${reason}`,
      fix: `ask for a role that may ${permission.verb} ${permission.resource} in ${namespace}, or use a context whose user may`,
    };
  } catch (error) {
    return {
      passed: false,
      detail: describeApiFailure('the access review', error),
      fix: 'check that the cluster is reachable',
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
