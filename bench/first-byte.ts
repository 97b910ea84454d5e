import type { RunnerHandle } from '../test/helpers/runner-process.ts';
import { createRun, percentile, runStep, verdict } from './measure.ts';
import { RunEvents, stepFinished } from './run-events.ts';

const TARGET_P95_MS = 50;
const LINE = /^line \d+ (\d+[.,]\d+)$/;

// The `lines` step prints 200 lines, 10 ms apart, each stamped with bash's $EPOCHREALTIME; the
// latency of a line is from that stamp to its arrival at an event stream client. The run knows
// secrets, so the masker's hold-back is part of the path measured.
export async function benchFirstByte(runner: RunnerHandle, secrets: Record<string, string>): Promise<string> {
  const runId = await createRun(runner, secrets);
  const latencies: number[] = [];
  const events = new RunEvents(runner, runId, ({ event }, arrivedAt) => {
    if (event.type !== 'output' || event.stream !== 'stdout') return;
    const receivedMs = performance.timeOrigin + arrivedAt;
    for (const line of event.text.split('\n')) {
      const stamp = LINE.exec(line)?.[1];
      if (stamp) latencies.push(receivedMs - Number(stamp.replace(',', '.')) * 1000);
    }
  });
  try {
    const done = events.waitFor(stepFinished('lines'));
    await runStep(runner, runId, 'lines');
    await done;
  } finally {
    events.close();
  }
  const sorted = latencies.sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  const p95 = percentile(sorted, 0.95);
  return [
    `first byte: ${sorted.length} lines from a step's echo to an event stream client`,
    `          p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms (target p95 ≤ ${TARGET_P95_MS} ms) ${verdict(p95 <= TARGET_P95_MS)}`,
  ].join('\n');
}
