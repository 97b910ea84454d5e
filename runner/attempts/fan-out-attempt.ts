import type { NodeTarget, StepOutcome } from '../../protocol/index.ts';
import type { AttemptContext } from './attempt-context.ts';
import { endOf } from './attempt-outcome.ts';
import { runPolls } from './attempt-poll.ts';
import type { AttemptRecorder } from './attempt-recorder.ts';
import { recordChecks } from './attempt-results.ts';

interface NodeEnd {
  node: string;
  outcome: StepOutcome;
  exitCode: number | null;
  message: string | null;
}

// One attempt of a step that runs once per node: node by node, in order, each with its own
// process, logs, checks and recorded end; it stops at the first node that fails unless the step
// says to go on (never after a cancel or a timeout). The step fails if any node failed.
export async function runOnEachNode(
  context: AttemptContext,
  nodes: readonly string[],
  recorder: AttemptRecorder,
  processMarker: string,
  started: number,
): Promise<void> {
  const target = context.step.target as NodeTarget;
  const ends: NodeEnd[] = [];
  let stopped: 'canceled' | 'timed-out' | null = null;
  let lastSignal: string | null = null;
  for (const [index, node] of nodes.entries()) {
    await recorder.nodeStarted(node, index + 1, nodes.length);
    const nodeStarted = performance.now();
    const host: NodeTarget =
      target.user === undefined ? { kind: 'node', host: node } : { kind: 'node', host: node, user: target.user };
    const step = { ...context.step, target: host };
    const nodeContext: AttemptContext = { ...context, step, node };
    const { result, output, rawTruncated, faults } = await runPolls(nodeContext, recorder, processMarker);
    const checkFailure = await recordChecks(nodeContext, output, rawTruncated, result, recorder);
    const end: NodeEnd = { node, ...endOf(result, faults, checkFailure) };
    ends.push(end);
    lastSignal = result.signal;
    await recorder.nodeFinished({ ...end, durationMs: Math.round(performance.now() - nodeStarted) });
    if (end.outcome === 'canceled' || end.outcome === 'timed-out') stopped = end.outcome;
    if (stopped || (end.outcome !== 'succeeded' && target.onNodeFailure !== 'continue')) break;
  }
  const failed = ends.filter((end) => end.outcome !== 'succeeded');
  const notReached = nodes.length - ends.length;
  await recorder.finished({
    outcome: stopped ?? (failed.length > 0 ? 'failed' : 'succeeded'),
    exitCode: failed.length > 0 ? (failed[0]?.exitCode ?? null) : 0,
    signal: failed.length > 0 ? lastSignal : null,
    durationMs: Math.round(performance.now() - started),
    timedOut: stopped === 'timed-out',
    canceled: stopped === 'canceled',
    message: summarize(failed, notReached, recorder.resultFault),
  });
}

function summarize(failed: NodeEnd[], notReached: number, lostResults: string | null): string | null {
  const parts = failed.map((end) => `on ${end.node}: ${end.message ?? end.outcome}`);
  if (notReached > 0) parts.push(`${notReached} node${notReached === 1 ? '' : 's'} not reached`);
  if (lostResults) parts.push(`the runner could not write the step's results: ${lostResults}`);
  return parts.length > 0 ? parts.join('; ') : null;
}
