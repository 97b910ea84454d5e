import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node';
import type { ContextSource, KubeTarget } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

/** A context resolved to its entries: what a run pins, and what its kubeconfig is built from. */
export interface ResolvedContext {
  identity: Omit<KubeTarget, 'environment'>;
  cluster: Cluster;
  user: User;
  namespace: string;
}

// Finds a context and the cluster and user it names, and fingerprints the CA, so a run can say
// where it points and notice when that changes.
export function resolveContext(config: KubeConfig, name: string, source: ContextSource): ResolvedContext {
  const context = config.getContextObject(name);
  if (!context) throw contextError(name, `there is no context "${name}" in the ${describeSource(source)}`);
  const cluster = config.getCluster(context.cluster);
  if (!cluster) throw contextError(name, `context "${name}" names cluster "${context.cluster}", which is not defined`);
  const user = config.getUser(context.user);
  if (!user) throw contextError(name, `context "${name}" names user "${context.user}", which is not defined`);
  const namespace = context.namespace || 'default';
  return {
    identity: {
      context: name,
      cluster: cluster.name,
      server: cluster.server,
      caSha256: fingerprintCa(cluster, name),
      user: user.name,
      namespace,
      source,
    },
    cluster,
    user,
    namespace,
  };
}

function fingerprintCa(cluster: Cluster, contextName: string): string | null {
  let bytes: Buffer;
  if (cluster.caData) bytes = Buffer.from(cluster.caData, 'base64');
  else if (cluster.caFile) {
    try {
      bytes = readFileSync(cluster.caFile);
    } catch (error) {
      throw contextError(contextName, `the CA file ${cluster.caFile} cannot be read`, error);
    }
  } else return null;
  return createHash('sha256').update(bytes).digest('hex');
}

function describeSource(source: ContextSource): string {
  return source === 'practice' ? "practice cluster's kubeconfig" : 'kubeconfig (KUBECONFIG or ~/.kube/config)';
}

export function contextError(context: string, message: string, cause?: unknown): RunnerError {
  return new RunnerError('CONTEXT_INVALID', message, { details: { context }, cause });
}
