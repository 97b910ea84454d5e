import { randomBytes } from 'node:crypto';
import type { CoreV1Api, V1ObjectMeta, V1ObjectReference } from '@kubernetes/client-node';
import { formatTimestamp } from '../runtime/clock.ts';
import { compact } from './canonical-json.ts';

interface Involved {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata?: V1ObjectMeta | undefined;
}

export interface EventNote {
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
}

// What `kubectl describe` and `kubectl get events` show about a controller's decisions; a lost
// event is never worth failing a reconcile for.
export async function recordEvent(
  core: CoreV1Api,
  component: string,
  object: Involved,
  note: EventNote,
  now: Date,
): Promise<void> {
  const namespace = object.metadata?.namespace ?? 'default';
  const timestamp = formatTimestamp(now);
  await core
    .createNamespacedEvent({
      namespace,
      body: {
        metadata: { name: `${object.metadata?.name}.${randomBytes(8).toString('hex')}`, namespace },
        involvedObject: compact<V1ObjectReference>({
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata?.name,
          namespace,
          uid: object.metadata?.uid,
          resourceVersion: object.metadata?.resourceVersion,
        }),
        reason: note.reason,
        message: note.message,
        type: note.type ?? 'Normal',
        source: { component },
        reportingComponent: component,
        count: 1,
        firstTimestamp: timestamp as unknown as Date,
        lastTimestamp: timestamp as unknown as Date,
      },
    })
    .catch(() => undefined);
}
