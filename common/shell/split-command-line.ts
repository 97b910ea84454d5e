// Splits one command line into argv the way bash would split it, for a step that runs with no
// shell (a distroless container): words, '…', "…", backslash escapes and line continuations.
// Anything only a shell could do (expansions, globs, pipes, redirects, lists, comments,
// assignments) is refused with where it stands, since nothing would do it at run time.

export type SplitResult = { ok: true; argv: string[] } | { ok: false; offset: number; message: string };

const OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')']);
const GLOB = new Set(['*', '?', '[']);

export function splitCommandLine(line: string): SplitResult {
  const argv: string[] = [];
  let word: string | null = null;
  const refuse = (offset: number, message: string): SplitResult => ({ ok: false, offset, message });
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (char === '\\') {
      const next = line[index + 1];
      if (next === undefined) return refuse(index, 'the line ends with a lone backslash');
      index++;
      if (next !== '\n') word = (word ?? '') + next;
      continue;
    }
    if (char === ' ' || char === '\t' || char === '\n') {
      if (char === '\n' && argv.length + (word === null ? 0 : 1) > 0 && line.slice(index).trim() !== '') {
        return refuse(index, 'a step with shell="none" is one command line (continue a line with a backslash)');
      }
      if (word !== null) argv.push(word);
      word = null;
      continue;
    }
    if (char === "'") {
      const end = line.indexOf("'", index + 1);
      if (end === -1) return refuse(index, 'this single quote is not closed');
      word = (word ?? '') + line.slice(index + 1, end);
      index = end;
      continue;
    }
    if (char === '"') {
      let text = '';
      let end = index + 1;
      for (; end < line.length && line[end] !== '"'; end++) {
        const inner = line[end] as string;
        if (inner === '$' || inner === '`')
          return refuse(end, `"${inner}" would be expanded by a shell, and none runs`);
        if (inner === '\\' && ['"', '\\', '$', '`', '\n'].includes(line[end + 1] ?? '')) {
          end++;
          if (line[end] !== '\n') text += line[end];
          continue;
        }
        text += inner;
      }
      if (end >= line.length) return refuse(index, 'this double quote is not closed');
      word = (word ?? '') + text;
      index = end;
      continue;
    }
    if (char === '{') {
      const reference = /^\{\{[A-Za-z][A-Za-z0-9_]*\}\}/.exec(line.slice(index));
      if (!reference)
        return refuse(index, '"{" may start a brace expansion in a shell; quote it to mean the character');
      word = (word ?? '') + reference[0];
      index += reference[0].length - 1;
      continue;
    }
    if (char === '$' || char === '`') return refuse(index, `"${char}" would be expanded by a shell, and none runs`);
    if (OPERATORS.has(char))
      return refuse(index, `"${char}" needs a shell (pipes, redirects and lists), and none runs`);
    if (GLOB.has(char)) return refuse(index, `"${char}" would be a glob in a shell; quote it to mean the character`);
    if (word === null && (char === '#' || char === '~')) {
      return refuse(index, `"${char}" at the start of a word needs a shell; quote it to mean the character`);
    }
    if (char === '=' && word !== null && argv.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) {
      return refuse(index, 'a variable assignment needs a shell; pass the setting as an option instead');
    }
    word = (word ?? '') + char;
  }
  if (word !== null) argv.push(word);
  if (argv.length === 0) return refuse(0, 'the command line is empty');
  return { ok: true, argv };
}
