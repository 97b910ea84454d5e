import { AnsiUp } from 'ansi_up';
import { type ExportRecord, formatDuration, MASK, type RecordAttempt } from '../../protocol/index.ts';
import { escapeHtml, RECORD_CSS } from './html-style.ts';
import { renderTraineeHtml } from './render-trainee-html.ts';
import { escapeTerminalControls } from './terminal-safe.ts';

export const RECORD_SCRIPT_ID = 'drillbook-record';
const FOLD_LINES = 15;
const TAIL_LINES = 20;

// The record as one HTML file: no script, no request (a CSP forbids both), the JSON record
// embedded for `drill verify`, and everything a reader needs rendered from it. Deterministic, so
// verify can render it again from the embedded JSON and compare.
export function renderRecordHtml(record: ExportRecord): string {
  const { summary } = record;
  const title = `${summary.runbook.title}: run ${summary.runId}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${RECORD_CSS}</style>`,
    `<script type="application/json" id="${RECORD_SCRIPT_ID}">${embedJson(record)}</script>`,
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="verification" data-verification>${escapeHtml(verificationLine(record))}</p>`,
    renderSummary(record),
    renderTraineeHtml(record),
    renderValues(record),
    renderSteps(record),
    renderTimeline(record),
    renderFiles('Artifacts', 'Files left in the run’s working folder.', record.artifacts),
    renderFiles('Full logs', 'Outputs above are capped; the full logs, by name and hash.', record.logs),
    '</body></html>',
    '',
  ].join('\n');
}

// The line printed on every page of the PDF and atop the HTML: what to check the record against.
export function verificationLine(record: ExportRecord): string {
  return `Journal head sha256 ${record.chain.head} over ${record.chain.length} events. Check: npm run drill -- verify FILE`;
}

function renderSummary({ summary, exportedAt }: ExportRecord): string {
  const cluster = summary.cluster
    ? `${summary.cluster.environment ?? 'unlabelled'}: context <code>${escapeHtml(summary.cluster.context)}</code>, server <code>${escapeHtml(summary.cluster.server)}</code>, namespace <code>${escapeHtml(summary.cluster.namespace)}</code>`
    : 'none (pinned to no kube context)';
  const rows: [string, string][] = [
    [
      'Runbook',
      `<code>${escapeHtml(summary.runbook.slug)}</code>, content sha256 <code>${summary.runbook.contentHash}</code>`,
    ],
    ['Cluster', cluster],
    ['Operator', escapeHtml(summary.operator)],
    ['Mode', summary.mode],
    ['Started', summary.startedAt],
    ['Ended', summary.endedAt ?? 'not yet'],
    ['Outcome', `<span class="outcome-${summary.outcome}">${summary.outcome}</span>`],
    ['Duration', formatDuration(summary.durationMs)],
    ['Exported', exportedAt],
  ];
  return `<table data-summary>${rows.map(([name, value]) => `<tr><th>${name}</th><td>${value}</td></tr>`).join('')}</table>`;
}

function renderValues({ values }: ExportRecord): string {
  const rows = values.map(
    (value) =>
      `<tr><td><code>${escapeHtml(value.name)}</code></td><td>${value.secret ? MASK : `<code>${escapeHtml(value.value ?? '')}</code>`}</td><td>${value.source}</td><td>${value.step ? `<code>${escapeHtml(value.step)}</code>` : ''}</td><td>${value.at}</td></tr>`,
  );
  return `<h2>Values</h2><table data-values><tr><th>name</th><th>value</th><th>source</th><th>step</th><th>set at</th></tr>${rows.join('')}</table>`;
}

function renderSteps(record: ExportRecord): string {
  const parts = ['<h2>Steps</h2>'];
  for (const step of record.steps) {
    parts.push(
      `<section data-step="${escapeHtml(step.id)}"><h3>${escapeHtml(step.title)} <code>${escapeHtml(step.id)}</code>: <span class="outcome-${step.status}">${step.status}</span></h3>`,
    );
    for (const attempt of record.attempts.filter((item) => item.step === step.id))
      parts.push(renderAttempt(attempt, record));
    parts.push('</section>');
  }
  return parts.join('\n');
}

function renderAttempt(attempt: RecordAttempt, record: ExportRecord): string {
  const ended = attempt.outcome
    ? `<span class="outcome-${attempt.outcome}">${attempt.outcome}</span>, exit code ${attempt.exitCode ?? 'none'}, ${formatDuration(attempt.durationMs ?? 0)}`
    : 'no end recorded';
  const log = attempt.log ? record.logs.find((file) => file.name === attempt.log) : undefined;
  const lines = attempt.excerpt.split('\n').length;
  const output = `<pre class="output">${renderAnsi(attempt.excerpt)}${attempt.excerptCut ? '\n…' : ''}</pre>`;
  return [
    `<p>Attempt ${attempt.attempt} at ${attempt.startedAt}: ${ended}.</p>`,
    `<pre class="command">${escapeHtml(attempt.command)}</pre>`,
    attempt.excerpt === ''
      ? ''
      : lines > FOLD_LINES || attempt.excerptCut
        ? `<details><summary>Output (${lines} lines${attempt.excerptCut ? ', cut' : ''})</summary>${output}</details>`
        : output,
    attempt.tail
      ? `<p class="muted">… the output ended with:</p><pre class="output">${renderAnsi(lastLines(attempt.tail, TAIL_LINES))}</pre>`
      : '',
    attempt.log
      ? `<p class="muted">Full log: <code>${escapeHtml(attempt.log)}</code>${log ? `, ${log.size} bytes, sha256 <code>${log.sha256}</code>` : ''}</p>`
      : '',
    attempt.checks.length > 0
      ? `<ul>${attempt.checks.map((check) => `<li><span class="${check.passed ? 'pass' : 'fail'}">${check.passed ? 'PASS' : 'FAIL'}</span> ${escapeHtml(check.label)} (${escapeHtml(check.detail)})</li>`).join('')}</ul>`
      : '',
  ].join('\n');
}

function renderTimeline({ timeline, summary }: ExportRecord): string {
  const start = Date.parse(summary.startedAt);
  const rows = timeline.map((entry) => {
    const data = JSON.stringify(entry.data);
    return `<tr><td>${entry.time}</td><td>+${formatDuration(Date.parse(entry.time) - start)}</td><td>${entry.type}</td><td>${escapeHtml(entry.actor)}</td><td>${entry.step ? `<code>${escapeHtml(entry.step)}</code>` : ''}</td><td class="data">${escapeHtml(data.length > 400 ? `${data.slice(0, 400)}…` : data)}</td></tr>`;
  });
  return `<h2>Timeline</h2><table data-timeline><tr><th>time</th><th>since start</th><th>event</th><th>actor</th><th>step</th><th>details</th></tr>${rows.join('')}</table>`;
}

function renderFiles(title: string, note: string, files: ExportRecord['artifacts']): string {
  if (files.length === 0) return `<h2>${title}</h2><p class="muted">None.</p>`;
  const rows = files.map(
    (file) =>
      `<tr><td><code>${escapeHtml(file.name)}</code></td><td>${file.size}</td><td><code>${file.sha256}</code></td></tr>`,
  );
  return `<h2>${title}</h2><p class="muted">${note}</p><table><tr><th>file</th><th>bytes</th><th>sha256</th></tr>${rows.join('')}</table>`;
}

function lastLines(text: string, count: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.slice(-count).join('\n');
}

function renderAnsi(text: string): string {
  const converter = new AnsiUp();
  converter.escape_html = true;
  converter.url_allowlist = {};
  return converter.ansi_to_html(escapeTerminalControls(text));
}

function embedJson(record: ExportRecord): string {
  return JSON.stringify(record)
    .replace(/</g, '\\u003c')
    .replace(
      /[\u0080-\u009f\u2028\u2029]/g,
      (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

// The embedded record's JSON text, back out of a record's HTML.
export function extractEmbeddedJson(html: string): string | null {
  const open = `<script type="application/json" id="${RECORD_SCRIPT_ID}">`;
  const start = html.indexOf(open);
  const end = html.indexOf('</script>', start);
  return start === -1 || end === -1 ? null : html.slice(start + open.length, end);
}
