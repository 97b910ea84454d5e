import {
  type ExportRecord,
  formatDuration,
  type RunbookSpec,
  type RunEventRecord,
  type RunView,
  renderCommandForDisplay,
} from '../../protocol/index.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';
import { viewRun } from '../runs/run-view.ts';
import { formatTraineeReportMarkdown } from '../training/format-trainee-report.ts';
import { computeTraineeReport } from '../training/trainee-report.ts';
import { timelineOf } from './record-timeline.ts';
import { stripTerminalControls } from './terminal-safe.ts';

const OUTPUT_EXCERPT_LINES = 40;

// The JSON export as text: JSON escapes C0 controls itself; C1 controls are escaped too, so
// the file is as safe to `cat` as the Markdown.
export function serializeRunJson(exported: ExportRecord): string {
  return JSON.stringify(exported).replace(
    /[\u0080-\u009f]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// The run as Markdown, to paste into a ticket; safe to `cat`: no terminal control survives.
export function exportRunMarkdown(runtime: RunRuntime, runbook: RunbookSpec | undefined): string {
  const view = viewRun(runtime, runbook);
  const lookup = (name: string) => view.values.find((value) => value.name === name) ?? { known: false, secret: false };
  const lines: string[] = [
    `# ${view.runbook.title}: run ${view.id}`,
    '',
    `- Runbook: \`${view.runbook.slug}\` (content ${view.runbook.contentHash.slice(0, 12)})`,
    `- Operator: ${view.operator}`,
    `- Mode: ${view.mode}`,
    `- Cluster: ${describeTargetLine(view.target)}`,
    `- Started: ${view.createdAt}`,
    `- Ended: ${view.endedAt ?? 'not yet'} (${view.status})`,
    '',
    '## Values',
    '',
    '| name | value | source |',
    '|---|---|---|',
    ...view.values.map(
      (value) =>
        `| ${value.name} | ${value.known ? (value.secret ? '(secret)' : `\`${escapeCell(value.value ?? '')}\``) : '(not known)'} | ${value.source ?? ''} |`,
    ),
    '',
    '## Steps',
  ];
  for (const step of view.steps) {
    const spec = runbook?.steps.find((item) => item.id === step.id);
    lines.push('', `### ${spec?.title ?? step.id} (\`${step.id}\`): ${step.status}`);
    if (step.attempt > 0) {
      lines.push(
        '',
        `Attempt ${step.attempt}; exit code ${step.exitCode ?? 'none'}; ${step.durationMs ?? 0} ms.${step.message ? ` ${step.message}.` : ''}`,
      );
    }
    if (spec?.kind === 'command') lines.push('', '```bash', renderCommandForDisplay(spec.script, lookup), '```');
    const output = outputOf(runtime.records, step.id, step.attempt);
    if (output) lines.push('', 'Output (first lines):', '', '```', output, '```');
    for (const check of step.checks)
      lines.push(`- ${check.passed ? 'PASS' : 'FAIL'}: ${check.label} (${check.detail})`);
  }
  if (view.notes.length > 0) {
    lines.push('', '## Notes', '', ...view.notes.map((note) => `- ${note.at}: ${note.text}`));
  }
  if (view.mode === 'training' && runbook) {
    lines.push('', formatTraineeReportMarkdown(computeTraineeReport(runtime.records, runbook)).trimEnd());
  }
  lines.push(
    '',
    '## Timeline',
    '',
    '| time | since start | event | actor | step | details |',
    '|---|---|---|---|---|---|',
  );
  const start = Date.parse(view.createdAt);
  for (const entry of timelineOf(runtime.records)) {
    const data = JSON.stringify(entry.data);
    lines.push(
      `| ${entry.time} | +${formatDuration(Date.parse(entry.time) - start)} | ${entry.type} | ${escapeCell(entry.actor)} | ${entry.step ?? ''} | \`${escapeCell(data.length > 200 ? `${data.slice(0, 200)}…` : data).replace(/`/g, "'")}\` |`,
    );
  }
  return stripTerminalControls(`${lines.join('\n')}\n`);
}

function outputOf(records: RunEventRecord[], stepId: string, attempt: number): string {
  const text = records
    .flatMap(({ event }) =>
      event.type === 'output' && event.stepId === stepId && event.attempt === attempt ? [event.text] : [],
    )
    .join('');
  const lines = text.split('\n');
  const excerpt = lines.slice(0, OUTPUT_EXCERPT_LINES).join('\n').replace(/```/g, "'''");
  return lines.length > OUTPUT_EXCERPT_LINES
    ? `${excerpt}\n… (${lines.length - OUTPUT_EXCERPT_LINES} more lines)`
    : excerpt.trimEnd();
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function describeTargetLine(target: RunView['target']): string {
  if (!target) return 'none (the run was pinned to no kube context)';
  const ca = target.caSha256 ? `, CA sha256 ${target.caSha256.slice(0, 16)}…` : '';
  return `${target.environment ?? 'unlabelled'}: context \`${target.context}\` (${target.server}${ca}), user \`${target.user}\`, namespace \`${target.namespace}\``;
}
