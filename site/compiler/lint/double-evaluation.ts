import { findVariableReferences } from '../../../protocol/index.ts';
import { type CodeSite, findCodeSites, listProgramPositions } from './code-sites.ts';
import type { ShellWord, SimpleCommand } from './shell-tree.ts';
import type { Finding } from './unattended.ts';

// A value is quoted once, for the step's own shell. A second parser (`sh -c`, `eval`, `trap`,
// `source <(…)`, ssh's remote shell…) would evaluate it again, so `{{x}}` there could run code.
// `carried` holds the script's variables built from a value (`cmd="ls {{x}}"`).
export function findDoubleEvaluation(
  command: SimpleCommand,
  carried: ReadonlyMap<string, string> = new Map(),
): Finding[] {
  const findings = new Map<string, Finding>();
  for (const index of listProgramPositions(command)) {
    for (const site of findCodeSites(command, index)) {
      for (const word of site.words) {
        const finding = findInWord(word, site, carried);
        const key = finding && `${finding.word.row}:${finding.word.column}`;
        if (finding && key && !findings.has(key)) findings.set(key, finding);
      }
    }
  }
  return [...findings.values()];
}

function findInWord(word: ShellWord, site: CodeSite, carried: ReadonlyMap<string, string>): Finding | undefined {
  const reference = findVariableReferences(word.raw)[0];
  const expansion = reference ? undefined : findOuterExpansion(word.raw, carried);
  const name = reference?.name ?? expansion?.reference;
  const offset = reference?.start ?? expansion?.offset;
  if (name === undefined || offset === undefined) return undefined;
  const through = expansion ? ` (through $${expansion.variable})` : '';
  return {
    word: positionInWord(word, offset),
    message: `{{${name}}}${through} is passed through \`${site.via}\`${site.stdin ? ' on stdin' : ''}, which evaluates it a second time`,
    hint: site.hint(name),
  };
}

// A `$var` or `${var}` the step's own shell expands (outside single quotes) into the text.
function findOuterExpansion(
  raw: string,
  carried: ReadonlyMap<string, string>,
): { variable: string; reference: string; offset: number } | undefined {
  if (carried.size === 0) return undefined;
  let doubleQuoted = false;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (char === '\\') index++;
    else if (char === '"') doubleQuoted = !doubleQuoted;
    else if (char === "'" && !doubleQuoted)
      index = raw.indexOf("'", index + 1) === -1 ? raw.length : raw.indexOf("'", index + 1);
    else if (char === '$') {
      const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(raw.slice(index))?.[1];
      const reference = variable === undefined ? undefined : carried.get(variable);
      if (variable !== undefined && reference !== undefined) return { variable, reference, offset: index };
    }
  }
  return undefined;
}

function positionInWord(word: ShellWord, offset: number): ShellWord {
  const before = word.raw.slice(0, offset);
  const newline = before.lastIndexOf('\n');
  const rows = before.split('\n').length - 1;
  return { ...word, row: word.row + rows, column: newline === -1 ? word.column + offset : offset - newline - 1 };
}
