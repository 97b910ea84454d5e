import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RunnerHandle } from '../test/helpers/runner-process.ts';
import { createRun, runStep, time, verdict } from './measure.ts';
import { RunEvents, stepFinished } from './run-events.ts';

const MAX_BYTES = 5 * 1024 * 1024;
const MAX_SECONDS = 5;

// The HTML incident record of a run that printed many megabytes: outputs capped in the file, the
// full log named with its sha256. Held against hashing that log once, which any record must do.
export async function benchExportRecord(
  runner: RunnerHandle,
  megabytes: number,
  secrets: Record<string, string>,
): Promise<string> {
  const runId = await createRun(runner, { bytes: String(megabytes * 1024 * 1024), ...secrets });
  const events = new RunEvents(runner, runId, () => undefined);
  try {
    const done = events.waitFor(stepFinished('stream'));
    await runStep(runner, runId, 'stream');
    await done;
  } finally {
    events.close();
  }
  const log = path.join(runner.stateDir, 'runs', runId, 'logs', 'stream.1.log');
  const hashing = await time(() => pipeline(createReadStream(log), createHash('sha256')));
  const exported = await time(() => runner.api('GET', `/api/runs/${runId}/export.html`));
  if (exported.value.status !== 200) throw new Error(exported.value.body);
  const bytes = Buffer.byteLength(exported.value.body);
  const ratio = exported.seconds / hashing.seconds;
  return [
    `export:    HTML record of a run with ${megabytes} MB of output: ${(bytes / 1024 / 1024).toFixed(2)} MB (target < 5 MB) ${verdict(bytes < MAX_BYTES)}`,
    `          in ${exported.seconds.toFixed(2)} s (target < ${MAX_SECONDS} s) ${verdict(exported.seconds < MAX_SECONDS)}, ${ratio.toFixed(1)}× hashing its full log once (${hashing.seconds.toFixed(2)} s)`,
  ].join('\n');
}
