import type { Node } from '../../common/shell/bash-parser.ts';
import type { VariableReference } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

// Where a reference begins a word that a program parses as an argument, so a value beginning
// with "-" would be read as an option: `kubectl get pod {{x}}`, `rm "{{x}}"`, `ls {{x}}.txt`.
export interface OptionPosition {
  /** The command's name as written, for the message. */
  command: string;
  /** The words before the reference begin with it only if these references are empty. */
  precededBy: string[];
}

const COMMANDS_WITH_WORDS = new Set(['command', 'declaration_command', 'unset_command']);
const QUOTES_ONLY = /^(?:\$?['"])*$/;

// The option position of the reference that starts at `reference.start`, if it has one. A value
// is data, not an option, when it stands in an assignment, a redirect, a here-document, a test,
// arithmetic, inside a word that starts with other text (`--namespace={{ns}}`, `a{{x}}`), or
// after a `--` argument of the same command.
export function findOptionPosition(
  node: Node | null,
  reference: VariableReference,
  template: string,
  references: readonly VariableReference[],
): OptionPosition | undefined {
  let word: Node | null = node;
  while (word?.parent && !COMMANDS_WITH_WORDS.has(word.parent.type)) word = word.parent;
  const command = word?.parent;
  if (!word || !command || !isArgument(command, word)) return undefined;
  const wordsBefore = command.children.filter((child) => child && child.endIndex <= word.startIndex);
  if (wordsBefore.some((child) => child?.text === '--')) return undefined;
  const inside = references.filter((other) => other.start >= word.startIndex && other.end <= reference.start);
  let prefix = template.slice(word.startIndex, reference.start);
  for (const other of [...inside].reverse()) {
    const start = other.start - word.startIndex;
    prefix = prefix.slice(0, start) + prefix.slice(start + (other.end - other.start));
  }
  if (!QUOTES_ONLY.test(prefix)) return undefined;
  const name = command.childForFieldName('name') ?? command.firstChild;
  return {
    command: name ? template.slice(name.startIndex, name.endIndex) : command.type,
    precededBy: inside.map((other) => other.name),
  };
}

// A value copied into a shell variable (`p={{x}}`, `local p="{{x}}"`, `for p in {{x}}`) and used
// as `$p` or `${p}` where options are read: each such use, with the references it carries.
export function findCopiedOptionPositions(
  root: Node,
  template: string,
  references: readonly VariableReference[],
): { reference: VariableReference; position: OptionPosition; via: string }[] {
  const copies = new Map<string, VariableReference[]>();
  const remember = (name: string | undefined, value: Node | null | undefined) => {
    if (!name || !value) return;
    const first = references.find((item) => item.start >= value.startIndex && item.end <= value.endIndex);
    if (!first || !QUOTES_ONLY.test(template.slice(value.startIndex, first.start))) return;
    copies.set(name, [...(copies.get(name) ?? []), first]);
  };
  for (const assignment of root.descendantsOfType('variable_assignment')) {
    remember(assignment?.childForFieldName('name')?.text, assignment?.childForFieldName('value'));
  }
  for (const loop of root.descendantsOfType('for_statement')) {
    for (const value of loop?.childrenForFieldName('value') ?? [])
      remember(loop?.childForFieldName('variable')?.text, value);
  }
  const uses = [];
  for (const expansion of root.descendantsOfType(['simple_expansion', 'expansion'])) {
    const name = expansion ? /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(expansion.text)?.[1] : undefined;
    const copied = name ? copies.get(name) : undefined;
    if (!expansion || !name || !copied) continue;
    const use = { name, start: expansion.startIndex, end: expansion.endIndex } as VariableReference;
    const position = findOptionPosition(expansion, use, template, references);
    if (position) uses.push(...copied.map((reference) => ({ reference, position, via: `$${name}` })));
  }
  return uses;
}

function isArgument(command: Node, word: Node): boolean {
  if (command.type === 'command') {
    const index = command.children.findIndex((child) => child?.id === word.id);
    return command.fieldNameForChild(index) === 'argument';
  }
  return word.type !== 'variable_assignment' && word.id !== command.firstChild?.id;
}

export interface OptionRefusalContext {
  stepId: string | undefined;
  mayStartWithDash: ReadonlySet<string>;
}

// Refuses a value that begins with "-" where the command would take it for an option, unless
// its variable declares mayStartWithDash. The message never shows the value: it may be secret.
export function refuseOptionLikeValue(
  reference: VariableReference,
  position: OptionPosition,
  values: ReadonlyMap<string, string>,
  context: OptionRefusalContext,
  via?: string,
): void {
  const value = values.get(reference.name) ?? '';
  if (!value.startsWith('-') || context.mayStartWithDash.has(reference.name)) return;
  if (position.precededBy.some((name) => (values.get(name) ?? '') !== '')) return;
  const where = context.stepId ? `step "${context.stepId}": ` : '';
  throw new RunnerError(
    'RENDER_REFUSED',
    `${where}the value of {{${reference.name}}}${via ? ` (as ${via})` : ''} begins with "-" and stands where ${position.command} reads ` +
      `options, so ${position.command} would take it as an option. If the value is wrong, override ` +
      `{{${reference.name}}} with the right one; if such values are expected, the runbook must put "--" ` +
      `before {{${reference.name}}} or declare mayStartWithDash on it.`,
    { details: { variable: reference.name, stepId: context.stepId ?? null, command: position.command } },
  );
}
