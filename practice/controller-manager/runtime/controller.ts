import type { ClusterClient } from '../client/cluster-client.ts';
import type { Clock } from './clock.ts';

// A watched collection, as its list path: `/api/v1/pods`, `/apis/apps/v1/replicasets`.
export type WatchedResource =
  | '/api/v1/pods'
  | '/api/v1/nodes'
  | '/api/v1/services'
  | '/api/v1/persistentvolumes'
  | '/api/v1/persistentvolumeclaims'
  | '/apis/apps/v1/replicasets'
  | '/apis/apps/v1/deployments'
  | '/apis/apps/v1/statefulsets'
  | '/apis/apps/v1/daemonsets'
  | '/apis/batch/v1/jobs'
  | '/apis/batch/v1/cronjobs'
  | '/apis/storage.k8s.io/v1/storageclasses';

export interface ControllerContext {
  client: ClusterClient;
  clock: Clock;
  log: (message: string, error?: unknown) => void;
  /** The practice cluster's root folder (<state-dir>/practice): provisioned volumes live under it. */
  practiceRoot: string;
}

// One controller: it reconciles the whole cluster's share of its kind (level-triggered), after any
// change to what it watches and every resyncMs anyway.
export interface Controller {
  name: string;
  watches: WatchedResource[];
  resyncMs: number;
  reconcile(): Promise<void>;
}
