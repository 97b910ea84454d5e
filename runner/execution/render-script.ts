import MagicString from 'magic-string';
import { ancestorsOf, type Node, withBashTree } from '../../common/shell/bash-parser.ts';
import {
  findVariableReferences,
  mapVariableReferences,
  replaceVariableReferences,
  type VariableReference,
} from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import {
  findCopiedOptionPositions,
  findOptionPosition,
  type OptionPosition,
  refuseOptionLikeValue,
} from '../shell/option-position.ts';

export const VARIABLE_PREFIX = 'DRILLBOOK_VAR_';

type QuotingContext =
  | 'unquoted'
  | 'double-quoted'
  | 'single-quoted'
  | 'ansi-c'
  | 'heredoc'
  | 'quoted-heredoc'
  | 'arithmetic'
  | 'comment';

export interface RenderedScript {
  /** The script bash runs: every reference is a quoted expansion of a shell variable. */
  script: string;
  /** The variables the script reads, in the order the prologue reads them. */
  variables: string[];
}

export interface RenderOptions {
  /** Named in refusals, so the operator knows which step to look at. */
  stepId?: string;
  /** Variables declared mayStartWithDash: their values may begin with "-" anywhere. */
  mayStartWithDash?: ReadonlySet<string>;
}

const NUMERIC_TEST = /\s-(eq|ne|lt|le|gt|ge)\s/;
const INTEGER = /^-?[0-9]+$/;

// Turns a step template into a script that never contains a value: each {{name}} becomes a
// reference to a shell variable, quoted for where it stands, so a value is always data.
// A value beginning with "-" is refused where a program would read it as an option.
export async function renderScript(
  template: string,
  values: ReadonlyMap<string, string>,
  options: RenderOptions = {},
): Promise<RenderedScript> {
  const references = findVariableReferences(template);
  for (const [name, value] of values) {
    if (value.includes('\0'))
      throw new RunnerError('INVALID_VALUE', `{{${name}}} contains a NUL byte, which no shell value can hold`);
  }
  const missing = [...new Set(references.map((reference) => reference.name).filter((name) => !values.has(name)))];
  if (missing.length > 0) {
    throw new RunnerError('MISSING_VALUES', `not known yet: ${missing.map((name) => `{{${name}}}`).join(', ')}`, {
      details: { missing },
    });
  }
  const { contexts, optionPositions, copiedOptionPositions, quotedHeredocs } = await analyzeTemplate(
    template,
    references,
  );
  const refusal = { stepId: options.stepId, mayStartWithDash: options.mayStartWithDash ?? new Set<string>() };
  for (const copy of copiedOptionPositions)
    refuseOptionLikeValue(copy.reference, copy.position, values, refusal, copy.via);
  const script = new MagicString(template);
  references.forEach((reference, index) => {
    const context = contexts[index] as QuotingContext;
    const position = optionPositions[index];
    if (position && context !== 'comment' && context !== 'arithmetic')
      refuseOptionLikeValue(reference, position, values, refusal);
    if (context === 'quoted-heredoc') return;
    script.overwrite(reference.start, reference.end, replacementFor(reference, context, values));
  });
  for (const heredoc of quotedHeredocs) {
    if (!heredoc || !references.some((ref) => ref.start >= heredoc.body.start && ref.end <= heredoc.body.end)) continue;
    unquoteHeredoc(script, template, heredoc);
  }
  const variables = [...new Set(references.map((reference) => reference.name))];
  return { script: script.toString(), variables };
}

interface TemplateAnalysis {
  contexts: QuotingContext[];
  optionPositions: (OptionPosition | undefined)[];
  copiedOptionPositions: ReturnType<typeof findCopiedOptionPositions>;
  quotedHeredocs: (QuotedHeredoc | undefined)[];
}

const ANALYSES_KEPT = 256;
const analyses = new Map<string, Promise<TemplateAnalysis>>();

// Where each reference of a template stands, which depends on the template alone: parsed once
// per template (a run renders the same steps again and again), not once per attempt.
function analyzeTemplate(template: string, references: VariableReference[]): Promise<TemplateAnalysis> {
  const known = analyses.get(template);
  if (known) return known;
  // Same-length identifiers keep offsets and let the grammar see ordinary words.
  const parseable = replaceVariableReferences(template, (_name, written) => 'DBV_'.padEnd(written.length, '_'));
  const analysis = withBashTree(parseable, (tree) => ({
    contexts: references.map((reference) =>
      classify(tree.rootNode.descendantForIndex(reference.start, reference.end - 1)),
    ),
    optionPositions: references.map((reference) =>
      findOptionPosition(
        tree.rootNode.descendantForIndex(reference.start, reference.end - 1),
        reference,
        template,
        references,
      ),
    ),
    copiedOptionPositions: findCopiedOptionPositions(tree.rootNode, template, references),
    quotedHeredocs: tree.rootNode
      .descendantsOfType('heredoc_redirect')
      .flatMap((node) => (node ? [readHeredoc(node)] : [])),
  }));
  analyses.set(template, analysis);
  analysis.catch(() => analyses.delete(template));
  if (analyses.size > ANALYSES_KEPT) analyses.delete(analyses.keys().next().value as string);
  return analysis;
}

interface QuotedHeredoc {
  start: { start: number; end: number; delimiter: string };
  body: { start: number; end: number };
}

function readHeredoc(node: Node): QuotedHeredoc | undefined {
  const start = node.children.find((child) => child?.type === 'heredoc_start');
  const body = node.children.find((child) => child?.type === 'heredoc_body');
  if (!start || !body || !/['"\\]/.test(start.text)) return undefined;
  return {
    start: { start: start.startIndex, end: start.endIndex, delimiter: start.text.replace(/['"\\]/g, '') },
    body: { start: body.startIndex, end: body.endIndex },
  };
}

// A quoted heredoc expands nothing, so one that holds a reference is rewritten as the equivalent
// unquoted heredoc: its literal text escaped, its references expanded.
function unquoteHeredoc(script: MagicString, template: string, heredoc: QuotedHeredoc): void {
  const body = mapVariableReferences(
    template.slice(heredoc.body.start, heredoc.body.end),
    escapeForHeredoc,
    (reference) => variableExpansion(reference.name),
  );
  script.overwrite(heredoc.start.start, heredoc.start.end, heredoc.start.delimiter);
  script.overwrite(heredoc.body.start, heredoc.body.end, body);
}

function escapeForHeredoc(text: string): string {
  return text.replace(/[\\$`]/g, (character) => `\\${character}`);
}

function variableExpansion(name: string): string {
  return `\${${VARIABLE_PREFIX}${name}}`;
}

function classify(node: Node | null): QuotingContext {
  if (!node) return 'unquoted';
  for (const ancestor of ancestorsOf(node)) {
    switch (ancestor.type) {
      case 'comment':
        return 'comment';
      case 'raw_string':
        return 'single-quoted';
      case 'ansi_c_string':
        return 'ansi-c';
      case 'string':
        return 'double-quoted';
      case 'arithmetic_expansion':
      case 'subscript':
        return 'arithmetic';
      case 'compound_statement':
        if (ancestor.text.startsWith('((')) return 'arithmetic';
        break;
      case 'test_command':
        if (NUMERIC_TEST.test(ancestor.text)) return 'arithmetic';
        break;
      case 'command':
        if (ancestor.childForFieldName('name')?.text === 'let') return 'arithmetic';
        return 'unquoted';
      case 'command_substitution':
      case 'process_substitution':
        return 'unquoted';
      case 'heredoc_body': {
        const start = ancestor.parent?.children.find((child) => child?.type === 'heredoc_start')?.text ?? '';
        return /['"\\]/.test(start) ? 'quoted-heredoc' : 'heredoc';
      }
    }
  }
  return 'unquoted';
}

function replacementFor(
  reference: VariableReference,
  context: QuotingContext,
  values: ReadonlyMap<string, string>,
): string {
  const variable = variableExpansion(reference.name);
  switch (context) {
    case 'unquoted':
      return `"${variable}"`;
    case 'double-quoted':
    case 'heredoc':
    case 'quoted-heredoc':
      return variable;
    case 'single-quoted':
      return `'"${variable}"'`;
    case 'ansi-c':
      return `'"${variable}"$'`;
    case 'comment':
      return `{{${reference.name}}}`;
    case 'arithmetic':
      // Bash evaluates variable contents inside arithmetic, so only integers may go there.
      if (!INTEGER.test(values.get(reference.name) ?? '')) {
        throw new RunnerError(
          'RENDER_REFUSED',
          `{{${reference.name}}} is used in arithmetic, where bash would evaluate it; it must be an integer`,
        );
      }
      return `"${variable}"`;
  }
}

// The prologue that moves values from the step's private pipe (fd 3, NUL-separated) into shell
// variables. Values never appear in argv, in the environment or on disk.
// It shares line 1 with the script, so bash's line numbers match the author's.
export function withPrologue(rendered: RenderedScript): string {
  const reads = rendered.variables.map((name) => `IFS= read -r -d '' ${VARIABLE_PREFIX}${name} <&3`);
  return ['set -o errexit -o pipefail', ...reads, 'exec 3<&-', rendered.script].join('; ');
}

export function encodeValues(variables: readonly string[], values: ReadonlyMap<string, string>): Buffer {
  return Buffer.from(variables.map((name) => `${values.get(name) ?? ''}\0`).join(''), 'utf8');
}
