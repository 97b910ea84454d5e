import type { ShellWord, SimpleCommand } from './shell-tree.ts';

const SHELL_NAME = /^(?:sh|bash|rbash|dash|zsh|ksh|ksh93|mksh|pdksh|oksh|lksh|ash|yash|posh|csh|tcsh|fish)[-.\d]*$/;
// Long shell options that take the next word (bash, zsh).
const SHELL_VALUE_OPTIONS = new Set(['--rcfile', '--init-file', '--emulate']);
const KUBECTL_LIKE = new Set(['kubectl', 'oc']);
// kubectl's global options that take the next word as their value (`kubectl options`); oc
// shares them and adds --loglevel.
const KUBECTL_VALUE_OPTIONS = new Set([
  '--as',
  '--as-group',
  '--as-uid',
  '--cache-dir',
  '--certificate-authority',
  '--client-certificate',
  '--client-key',
  '--cluster',
  '--context',
  '--kubeconfig',
  '--log-flush-frequency',
  '-n',
  '--namespace',
  '--password',
  '--profile',
  '--profile-output',
  '--request-timeout',
  '-s',
  '--server',
  '--tls-server-name',
  '--token',
  '--user',
  '--username',
  '-v',
  '--v',
  '--vmodule',
  '--loglevel',
]);
// ssh options that take a value (OpenSSH ssh(1)).
const SSH_VALUE_OPTIONS = new Set('BbcDEeFIiJLlmOoPpQRSWw'.split(''));
// ssh_config(5) options whose value ssh runs with the user's shell.
const SSH_COMMAND_OPTION = /^\s*(?:ProxyCommand|LocalCommand|RemoteCommand|KnownHostsCommand)\s*[=\s]/i;

export function commandName(command: SimpleCommand): string | undefined {
  return programName(command.words[0]);
}

// The program a word names, without its directory: `/usr/bin/bash` → `bash`.
export function programName(word: ShellWord | undefined): string | undefined {
  return word?.value?.split('/').pop();
}

export function isShell(name: string | undefined): boolean {
  return name !== undefined && SHELL_NAME.test(name);
}

// `d8 k` (Deckhouse) and `oc` behave as kubectl.
export function kubectlArguments(command: SimpleCommand): ShellWord[] | undefined {
  const name = commandName(command);
  if (name !== undefined && KUBECTL_LIKE.has(name)) return command.words.slice(1);
  if (name === 'd8' && command.words[1]?.value === 'k') return command.words.slice(2);
  return undefined;
}

// The subcommand after kubectl's global options, which may take a separate value (`-n ns exec`).
export function kubectlSubcommand(args: readonly ShellWord[]): string {
  const { operand } = scanOptions(args, 0, (option) => KUBECTL_VALUE_OPTIONS.has(option));
  return args[operand]?.value ?? '';
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
    if (!value.startsWith('-') || value === '-') break;
    options.push(value);
    index += takesValue(value) ? 2 : 1;
  }
  return { options, operand: index };
}

export interface SshInvocation {
  host: ShellWord | undefined;
  /** The words ssh sends to the remote shell (empty for an interactive login). */
  remote: ShellWord[];
  /** `-o ProxyCommand=…` and the like, which ssh runs with the local shell. */
  commandOptions: ShellWord[];
}

// Reads the ssh invocation named at `words[at]`.
export function readSshInvocation(words: readonly ShellWord[], at: number): SshInvocation {
  const commandOptions: ShellWord[] = [];
  let index = at + 1;
  for (; index < words.length; index++) {
    const value = words[index]?.value ?? '';
    if (value === '--') {
      index++;
      break;
    }
    if (!/^-[A-Za-z0-9]/.test(value)) break;
    const valueAt = [...value.slice(1)].findIndex((letter) => SSH_VALUE_OPTIONS.has(letter));
    if (valueAt === -1) continue;
    const attached = value.slice(valueAt + 2);
    const optionValue = attached === '' ? words[++index] : words[index];
    const text = attached === '' ? (optionValue?.value ?? optionValue?.raw ?? '') : attached;
    if (value[valueAt + 1] === 'o' && optionValue && SSH_COMMAND_OPTION.test(text.replace(/^["']/, '')))
      commandOptions.push(optionValue);
  }
  return { host: words[index], remote: words.slice(index + 1), commandOptions };
}

// The words an ssh command sends to the remote shell (empty for an interactive login).
export function sshRemoteCommand(command: SimpleCommand): ShellWord[] {
  return readSshInvocation(command.words, 0).remote;
}

export interface ShellInvocation {
  /** The script of `sh -c SCRIPT`. */
  script?: ShellWord;
  /** The file of `sh FILE`, which may be generated text: `<(…)`, `/dev/stdin`. */
  scriptFile?: ShellWord;
  /** True when the shell reads its script from stdin (`sh`, `sh -s`). */
  readsStdin: boolean;
}

// How the shell named at `words[at]` gets its script: options first (`-o`/`-O` take a value;
// `-c` and `-s` count anywhere in a group such as `-ec`), then the script or its file.
export function readShellInvocation(words: readonly ShellWord[], at: number): ShellInvocation {
  let readsCommand = false;
  let readsStdin = false;
  let index = at + 1;
  for (; index < words.length; index++) {
    const value = words[index]?.value;
    if (value === undefined) break;
    if (value === '--' || value === '-') {
      index++;
      break;
    }
    if (SHELL_VALUE_OPTIONS.has(value)) {
      index++;
      continue;
    }
    if (value.startsWith('--')) continue;
    if (!/^[-+][A-Za-z]+$/.test(value)) break;
    const letters = value.slice(1);
    if (value.startsWith('-') && letters.includes('c')) readsCommand = true;
    if (value.startsWith('-') && letters.includes('s')) readsStdin = true;
    index += [...letters].filter((letter) => letter === 'o' || letter === 'O').length;
  }
  const operand = words[index];
  if (readsCommand) return operand ? { script: operand, readsStdin: false } : { readsStdin: false };
  if (readsStdin || !operand) return { readsStdin: true };
  return { scriptFile: operand, readsStdin: false };
}
