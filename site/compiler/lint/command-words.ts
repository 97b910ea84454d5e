import type { ShellWord, SimpleCommand } from './shell-tree.ts';

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);
const KUBECTL_LIKE = new Set(['kubectl', 'oc']);
// ssh options that take a value (OpenSSH ssh(1)).
const SSH_VALUE_OPTIONS = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));

export function commandName(command: SimpleCommand): string | undefined {
  const value = command.words[0]?.value;
  return value?.split('/').pop();
}

export function isShell(name: string | undefined): boolean {
  return name !== undefined && SHELLS.has(name);
}

// `d8 k` (Deckhouse) and `oc` behave as kubectl.
export function kubectlArguments(command: SimpleCommand): ShellWord[] | undefined {
  const name = commandName(command);
  if (name !== undefined && KUBECTL_LIKE.has(name)) return command.words.slice(1);
  if (name === 'd8' && command.words[1]?.value === 'k') return command.words.slice(2);
  return undefined;
}

export function hasFlag(words: readonly ShellWord[], long: readonly string[], short: readonly string[]): boolean {
  const untilSeparator = words.slice(0, indexOfSeparator(words));
  return untilSeparator.some(({ value }) => {
    if (value === undefined) return false;
    if (long.some((flag) => value === flag || (value.startsWith(`${flag}=`) && !value.endsWith('=false')))) return true;
    if (!/^-[A-Za-z]+$/.test(value)) return false;
    return short.some((flag) => value.slice(1).includes(flag));
  });
}

export function indexOfSeparator(words: readonly ShellWord[]): number {
  const index = words.findIndex((word) => word.value === '--');
  return index === -1 ? words.length : index;
}

// The command another command runs for it (`sudo X`, `kubectl exec … -- X`, `oc debug … -- X`),
// so the rules can look inside wrappers.
export function unwrapCommand(command: SimpleCommand): SimpleCommand | undefined {
  const name = commandName(command);
  const words = command.words;
  const rest = (start: number): SimpleCommand | undefined =>
    start > 0 && start < words.length ? { words: words.slice(start), heredocs: command.heredocs } : undefined;
  const kubectl = kubectlArguments(command);
  if (kubectl) {
    const separator = words.findIndex((word) => word.value === '--');
    return separator === -1 ? undefined : rest(separator + 1);
  }
  switch (name) {
    case 'sudo':
    case 'nohup':
    case 'nice':
    case 'xargs':
    case 'env':
      return rest(firstOperand(words, 1, (value) => name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(value)));
    case 'timeout':
      return rest(firstOperand(words, 1) + 1);
    case 'chroot':
      return rest(firstOperand(words, 1) + 1);
    case 'crictl':
    case 'docker':
      return words[1]?.value === 'exec' ? rest(firstOperand(words, 2) + 1) : undefined;
    default:
      return undefined;
  }
}

function firstOperand(words: readonly ShellWord[], from: number, alsoSkip?: (value: string) => boolean): number {
  let index = from;
  while (index < words.length) {
    const value = words[index]?.value ?? '';
    if (value === '--') return index + 1;
    if (!value.startsWith('-') && !alsoSkip?.(value)) return index;
    index++;
  }
  return index;
}

// Reads the options that start `words` (from `start`), skipping the value of each option in
// `takesValue`; returns them and the index of the first operand.
export function scanOptions(
  words: readonly ShellWord[],
  start: number,
  takesValue: (option: string) => boolean,
): { options: string[]; operand: number } {
  const options: string[] = [];
  let index = start;
  while (index < words.length) {
    const value = words[index]?.value ?? '';
    if (value === '--') return { options, operand: index + 1 };
    if (!value.startsWith('-')) break;
    options.push(value);
    index += takesValue(value) ? 2 : 1;
  }
  return { options, operand: index };
}

// The words an ssh invocation sends to the remote shell (empty for an interactive login).
export function sshRemoteCommand(command: SimpleCommand): ShellWord[] {
  const { operand } = scanOptions(
    command.words,
    1,
    (option) => option.length === 2 && SSH_VALUE_OPTIONS.has(option[1] as string),
  );
  return command.words.slice(operand + 1);
}

// For `sh -c SCRIPT args…` (and `su USER -c COMMAND`), the SCRIPT word.
export function shellScriptArgument(command: SimpleCommand): ShellWord | undefined {
  const words = command.words;
  if (commandName(command) === 'su') {
    const index = words.findIndex((word) => word.value === '-c' || word.value === '--command');
    return index === -1 ? undefined : words[index + 1];
  }
  for (let index = 1; index < words.length; index++) {
    const value = words[index]?.value;
    if (value === undefined || !value.startsWith('-')) return undefined;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(value)) return words[index + 1];
    if (value === '-o' || value === '+o') index++;
  }
  return undefined;
}
