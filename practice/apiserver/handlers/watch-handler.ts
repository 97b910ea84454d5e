import { ApiStatusError, failureStatus } from '../errors.ts';
import { responseShape } from '../http/negotiate.ts';
import { withTypeMeta } from '../objects/object-service.ts';
import type { KubeObject } from '../resources/resource-type.ts';
import type { WatchEvent } from '../storage/etcd-storage.ts';
import { type IncludeObject, toTable } from '../table/to-table.ts';
import type { ApiContext, ResourceRequest } from './api-context.ts';
import { objectFilter } from './read-handlers.ts';

const BOOKMARK_INTERVAL_MS = 5000;
type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

// A watch as kube-apiserver streams it: one JSON event per line, starting after the given
// resourceVersion (or with the current objects as ADDED), bookmarks when asked, and a 410 Expired
// ERROR event when etcd has compacted the revision asked for.
export async function watchObjects(context: ApiContext, call: ResourceRequest): Promise<void> {
  const { scope, query, response } = call;
  const matches = objectFilter(call);
  const byName = scope.name;
  const visible = (object: KubeObject) => (byName === undefined || object.metadata.name === byName) && matches(object);
  const asTable = responseShape(call.request.headers.accept) === 'table';
  const include = (query.get('includeObject') as IncludeObject | null) ?? 'Metadata';
  let headersSent = false;
  let lastRevision = 0;

  const encode = (type: EventType, object: unknown) => {
    if (asTable && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      const table = toTable(scope.type, [object as KubeObject], {
        resourceVersion: (object as KubeObject).metadata.resourceVersion ?? '',
        include,
        headers: !headersSent,
      });
      headersSent = true;
      return `${JSON.stringify({ type, object: table })}\n`;
    }
    return `${JSON.stringify({ type, object })}\n`;
  };
  const send = (type: EventType, object: unknown) => {
    if (!response.writableEnded) response.write(encode(type, object));
  };
  const bookmark = (annotations?: Record<string, string>) =>
    send('BOOKMARK', {
      kind: scope.type.kind,
      apiVersion: scope.type.group ? `${scope.type.group}/${scope.type.version}` : scope.type.version,
      metadata: { resourceVersion: String(lastRevision), ...(annotations ? { annotations } : {}) },
    });

  const requested = query.get('resourceVersion') ?? '';
  const sendInitial = query.get('sendInitialEvents') === 'true' || requested === '' || requested === '0';
  let start: number;
  const initial: KubeObject[] = [];
  if (sendInitial) {
    const { items, revision } = await context.objects.list(scope);
    initial.push(...items.filter(visible));
    start = revision;
  } else {
    start = Number(requested);
    if (!Number.isInteger(start) || start < 0)
      throw new ApiStatusError('BadRequest', `invalid resource version: ${requested}`);
  }
  lastRevision = start;

  response.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'no-cache, private',
    'transfer-encoding': 'chunked',
  });
  response.flushHeaders();
  for (const object of initial) send('ADDED', object);
  if (query.get('sendInitialEvents') === 'true') bookmark({ 'k8s.io/initial-events-end': 'true' });

  const prefix = context.objects.storage.prefixFor(scope.type, scope.namespace);
  const onEvent = (event: WatchEvent) => {
    lastRevision = event.modRevision;
    const object = withTypeMeta(event.object, scope.type);
    if (event.type === 'delete') {
      if (visible(object)) send('DELETED', object);
      return;
    }
    if (visible(object)) send(event.created ? 'ADDED' : 'MODIFIED', object);
  };
  const onGone = async ({ compacted, error }: { compacted: boolean; error: Error }) => {
    const current = compacted ? await context.objects.storage.revision().catch(() => lastRevision) : 0;
    const status = compacted
      ? failureStatus('Expired', `too old resource version: ${requested} (${current})`, 410)
      : failureStatus('InternalError', `the watch ended: ${error.message}`, 500);
    send('ERROR', status);
    response.end();
  };
  const watch = await context.objects.storage.watch(prefix, start, onEvent, (ended) => void onGone(ended));
  const bookmarks =
    query.get('allowWatchBookmarks') === 'true' ? setInterval(() => bookmark(), BOOKMARK_INTERVAL_MS) : undefined;
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  const timeout = timeoutSeconds > 0 ? setTimeout(() => response.end(), timeoutSeconds * 1000) : undefined;
  await new Promise<void>((resolve) => {
    response.once('close', resolve);
    call.request.once('close', resolve);
  });
  clearInterval(bookmarks);
  clearTimeout(timeout);
  await watch.cancel().catch(() => undefined);
  if (!response.writableEnded) response.end();
}
