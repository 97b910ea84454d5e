import { z } from 'zod';
import { lastLine, runEtcdctl, safeJson } from '../etcd/etcdctl.ts';
import type { PracticeLayout } from '../layout.ts';

const EndpointHealthSchema = z.array(
  z.object({ endpoint: z.string(), health: z.boolean(), error: z.string().optional() }),
);

export interface MemberHealth {
  name: string;
  healthy: boolean;
  error: string | null;
}

// Each member as `etcdctl endpoint health` sees it: a read through the member that needs a
// quorum, so a member left alone after the others lost their data is not healthy (whereas
// `endpoint status` would still answer).
export async function readMemberHealth(layout: PracticeLayout): Promise<MemberHealth[]> {
  const [first] = layout.nodes;
  if (!first) return [];
  return Promise.all(
    layout.nodes.map(async (node) => {
      const result = await runEtcdctl(first, [node.etcd.clientUrl], ['endpoint', 'health', '-w', 'json']);
      const parsed = EndpointHealthSchema.safeParse(safeJson(result.stdout));
      const answer = parsed.success ? parsed.data[0] : undefined;
      if (answer?.health === true) return { name: node.name, healthy: true, error: null };
      const error = answer?.error ?? lastLine(result.stderr) ?? 'no answer';
      return { name: node.name, healthy: false, error: error || 'no answer' };
    }),
  );
}
