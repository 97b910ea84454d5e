import { type Node, withBashTree } from '../../../common/shell/bash-parser.ts';
import { findVariableReferences } from '../../../protocol/index.ts';

export interface ShellWord {
  /** The word's value when it is static text (quotes removed), otherwise undefined. */
  value: string | undefined;
  /** The word as written. */
  raw: string;
  row: number;
  column: number;
}

export interface SimpleCommand {
  words: ShellWord[];
  /** Heredoc bodies fed to this command. */
  heredocs: ShellWord[];
  /** True when the command's stdin comes from a pipe, a file, a heredoc or a here-string. */
  stdinFed?: boolean;
  /** The text the script itself writes to this command's stdin: heredoc bodies, here-strings and
   * the earlier commands of its pipeline. */
  stdinText?: ShellWord[];
}

// Every simple command in a script, including those inside pipelines, lists, loops and $(…).
export function listCommands(script: string): Promise<SimpleCommand[]> {
  return withBashTree(script, (tree) =>
    tree.rootNode.descendantsOfType('command').flatMap((node) =>
      node
        ? [
            {
              words: commandWords(node),
              heredocs: heredocsOf(node),
              stdinFed: isStdinFed(node),
              stdinText: stdinTextOf(node),
            },
          ]
        : [],
    ),
  );
}

// Variables whose value is built from a {{name}} (`cmd="ls {{x}}"`, `export A=…`, `B=$A`), each
// with the reference it carries; assignments anywhere in the script count.
export function listValueVariables(script: string): Promise<Map<string, string>> {
  return withBashTree(script, (tree) => {
    const assignments = [
      ...tree.rootNode.descendantsOfType(['variable_assignment', 'for_statement']).flatMap((node) => {
        const name = (node?.childForFieldName('name') ?? node?.childForFieldName('variable'))?.text;
        const value = node
          ?.childrenForFieldName('value')
          .map((child) => child?.text ?? '')
          .join(' ');
        return name && value ? [{ name, value }] : [];
      }),
      ...tree.rootNode.descendantsOfType('command').flatMap((node) => (node ? assignmentsByCommand(node) : [])),
    ];
    const carried = new Map<string, string>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const { name, value } of assignments) {
        if (carried.has(name)) continue;
        const reference = findVariableReferences(value)[0]?.name ?? findExpansion(value, carried);
        if (reference === undefined) continue;
        carried.set(name, reference);
        changed = true;
      }
    }
    return carried;
  });
}

// `printf -v NAME …`, `read NAME <<< …`, `mapfile NAME <<< …` set a variable from their text.
function assignmentsByCommand(node: Node): { name: string; value: string }[] {
  const words = commandWords(node);
  const program = words[0]?.value;
  if (program === 'printf') {
    const index = words.findIndex((word) => word.value === '-v');
    const name = index === -1 ? undefined : words[index + 1]?.value;
    return name ? [{ name, value: node.text }] : [];
  }
  if (program !== 'read' && program !== 'mapfile' && program !== 'readarray') return [];
  const holders = [node, node.parent?.type === 'redirected_statement' ? node.parent : undefined];
  const value = holders
    .flatMap((holder) => holder?.namedChildren.filter((child) => child?.type === 'herestring_redirect') ?? [])
    .map((child) => child?.text ?? '')
    .join(' ');
  const name = words.at(-1)?.value;
  return value && name && !name.startsWith('-') ? [{ name, value }] : [];
}

// The {{name}} a word carries through one of `variables` (`$cmd`, `${cmd}`, `${cmd:-…}`).
export function findExpansion(text: string, variables: ReadonlyMap<string, string>): string | undefined {
  for (const match of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const reference = variables.get(match[1] as string);
    if (reference !== undefined) return reference;
  }
  return undefined;
}

function commandWords(node: Node): ShellWord[] {
  const words: ShellWord[] = [];
  const name = node.childForFieldName('name');
  if (name) words.push(toWord(name));
  for (const argument of node.childrenForFieldName('argument')) words.push(toWord(argument));
  return words;
}

// Stdin is fed when the command, or a loop or group around it, reads from a pipe, a file, a
// heredoc or a here-string: `x | cmd`, `cmd < f`, `while read l; do …; done < f`.
function isStdinFed(node: Node): boolean {
  if (hasInputRedirect(node)) return true;
  for (let current: Node | null = node; current?.parent; current = current.parent) {
    const parent: Node = current.parent;
    if (parent.type === 'command_substitution' || parent.type === 'process_substitution') return false;
    if (parent.type === 'pipeline' && parent.namedChildren[0]?.id !== current.id) return true;
    if (parent.type === 'redirected_statement' && hasInputRedirect(parent)) return true;
  }
  return false;
}

function hasInputRedirect(statement: Node): boolean {
  return statement.namedChildren.some(
    (child) =>
      child?.type === 'heredoc_redirect' ||
      child?.type === 'herestring_redirect' ||
      (child?.type === 'file_redirect' && /^\d*<(?!&|>)/.test(child.text)),
  );
}

function stdinTextOf(node: Node): ShellWord[] {
  const herestrings = [node, node.parent?.type === 'redirected_statement' ? node.parent : undefined].flatMap(
    (holder) =>
      holder?.namedChildren.flatMap((child) =>
        child?.type === 'herestring_redirect' && child.namedChildren[0] ? [toWord(child.namedChildren[0])] : [],
      ) ?? [],
  );
  return [...heredocsOf(node), ...herestrings, ...upstreamOf(node)];
}

function upstreamOf(node: Node): ShellWord[] {
  for (let current: Node | null = node; current?.parent; current = current.parent) {
    const parent: Node = current.parent;
    if (parent.type === 'command_substitution' || parent.type === 'process_substitution') return [];
    if (parent.type === 'pipeline') {
      const index = parent.namedChildren.findIndex((child) => child?.id === current?.id);
      return parent.namedChildren.slice(0, Math.max(index, 0)).flatMap((child) => (child ? [toWord(child)] : []));
    }
  }
  return [];
}

function heredocsOf(node: Node): ShellWord[] {
  const statement = node.parent?.type === 'redirected_statement' ? node.parent : undefined;
  if (!statement) return [];
  return statement.descendantsOfType('heredoc_body').flatMap((body) => (body ? [toWord(body)] : []));
}

function toWord(node: Node): ShellWord {
  return { value: staticValue(node), raw: node.text, row: node.startPosition.row, column: node.startPosition.column };
}

function staticValue(node: Node): string | undefined {
  switch (node.type) {
    case 'command_name': {
      const name = node.namedChildren[0];
      return name ? staticValue(name) : undefined;
    }
    case 'word':
      return node.namedChildCount === 0 ? unescapeWord(node.text) : undefined;
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'string':
      return node.namedChildren.every((child) => child?.type === 'string_content') ? node.text.slice(1, -1) : undefined;
    case 'concatenation': {
      const parts = node.namedChildren.map((child) => (child ? staticValue(child) : undefined));
      return parts.every((part) => part !== undefined) ? parts.join('') : undefined;
    }
    case 'number':
      return node.text;
    default:
      return undefined;
  }
}

function unescapeWord(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}
