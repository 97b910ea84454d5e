import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent, RunEventRecord } from '../../../../protocol/index.ts';
import { findProcessesByMarker, liveGroupMembers } from '../../../../runner/execution/process-group.ts';
import { MARKER_VARIABLE, readProcess } from '../../../../runner/execution/process-table.ts';
import { recoverRuns } from '../../../../runner/runs/recover-runs.ts';
import type { RunService } from '../../../../runner/runs/run-service.ts';
import { JournalRunStore } from '../../../../runner/store/journal-run-store.ts';
import { tempDir } from '../../../helpers/run-script.ts';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  }
});

function isAlive(pid: number): boolean {
  const entry = readProcess(pid);
  return entry !== null && !entry.zombie;
}

// A process group of its own: bash, a child carrying the same environment and one that scrubbed it.
function startGroup(env: Record<string, string>): number {
  const child = spawn('bash', ['-c', 'env -i sleep 600 & sleep 600 & wait'], {
    env: { PATH: process.env.PATH, ...env },
    detached: true,
    stdio: 'ignore',
  });
  started.push(child);
  return child.pid as number;
}

async function groupMembers(pgid: number): Promise<number[]> {
  for (let tries = 0; tries < 100; tries++) {
    const members = liveGroupMembers(pgid);
    if (members.length === 3) return members;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`group ${pgid} did not start its three processes`);
}

// A run journal whose step was running, with its marker and the process group recorded, as a
// runner that died mid-step leaves it.
async function storeWithRunningStep(marker: string, pgid: number): Promise<JournalRunStore> {
  const dir = await tempDir();
  const store = new JournalRunStore(dir);
  const runId = 'run-recovered';
  const events: RunEvent[] = [
    {
      type: 'run-created',
      runbook: { slug: 'fixture', title: 'Fixture', contentHash: 'hash' },
      mode: 'live',
      operator: 'ana',
      params: {},
      workdir: dir,
      target: null,
    },
    {
      type: 'step-started',
      stepId: 'sleep-long',
      stepHash: 'h',
      attempt: 1,
      script: 'sleep 600',
      references: [],
      processMarker: marker,
      target: null,
    },
    { type: 'step-spawned', stepId: 'sleep-long', attempt: 1, pgid },
  ];
  await store.createRun(runId);
  await store.load(runId);
  for (const [index, event] of events.entries()) {
    const record: RunEventRecord = { seq: index + 1, at: new Date().toISOString(), runId, event };
    await store.append(record, { durable: true });
  }
  await store.close();
  return new JournalRunStore(dir);
}

const service = { adopt: () => undefined } as unknown as RunService;

describe('recovery after a restart', () => {
  it('leaves alone a process group that has the recorded id but not the marker', async () => {
    const stranger = startGroup({});
    const members = await groupMembers(stranger);
    const store = await storeWithRunningStep(`gone-${Date.now()}`, stranger);
    const report = await recoverRuns(store, service, 200);
    expect(report.interrupted).toEqual([{ runId: 'run-recovered', stepId: 'sleep-long' }]);
    expect(members.filter(isAlive)).toEqual(members);
  });

  it('ends the processes carrying the marker, and the rest of their group', async () => {
    const marker = `recovered-${Date.now()}`;
    const pgid = startGroup({ [MARKER_VARIABLE]: marker });
    const members = await groupMembers(pgid);
    expect(await findProcessesByMarker(marker)).toHaveLength(2);
    const store = await storeWithRunningStep(marker, pgid);
    await recoverRuns(store, service, 200);
    expect(members.filter(isAlive)).toEqual([]);
  });

  it('ends a member of the marked group that scrubbed its environment, when no group was recorded', async () => {
    const marker = `unrecorded-${Date.now()}`;
    const pgid = startGroup({ [MARKER_VARIABLE]: marker });
    const members = await groupMembers(pgid);
    const store = await storeWithRunningStep(marker, 999_999_999);
    await recoverRuns(store, service, 200);
    expect(members.filter(isAlive)).toEqual([]);
  });
});
