import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stateDirFrom } from '../../common/state-dir.ts';
import type { Manifest } from '../../protocol/index.ts';
import { RunRuntime } from '../runs/run-runtime.ts';
import { JournalRunStore } from '../store/journal-run-store.ts';
import { exportRecord, RECORD_FORMATS, type RecordFormat } from './export-formats.ts';
import { verifyRecordFile } from './verify-file.ts';

export const RECORD_USAGE = `Usage: npm run drill -- verify FILE(.json|.html|.pdf)
       npm run drill -- export RUN_ID --format md|json|html|pdf [--out FILE] [--state-dir DIR]`;

export interface RecordCommandIo {
  compile: (slug: string) => Promise<Manifest>;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

// `drill verify FILE`: 0 and "intact" with the journal head, or 1 and the first thing that differs.
export async function verifyCommand(args: string[], io: RecordCommandIo): Promise<number> {
  if (args.length !== 1) {
    io.err(`drill: give exactly one record file\n${RECORD_USAGE}\n`);
    return 2;
  }
  const verdict = await verifyRecordFile(args[0] as string);
  if (verdict.intact) {
    io.out(`intact: ${verdict.events} events, journal head sha256 ${verdict.head} (${verdict.format})\n`);
    return 0;
  }
  io.out(`NOT intact (${verdict.format}): ${verdict.where}: ${verdict.reason}\n`);
  return 1;
}

// `drill export RUN_ID --format …`: a recorded run's record, from its journal in the state folder.
export async function exportCommand(args: string[], io: RecordCommandIo): Promise<number> {
  let options: { runId: string; format: RecordFormat; out: string | null; stateDir: string };
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string' }, out: { type: 'string' }, 'state-dir': { type: 'string' } },
    });
    const format = RECORD_FORMATS.find((item) => item === (values.format ?? 'json'));
    if (positionals.length !== 1 || !format) throw new Error('give one run id and --format md|json|html|pdf');
    options = {
      runId: positionals[0] as string,
      format,
      out: values.out ?? null,
      stateDir: path.resolve(values['state-dir'] ?? stateDirFrom(io.env)),
    };
  } catch (error) {
    io.err(`drill: ${(error as Error).message}\n${RECORD_USAGE}\n`);
    return 2;
  }
  const store = new JournalRunStore(options.stateDir);
  try {
    const { records } = await store.load(options.runId);
    if (records.length === 0) {
      io.err(`drill: no run ${options.runId} in ${options.stateDir}\n`);
      return 1;
    }
    const runtime = new RunRuntime(store, records);
    const slug = runtime.state.runbook.slug;
    const runbook = (await io.compile(slug).catch(() => null))?.runbooks.find((item) => item.slug === slug);
    const exported = await exportRecord(options.format, runtime, runbook, store);
    const file = options.out ?? exported.fileName;
    await writeFile(file, exported.body, { mode: 0o600 });
    io.out(`Record written to ${file}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
