import { type Node, withBashTree } from '../../../runner/shell/bash-parser.ts';

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
}

// Every simple command in a script, including those inside pipelines, lists, loops and $(…).
export function listCommands(script: string): Promise<SimpleCommand[]> {
  return withBashTree(script, (tree) =>
    tree.rootNode
      .descendantsOfType('command')
      .flatMap((node) =>
        node ? [{ words: commandWords(node), heredocs: heredocsOf(node), stdinFed: isStdinFed(node) }] : [],
      ),
  );
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
    case 'word':
    case 'command_name':
      return node.namedChildCount === 0 || node.type === 'command_name'
        ? unescapeWord(node.type === 'command_name' ? (staticValue(node.namedChildren[0] as Node) ?? '') : node.text)
        : undefined;
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
