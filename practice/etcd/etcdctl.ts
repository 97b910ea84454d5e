import { execa } from 'execa';
import { z } from 'zod';
import type { NodeLayout, PracticeLayout } from '../layout.ts';

export const ETCDCTL_BINARY = '/usr/bin/etcdctl';

export interface EtcdctlResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// etcdctl with a node's healthcheck-client certificate, as an operator on that node would run it.
// ETCDCTL_* from our own environment are dropped: etcdctl 3.4 exits when a setting comes both from
// the environment and a flag.
export async function runEtcdctl(node: NodeLayout, endpoints: string[], args: string[]): Promise<EtcdctlResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ETCDCTL_')));
  const result = await execa(
    ETCDCTL_BINARY,
    [
      `--endpoints=${endpoints.join(',')}`,
      `--cacert=${node.files.etcdCaCert}`,
      `--cert=${node.files.etcdHealthcheckClientCert}`,
      `--key=${node.files.etcdHealthcheckClientKey}`,
      '--dial-timeout=2s',
      '--command-timeout=5s',
      ...args,
    ],
    { env: { ...env, ETCDCTL_API: '3' }, extendEnv: false, reject: false, stdin: 'ignore' },
  );
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}

const EndpointStatusSchema = z.array(
  z.object({
    Endpoint: z.string(),
    Status: z.object({
      header: z.object({ member_id: z.union([z.number(), z.string()]) }),
      leader: z.union([z.number(), z.string()]),
      dbSize: z.number(),
      version: z.string(),
    }),
  }),
);

export interface MemberStatus {
  name: string;
  endpoint: string;
  healthy: boolean;
  leader: boolean;
  dbSizeBytes: number | null;
  version: string | null;
  error: string | null;
}

// Each member's health, role and database size. A member that does not answer is listed with the
// reason; this never throws for an unhealthy cluster.
export async function readMemberStatuses(layout: PracticeLayout): Promise<MemberStatus[]> {
  const [first] = layout.nodes;
  if (!first) return [];
  return Promise.all(
    layout.nodes.map(async (node) => {
      const result = await runEtcdctl(first, [node.etcd.clientUrl], ['endpoint', 'status', '-w', 'json']);
      const base = { name: node.name, endpoint: node.etcd.clientUrl };
      const parsed = result.exitCode === 0 ? EndpointStatusSchema.safeParse(safeJson(result.stdout)) : null;
      const status = parsed?.success ? parsed.data[0]?.Status : undefined;
      if (!status) {
        const error = lastLine(result.stderr) || 'no answer';
        return { ...base, healthy: false, leader: false, dbSizeBytes: null, version: null, error };
      }
      const leader = String(status.leader) === String(status.header.member_id);
      return { ...base, healthy: true, leader, dbSizeBytes: status.dbSize, version: status.version, error: null };
    }),
  );
}

/** The parsed JSON of an etcdctl answer, or null when it printed none. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** What a failed etcdctl says last: the reason. */
export function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
