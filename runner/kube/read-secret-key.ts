import { clientNode } from './client-node.ts';
import type { PinnedApi } from './kube-api.ts';
import { describeApiFailure } from './kube-api.ts';

export type SecretKeyOutcome = { kind: 'value'; value: string } | { kind: 'failed'; message: string };

// Reads one key of a Secret and decodes it, in memory only: the value goes to the caller and
// nowhere else. Failures name the Secret and key, never a value.
export async function readSecretKey(
  api: PinnedApi,
  target: { namespace: string; name: string; key: string },
): Promise<SecretKeyOutcome> {
  const where = `Secret ${target.namespace}/${target.name}`;
  let data: Record<string, string> | undefined;
  try {
    const secret = await api.config.makeApiClient(clientNode().CoreV1Api).readNamespacedSecret({
      name: target.name,
      namespace: target.namespace,
    });
    data = secret.data;
  } catch (error) {
    return { kind: 'failed', message: describeApiFailure(`reading ${where}`, error) };
  }
  const encoded = data?.[target.key];
  if (encoded === undefined) {
    const keys = Object.keys(data ?? {});
    return {
      kind: 'failed',
      message: `${where} has no key "${target.key}"${keys.length > 0 ? ` (it has ${keys.join(', ')})` : ' (it is empty)'}`,
    };
  }
  const value = Buffer.from(encoded, 'base64').toString('utf8');
  if (value.includes('\0')) return { kind: 'failed', message: `${where} key "${target.key}" holds a NUL byte` };
  return { kind: 'value', value };
}
