import { ApiException, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

// Merge patches (RFC 7386) for spec and status changes: the body says only what changes.
export const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

// A write whose target is already gone (404) or already there (409) needs no retry: the next
// reconcile sees the cluster as it is now.
export async function tolerateGoneOrExists<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    const code = statusCodeOf(error);
    if (code === 404 || code === 409) return undefined;
    throw error;
  }
}
