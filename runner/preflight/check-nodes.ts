import type { RunbookSpec } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { resolveStepTarget } from '../execution/resolve-target.ts';
import type { StepExecutor } from '../execution/step-executor.ts';
import type { ClusterCheck } from './check-cluster.ts';
import type { PlannedItem } from './plan-preflight.ts';

const TIMEOUT_MS = 15_000;

// The nodes the runbook's node steps run on, as far as the run knows them when it starts: a
// literal host, or one from values already known (a param); a host that only a later capture
// gives, or a node selector, is checked when its step runs.
export function planNodeItems(
  runbook: RunbookSpec,
  lookup: (name: string) => string | undefined,
): { item: PlannedItem; host: string; user: string | undefined }[] {
  const hosts = new Map<string, { steps: string[]; user: string | undefined }>();
  for (const step of runbook.steps) {
    if (step.kind !== 'command' || step.target.kind !== 'node' || step.target.nodeSelector !== undefined) continue;
    const known = new Map(
      step.references.flatMap((name) => (lookup(name) === undefined ? [] : [[name, lookup(name) as string]])),
    );
    let target: ReturnType<typeof resolveStepTarget>;
    try {
      target = resolveStepTarget(step.target, known, step.id);
    } catch (error) {
      if (error instanceof RunnerError) continue;
      throw error;
    }
    if (target.kind !== 'node') continue;
    const names = target.host !== undefined ? [target.host] : (target.nodes ?? '').split(/[\s,]+/).filter(Boolean);
    for (const host of names) {
      const entry = hosts.get(host) ?? { steps: [], user: target.user };
      hosts.set(host, { ...entry, steps: [...entry.steps, step.id] });
    }
  }
  return [...hosts].map(([host, { steps, user }]) => ({
    host,
    user,
    item: { id: `node:${host}`, label: `node ${host} is reachable`, steps },
  }));
}

// Runs `true` on the node the way its steps will run (the practice node's shell, or ssh with the
// operator's keys and known_hosts, never prompting), so a missing key or unknown host key shows
// before the first step rather than in the middle of a restore.
export async function checkNodeReachable(
  executor: StepExecutor,
  host: string,
  request: { cwd: string; env: Record<string, string | undefined>; user?: string },
): Promise<ClusterCheck> {
  let stderr = '';
  const result = await executor
    .run({
      program: 'true',
      valuesPayload: new Uint8Array(),
      cwd: request.cwd,
      env: request.env,
      timeoutMs: TIMEOUT_MS,
      idleTimeoutMs: null,
      graceMs: 1000,
      remote: {
        target: request.user === undefined ? { kind: 'node', host } : { kind: 'node', host, user: request.user },
        rendered: { script: 'true', variables: [] },
        values: new Map(),
      },
      onOutput: (stream, chunk) => {
        if (stream === 'stderr') stderr += chunk.toString();
      },
    })
    .catch((error: unknown) => ({ exitCode: null, timedOut: false, spawnError: error as Error }));
  if (result.exitCode === 0) return { passed: true, detail: 'answered', fix: null };
  const said = stderr.trim().split('\n').at(-1) ?? '';
  const detail = result.timedOut
    ? `no answer within ${TIMEOUT_MS / 1000} s`
    : (result.spawnError?.message ?? (said || `exited with code ${result.exitCode}`));
  return {
    passed: false,
    detail,
    fix: `check that \`ssh ${host} true\` works from this machine without a prompt: the key loaded (agent or ~/.ssh), the host key in known_hosts, the host name resolving`,
  };
}
