import path from 'node:path';
import type { RecordedValue, RunbookSpec, RunEventRecord } from '../../protocol/index.ts';
import { escapeTerminalControls } from '../export/terminal-safe.ts';

export interface ProgressSink {
  out: (text: string) => void;
  err: (text: string) => void;
}

const shown = (value: RecordedValue) => (value.secret ? '•••••• (secret)' : value.value);

// Turns the run's events into terminal lines as they are recorded: the same masked events the
// page's event stream carries. Step output is printed as it streams, control sequences made visible.
export function printProgress(
  runbook: RunbookSpec,
  logDir: string,
  sink: ProgressSink,
): (record: RunEventRecord) => void {
  const position = new Map(runbook.steps.map((step, index) => [step.id, `[${index + 1}/${runbook.steps.length}]`]));
  const titles = new Map(runbook.steps.map((step) => [step.id, step.title]));
  let lineOpen = false;
  const line = (text: string) => {
    sink.out(`${lineOpen ? '\n' : ''}${text}\n`);
    lineOpen = false;
  };
  return ({ event }) => {
    switch (event.type) {
      case 'step-started':
        return line(`▶ ${position.get(event.stepId)} ${titles.get(event.stepId)} (${event.stepId})`);
      case 'output': {
        const text = escapeTerminalControls(event.text);
        (event.stream === 'stderr' ? sink.err : sink.out)(text);
        lineOpen = !text.endsWith('\n');
        return;
      }
      case 'output-truncated':
        line(`  … output cut after ${event.shownBytes} bytes; the whole log: ${path.join(logDir, event.logFile)}`);
        if (event.tail.trim() === '') return;
        return line(`  … it ended with:\n${escapeTerminalControls(event.tail)}`);
      case 'captured':
        return line(`  captured {{${event.name}}} = ${shown(event.value)}`);
      case 'capture-candidates':
        return line(`  {{${event.name}}} has ${event.candidates.length} candidates: ${event.candidates.join(', ')}`);
      case 'capture-failed':
        return line(`  capture {{${event.name}}} failed: ${event.message}`);
      case 'check-result':
        return line(
          `  check ${event.passed ? 'passed' : 'FAILED'}: ${event.label}${event.node ? ` on ${event.node}` : ''}${event.detail ? ` (${event.detail})` : ''}`,
        );
      case 'node-started':
        return line(`  ── on node ${event.node} (${event.index} of ${event.total})`);
      case 'node-finished':
        return line(
          `  ${event.outcome === 'succeeded' ? '✔' : '✘'} ${event.node} ${event.outcome}` +
            (event.message ? `: ${event.message}` : ''),
        );
      case 'wait-retry':
        return line(`  waiting: poll ${event.poll}`);
      case 'step-finished':
        return line(
          `${event.outcome === 'succeeded' ? '✔' : '✘'} ${event.stepId} ${event.outcome} in ${(event.durationMs / 1000).toFixed(1)}s` +
            (event.exitCode === null ? '' : ` (exit ${event.exitCode})`) +
            (event.outcome !== 'succeeded' && event.message ? `: ${escapeTerminalControls(event.message)}` : ''),
        );
      case 'step-skipped':
        return line(`- ${event.stepId} skipped: ${event.reason}`);
      case 'candidate-chosen':
        return line(`  chose {{${event.name}}} = ${shown(event.value)}`);
      case 'manual-acknowledged':
        return line(
          `✔ ${position.get(event.stepId)} ${titles.get(event.stepId)} (${event.stepId}) done by hand` +
            (event.value ? `: {{${event.value.name}}} = ${shown(event.value.recorded)}` : ''),
        );
      case 'warning':
        return line(`  warning: ${event.message}`);
      case 'run-ended':
        return line(`Run ${event.status}.`);
      default:
        return;
    }
  };
}
