import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { parse } from 'yaml';

export const CONFIG_HASH = 'kubernetes.io/config.hash';
export const CONFIG_MIRROR = 'kubernetes.io/config.mirror';
export const CONFIG_SOURCE = 'kubernetes.io/config.source';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';

// The pods a node's manifest folder describes, named and annotated as kubelet names static pods
// (<name>-<node>, config.hash = the uid, which changes whenever the manifest does). Files that do
// not parse as a Pod are skipped and reported, as kubelet logs and skips them.
export async function readStaticPods(manifestsDir: string, nodeName: string): Promise<V1Pod[]> {
  const names = await readdir(manifestsDir).catch(() => [] as string[]);
  const pods: V1Pod[] = [];
  for (const name of names.filter((item) => !item.startsWith('.')).sort()) {
    const file = path.join(manifestsDir, name);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      pods.push(toStaticPod(parse(text) as V1Pod, text, nodeName));
    } catch (error) {
      console.error(`static pod ${file}: ${(error as Error).message}`);
    }
  }
  return pods;
}

function toStaticPod(manifest: V1Pod, text: string, nodeName: string): V1Pod {
  if (manifest?.kind !== 'Pod' || !manifest.metadata?.name || !manifest.spec?.containers?.length) {
    throw new Error('not a Pod manifest with a name and containers');
  }
  const uid = createHash('md5').update(nodeName).update(text).digest('hex');
  const metadata = manifest.metadata;
  return {
    ...manifest,
    apiVersion: 'v1',
    metadata: {
      ...metadata,
      name: `${metadata.name}-${nodeName}`,
      namespace: metadata.namespace ?? 'default',
      uid,
      annotations: {
        ...metadata.annotations,
        [CONFIG_HASH]: uid,
        [CONFIG_SEEN]: new Date().toISOString(),
        [CONFIG_SOURCE]: 'file',
      },
    },
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      ...manifest.spec,
      nodeName,
      tolerations: [...(manifest.spec.tolerations ?? []), { operator: 'Exists', effect: 'NoExecute' }],
    },
  };
}

// Polls the manifest folder (a node shell's mv lands in it through an overlay, which inotify does
// not always see) and calls onPods whenever the set of manifests or their contents change.
export function watchStaticPods(
  manifestsDir: string,
  nodeName: string,
  onPods: (pods: V1Pod[]) => void,
  intervalMs = 300,
): () => void {
  let last = '';
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      const pods = await readStaticPods(manifestsDir, nodeName);
      const fingerprint = pods.map((pod) => pod.metadata?.uid).join(',');
      if (fingerprint !== last) {
        last = fingerprint;
        onPods(pods);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  };
  void poll();
  return () => {
    stopped = true;
  };
}
