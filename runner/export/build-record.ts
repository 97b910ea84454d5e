import {
  EXPORT_SCHEMA_VERSION,
  type ExportRecord,
  type RunbookSpec,
  type RunEventRecord,
  RunEventRecordSchema,
  type RunView,
} from '../../protocol/index.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';
import { viewRun } from '../runs/run-view.ts';
import type { ChainedLine, RunStore } from '../store/run-store.ts';
import { computeTraineeReport } from '../training/trainee-report.ts';
import { deriveJournalFacts } from './derive-record.ts';
import { embedChain, GENESIS } from './record-chain.ts';
import { digestFolder } from './record-files.ts';

export interface RecordSources {
  lines: ChainedLine[];
  runbook: RunbookSpec | undefined;
  view: RunView;
  workdir: string;
  logDir: string;
  exportedAt?: string;
}

// A run as an incident record: the journal with its hash chain, what follows from it, the steps of
// the runbook version the run followed, and the files the run left with their hashes.
export async function buildRecord(sources: RecordSources): Promise<ExportRecord> {
  const events = embedChain(sources.lines) as ExportRecord['events'];
  const records = events.map((event) => RunEventRecordSchema.parse(event.record) as RunEventRecord);
  const facts = deriveJournalFacts(records);
  const steps = sources.view.steps.map((step) => ({
    id: step.id,
    title: sources.runbook?.steps.find((spec) => spec.id === step.id)?.title ?? step.id,
    kind: step.kind,
    hash: step.hash,
    status: step.status,
  }));
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: sources.exportedAt ?? new Date().toISOString(),
    ...facts,
    steps,
    artifacts: await digestFolder(sources.workdir),
    logs: await digestFolder(sources.logDir),
    chain: {
      algorithm: 'sha256',
      genesis: GENESIS,
      head: sources.lines.at(-1)?.hash ?? GENESIS,
      length: sources.lines.length,
    },
    trainee: facts.summary.mode === 'training' ? computeTraineeReport(records, { steps }) : null,
    events,
  };
}

// The record of a run the runner holds, read from its journal on disk.
export async function recordRun(runtime: RunRuntime, runbook: RunbookSpec | undefined, store: RunStore) {
  const paths = store.pathsOf(runtime.id);
  return buildRecord({
    lines: await store.readChain(runtime.id),
    runbook,
    view: viewRun(runtime, runbook),
    workdir: paths.workdir,
    logDir: paths.logDir,
  });
}
