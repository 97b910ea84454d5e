import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportRecord, RunEvent, RunView } from '../../../../protocol/index.ts';
import { buildRecord } from '../../../../runner/export/build-record.ts';
import { JournalRunStore } from '../../../../runner/store/journal-run-store.ts';
import { tempDir } from '../../../helpers/run-script.ts';

export const RUN_ID = 'run-records-1';
const START = Date.parse('2026-01-02T03:04:05.000Z');

// A small finished run written through the real journal store: a param, a command step with
// coloured output and a capture, a secret, an override, a note, and an artifact in its folder.
const EVENTS: RunEvent[] = [
  {
    type: 'run-created',
    runbook: { slug: 'etcd-backup', title: 'Back up etcd', contentHash: 'c'.repeat(64) },
    mode: 'live',
    operator: 'ana',
    params: { namespace: { secret: false, value: 'storage' }, password: { secret: true } },
    workdir: '/tmp/x',
    target: {
      context: 'prod-eu',
      cluster: 'prod-eu',
      server: 'https://10.0.0.1:6443',
      caSha256: null,
      user: 'ana',
      namespace: 'storage',
      source: 'kubeconfig',
      environment: 'production',
    },
  },
  {
    type: 'preflight-checked',
    item: { id: 'tool:kubectl', kind: 'tool', label: 'kubectl', passed: true, detail: '1.34.1', fix: null, steps: [] },
  },
  {
    type: 'step-started',
    stepId: 'snapshot',
    stepHash: 'h1',
    attempt: 1,
    script: 'etcdctl snapshot save etcd-snapshot.db -n {{namespace}} --password {{password}}',
    references: ['namespace', 'password'],
    processMarker: 'm1',
    target: null,
  },
  { type: 'step-spawned', stepId: 'snapshot', attempt: 1, pgid: 123 },
  {
    type: 'output',
    stepId: 'snapshot',
    attempt: 1,
    stream: 'stdout',
    text: '\u001b[32mSnapshot saved\u001b[0m at etcd-snapshot.db\nrevision 42\n',
  },
  { type: 'captured', stepId: 'snapshot', name: 'revision', value: { secret: false, value: '42' } },
  {
    type: 'check-result',
    stepId: 'snapshot',
    attempt: 1,
    label: 'exit code is 0',
    passed: true,
    detail: 'exit code 0',
    node: null,
  },
  {
    type: 'step-finished',
    stepId: 'snapshot',
    attempt: 1,
    outcome: 'succeeded',
    exitCode: 0,
    signal: null,
    durationMs: 1500,
    timedOut: false,
    canceled: false,
    message: null,
  },
  {
    type: 'value-overridden',
    name: 'revision',
    value: { secret: false, value: '43' },
    reason: 'the operator knows better',
  },
  { type: 'step-skipped', stepId: 'verify', reason: 'not needed' },
  { type: 'note-added', text: 'all good <b>here</b>' },
  { type: 'run-ended', status: 'completed' },
];

export const VIEW_STEPS: RunView['steps'] = [
  {
    id: 'snapshot',
    kind: 'command',
    hash: 'h1',
    status: 'succeeded',
    attempt: 1,
    exitCode: 0,
    durationMs: 1500,
    message: null,
    checks: [],
    logFile: null,
    missing: [],
    blockedBy: [],
  },
  {
    id: 'verify',
    kind: 'command',
    hash: 'h2',
    status: 'skipped',
    attempt: 0,
    exitCode: null,
    durationMs: null,
    message: null,
    checks: [],
    logFile: null,
    missing: [],
    blockedBy: [],
  },
];

export async function writeFixtureRun(
  options: { mode?: 'live' | 'training' } = {},
): Promise<{ stateDir: string; store: JournalRunStore; record: ExportRecord }> {
  const stateDir = await tempDir('drillbook-record-');
  const store = new JournalRunStore(stateDir);
  const paths = await store.createRun(RUN_ID);
  const events = EVENTS.map((event) =>
    event.type === 'run-created' ? { ...event, mode: options.mode ?? 'live' } : event,
  );
  for (const [index, event] of events.entries()) {
    const at = new Date(START + index * 1000).toISOString();
    await store.append({ seq: index + 1, at, runId: RUN_ID, event }, { durable: true });
  }
  await writeFile(path.join(paths.workdir, 'etcd-snapshot.db'), 'snapshot bytes');
  await writeFile(path.join(paths.logDir, 'snapshot.1.log'), 'Snapshot saved\nrevision 42\n');
  const record = await buildRecord({
    lines: await store.readChain(RUN_ID),
    runbook: undefined,
    view: { steps: VIEW_STEPS } as RunView,
    workdir: paths.workdir,
    logDir: paths.logDir,
    exportedAt: '2026-01-02T04:00:00.000Z',
  });
  return { stateDir, store, record };
}
