import { findVariableReferences } from '../../../protocol/index.ts';
import { commandName, isShell, shellScriptArgument, sshRemoteCommand, unwrapCommand } from './command-words.ts';
import type { ShellWord, SimpleCommand } from './shell-tree.ts';
import type { Finding } from './unattended.ts';

// A value is quoted once, for the step's own shell. A second shell (`sh -c`, `eval`, ssh's
// remote shell) would evaluate it again, so `{{x}}` there could run code.
export function findDoubleEvaluation(command: SimpleCommand): Finding[] {
  const findings: Finding[] = [];
  for (let current: SimpleCommand | undefined = command; current; current = unwrapCommand(current)) {
    findings.push(...findInCommand(current));
  }
  return findings;
}

function findInCommand(command: SimpleCommand): Finding[] {
  const name = commandName(command);
  if (name === 'eval') return withReferences(command.words.slice(1), 'eval', EVAL_HINT);
  if (name === 'ssh') {
    return [
      ...withReferences(sshRemoteCommand(command), 'ssh', SSH_HINT),
      ...withReferences(command.heredocs, 'ssh', SSH_HINT),
    ];
  }
  if (isShell(name) || name === 'su') {
    const script = shellScriptArgument(command);
    const findings = script ? withReferences([script], `${name} -c`, shellHint(name as string)) : [];
    if (!script && isShell(name))
      findings.push(...withReferences(command.heredocs, `${name} <<EOF`, shellHint(name as string)));
    return findings;
  }
  return [];
}

function withReferences(words: readonly ShellWord[], via: string, hint: (variable: string) => string): Finding[] {
  return words.flatMap((word) => {
    const reference = findVariableReferences(word.raw)[0];
    if (!reference) return [];
    return [
      {
        word,
        message: `{{${reference.name}}} is passed through \`${via}\`, which evaluates it a second time`,
        hint: hint(reference.name),
      },
    ];
  });
}

const EVAL_HINT = () => 'remove eval: run the command directly and the value stays data';
const SSH_HINT = (variable: string) =>
  `ssh hands its command to the remote shell, which would evaluate {{${variable}}}: set target="node" on the step instead`;
const shellHint = (shell: string) => (variable: string) =>
  `pass the value as an argument: ${shell} -c '… "$1" …' ${shell} {{${variable}}}`;
