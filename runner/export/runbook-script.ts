import { type CommandStepSpec, listStepCaptures, type ManualStepSpec, type RunbookSpec } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { renderScript, VARIABLE_PREFIX } from '../execution/render-script.ts';
import { findVariable } from '../manifest/runbook-variables.ts';
import { findCapturingSteps } from '../runs/dry-run-plan.ts';
import type { RunRuntime } from '../runs/run-runtime.ts';

const RUNS_ON_TEXT = {
  operator: "the operator's machine",
  pod: 'inside a pod',
  'control-plane-node': 'a control-plane node',
};

// The whole runbook as one bash script, for a dry run's export: each step rendered exactly as the
// runner renders it (every value a quoted variable reference), the known values assigned once at
// the top as shell literals, secrets never written (the script asks for them from the environment).
export async function exportRunbookScript(runtime: RunRuntime, runbook: RunbookSpec): Promise<string> {
  const variable = (name: string) => `${VARIABLE_PREFIX}${name}`;
  const capturedBy = findCapturingSteps(runbook);
  const lines = [
    '#!/usr/bin/env bash',
    comment(`${runbook.meta.title}: the whole runbook as one script, from Drillbook dry run ${runtime.id}.`),
    comment(`Runbook ${runbook.slug} (content ${runbook.contentHash.slice(0, 12)}), by ${runtime.state.operator}.`),
    '# Read it before running it. Each step runs in a subshell with errexit and pipefail, as the runner',
    '# runs it; manual steps are instructions only. Secrets are not in this file: export each one the',
    '# script asks for, and values only a live run captures, before running it.',
    'set -o errexit -o pipefail',
    '',
    '# Values known to the dry run',
  ];
  for (const name of [...new Set(runbook.steps.flatMap((step) => step.references))]) {
    const value = runtime.value(name);
    if (value === undefined) continue;
    const secret = Boolean(runtime.state.values.get(name)?.secret ?? findVariable(runbook, name)?.secret);
    lines.push(
      secret
        ? `: "\${${variable(name)}:?export ${variable(name)}: a secret, not written to this file}"`
        : `${variable(name)}=${shellLiteral(value)}`,
    );
  }
  for (const [index, step] of runbook.steps.entries()) {
    lines.push('', comment(`Step ${index + 1} of ${runbook.steps.length}: ${step.title} [${step.id}]`));
    if (step.kind === 'manual') {
      lines.push(...manualStepLines(step));
      continue;
    }
    lines.push(...(await commandStepLines(runtime, step, capturedBy, variable)));
  }
  return `${lines.join('\n')}\n`;
}

function manualStepLines(step: ManualStepSpec): string[] {
  const lines = ['# Done by hand:', ...step.instruction.split('\n').map((line) => comment(`  ${line}`))];
  if (step.input) lines.push(comment(`It gives {{${step.input.name}}} (${step.input.label}).`));
  lines.push(`printf '%s\\n' ${shellLiteral(`Manual step ${step.id}: do it by hand (see the script).`)} >&2`);
  return lines;
}

async function commandStepLines(
  runtime: RunRuntime,
  step: CommandStepSpec,
  capturedBy: Map<string, { id: string }>,
  variable: (name: string) => string,
): Promise<string[]> {
  const lines = [comment(`Risk: ${step.risk}; runs on ${RUNS_ON_TEXT[step.runsOn]}.`)];
  const elsewhere = remoteStepLines(step);
  if (elsewhere) return [...lines, ...elsewhere];
  for (const capture of listStepCaptures(step)) lines.push(comment(`A live run captures {{${capture.name}}} here.`));
  const references = [...new Set(step.references)];
  const unknown = references.filter((name) => runtime.value(name) === undefined);
  // Unknown values render with a stand-in: the rendered text holds references, never values.
  const values = new Map(references.map((name) => [name, runtime.value(name) ?? '0']));
  let script: string;
  try {
    script = (await renderScript(step.script, values)).script;
  } catch (error) {
    const reason = error instanceof RunnerError ? error.message : 'it could not be rendered';
    return [
      ...lines,
      comment(`Cannot run: ${reason}`),
      `echo ${shellLiteral(`step ${step.id} cannot run`)} >&2`,
      'exit 1',
    ];
  }
  const guards = unknown.map((name) => {
    const source = capturedBy.get(name);
    const why = source ? `captured by step ${source.id} in a live run` : 'not known to the dry run';
    return `: "\${${variable(name)}:?export ${variable(name)}: ${why}}"`;
  });
  return [...lines, '(', ...guards, script.replace(/\n$/, ''), ')'];
}

// A step the runner runs in a pod or on a node must not run where this script runs: it is written
// out as comments with where it runs, and the script stops there with a message (run it there, or
// let Drillbook run it), so running the script never does a node's work on the wrong machine.
export function remoteStepLines(step: CommandStepSpec): string[] | null {
  const { target } = step;
  if (target.kind === 'local') return null;
  const where =
    target.kind === 'pod'
      ? `in pod ${target.pod ?? `labelled ${target.podSelector}`} (namespace ${target.namespace}${target.container ? `, container ${target.container}` : ''})`
      : `on node ${target.host ?? target.nodes ?? `labelled ${target.nodeSelector}`}`;
  return [
    comment(`This step runs ${where}, not here. Its script, for reading:`),
    ...step.script
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => comment(`  ${line}`)),
    `printf '%s\\n' ${shellLiteral(`Step ${step.id} runs ${where}: run it there, or let Drillbook run it. Stopping.`)} >&2`,
    'exit 1',
  ];
}

// A comment line that a terminal shows as written: no line breaks, control or bidi characters.
function comment(text: string): string {
  return `# ${text.replace(UNSAFE_CHARACTERS, ' ')}`.trimEnd();
}

// Control characters (C0, DEL, C1) and bidi overrides, which could hide what a line does.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const UNSAFE_CHARACTERS = new RegExp(UNSAFE_CHARACTER.source, 'gu');

// A value as a bash literal that means exactly the value: single quotes when it is printable,
// ANSI-C quoting (every unsafe character escaped) when it is not.
export function shellLiteral(value: string): string {
  if (!UNSAFE_CHARACTER.test(value.replace(/[\n\t]/g, ''))) {
    return `'${value.replaceAll("'", `'\\''`)}'`;
  }
  let quoted = '';
  for (const character of value) {
    if (character === '\\' || character === "'") quoted += `\\${character}`;
    else if (UNSAFE_CHARACTER.test(character))
      // Byte escapes mean the same bytes in every locale (\u would depend on LANG).
      for (const byte of Buffer.from(character, 'utf8')) quoted += `\\x${byte.toString(16).padStart(2, '0')}`;
    else quoted += character;
  }
  return `$'${quoted}'`;
}
