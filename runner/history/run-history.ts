import type { RunDrift, RunHistory, RunHistoryEntry } from '../../protocol/index.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';
import type { RunService } from '../runs/run-service.ts';
import type { RunStore } from '../store/run-store.ts';
import { compareRunbookVersions, knownStepsOf } from './runbook-drift.ts';

// Every run the runner knows, newest first, as the runs page lists and filters them.
export async function listRunHistory(service: RunService, store: RunStore): Promise<RunHistory> {
  const runs: RunHistoryEntry[] = [];
  for (const runtime of service.list()) runs.push(await describeRun(runtime, service, store));
  runs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return { runs };
}

// How the runbook changed since a run was created; nothing when its content hash is the same.
export async function driftOfRun(runtime: RunRuntime, service: RunService, store: RunStore): Promise<RunDrift> {
  const { contentHash, slug } = runtime.state.runbook;
  const current = service.manifest.findRunbook(slug);
  const saved = await store.readRunbookVersion(runtime.id);
  const basis = saved ? 'runbook' : 'journal';
  if (current?.contentHash === contentHash) return { runbookChanged: false, basis, steps: [] };
  return compareRunbookVersions(contentHash, { steps: knownStepsOf(saved, runtime.records), basis }, current);
}

async function describeRun(runtime: RunRuntime, service: RunService, store: RunStore): Promise<RunHistoryEntry> {
  const { state } = runtime;
  const last = runtime.records.at(-1)?.at ?? state.createdAt;
  const statuses = [...state.steps.values()].map((step) => step.status);
  const total = service.manifest.findRunbook(state.runbook.slug)?.steps.length ?? statuses.length;
  return {
    id: state.id,
    runbook: state.runbook,
    operator: state.operator,
    mode: state.mode,
    status: state.status,
    environment: state.target?.environment ?? null,
    context: state.target?.context ?? null,
    createdAt: state.createdAt,
    endedAt: state.endedAt,
    durationMs: Math.max(0, Date.parse(state.endedAt ?? last) - Date.parse(state.createdAt)),
    steps: {
      done: statuses.filter((status) => status !== 'pending' && status !== 'running').length,
      failed: statuses.filter((status) => ['failed', 'timed-out', 'canceled', 'interrupted'].includes(status)).length,
      interrupted: statuses.filter((status) => status === 'interrupted').length,
      total,
    },
    drift: await driftOfRun(runtime, service, store),
  };
}
