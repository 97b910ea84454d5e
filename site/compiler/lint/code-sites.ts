import { isShell, programName, readShellInvocation, readSshInvocation, scanOptions } from './command-words.ts';
import type { ShellWord, SimpleCommand } from './shell-tree.ts';

// Words whose text a shell (or eval-like builtin) parses as code, after the step's own shell
// has already expanded them.
export interface CodeSite {
  words: readonly ShellWord[];
  /** How the text reaches the second parser, shown between backticks: `sh -c`, `eval`. */
  via: string;
  /** True when the text reaches it on stdin (a heredoc, a here-string, a pipe). */
  stdin?: boolean;
  hint: (variable: string) => string;
}

// Builtins run only in command position, or behind these words.
const BUILTIN_PREFIXES = new Set(['command', 'builtin', 'time', 'noglob', 'nocorrect']);
const STDIN_FILES = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0', '-']);
const PARALLEL_VALUE_OPTIONS = new Set(
  (
    '-j --jobs -P --max-procs -S --sshlogin --slf --sshloginfile -N -n --max-args -L -l --max-lines -I -a ' +
    '--arg-file -C --colsep -d --delimiter --delay --timeout --tmpdir --workdir --wd --retries --joblog ' +
    '--results --res --env --tag-string --tagstring --halt --memfree --load --basefile --bf --transferfile ' +
    '--tf --return --ssh --sshdelay --block --recstart --recend --max-chars -s --nice --profile -J --id'
  ).split(' '),
);
const PARALLEL_INPUTS = /^::::?\+?$/;
// Programs that never run their arguments as a command: a shell's name among their words is data.
const NEVER_RUN_ARGUMENTS = new Set(
  (
    'grep egrep fgrep rg ag awk gawk mawk sed cut sort uniq wc tr head tail tee cat jq yq base64 echo printf ' +
    'test [ ls stat file apt apt-get yum dnf pip systemctl journalctl pgrep pkill etcdctl helm git man'
  ).split(' '),
);

// Where a command may name another program that runs: any word, unless the command is one
// that treats its arguments as data.
export function listProgramPositions(command: SimpleCommand): number[] {
  const first = programName(command.words[0]);
  if (first !== undefined && NEVER_RUN_ARGUMENTS.has(first)) return [0];
  return command.words.map((_, index) => index);
}

// The code sites that the word at `index` opens: a shell anywhere among the words (behind any
// wrapper: sudo, setsid, xargs, find -exec, kubectl exec …), or eval, trap, source, ssh, su,
// runuser, script, flock, watch, parallel and env -S.
export function findCodeSites(command: SimpleCommand, index: number): CodeSite[] {
  const { words } = command;
  const word = words[index];
  const name = programName(word) ?? shellNamedBy(word);
  if (name === undefined) return [];
  if (isShell(name)) return shellSites(command, index, name);
  if (isBuiltinAt(words, index)) {
    switch (word?.value) {
      case 'eval':
        return [{ words: words.slice(index + 1), via: 'eval', hint: EVAL_HINT }];
      case 'trap': {
        const { operand } = scanOptions(words, index + 1, () => false);
        return site(words[operand], 'trap', TRAP_HINT);
      }
      case 'source':
      case '.':
        return generatedTextSites(command, words[index + 1], word.value);
    }
  }
  switch (name) {
    case 'ssh':
      return sshSites(command, index);
    case 'su':
    case 'runuser':
      return site(
        commandOption(
          words,
          index,
          words.some((item) => item.value === '-u'),
        ),
        `${name} -c`,
        RUN_AS_HINT,
      );
    case 'script':
      return site(commandOption(words, index, true), 'script -c', SCRIPT_HINT);
    case 'flock':
      return flockSites(words, index);
    case 'watch':
      return watchSites(words, index);
    case 'parallel':
      return parallelSites(command, index);
    case 'env':
      return site(envSplitString(words, index), 'env -S', ENV_SPLIT_HINT);
    case 'at':
    case 'batch':
    case 'crontab':
      return readsFileOption(words, index)
        ? []
        : [{ words: command.stdinText ?? [], via: name, stdin: true, hint: STDIN_HINT }];
    default:
      return [];
  }
}

// `"$SHELL" -c …`, `$(command -v bash) -c …`: a shell named at run time.
function shellNamedBy(word: ShellWord | undefined): string | undefined {
  if (!word || word.value !== undefined) return undefined;
  if (/^"?\$\{?SHELL\}?"?$/.test(word.raw)) return 'sh';
  return /^"?\$\((?:command -v|which|type -P|type -p)\s+([\w./-]+)\)"?$/.exec(word.raw)?.[1]?.split('/').pop();
}

// `at -f FILE`, `crontab FILE`: the commands come from a file, not from stdin.
function readsFileOption(words: readonly ShellWord[], index: number): boolean {
  const rest = words.slice(index + 1).map((word) => word.value ?? '');
  if (programName(words[index]) === 'crontab')
    return (
      rest.some((value) => value !== '-' && !value.startsWith('-')) ||
      rest.some((value) => /^-[A-Za-z]*[lre]/.test(value))
    );
  return rest.some((value) => /^-[A-Za-z]*f/.test(value) || /^-[A-Za-z]*[lcdr]$/.test(value));
}

function site(word: ShellWord | undefined, via: string, hint: CodeSite['hint']): CodeSite[] {
  return word ? [{ words: [word], via, hint }] : [];
}

function isBuiltinAt(words: readonly ShellWord[], index: number): boolean {
  return words
    .slice(0, index)
    .every((word) => word.value !== undefined && (BUILTIN_PREFIXES.has(word.value) || word.value.startsWith('-')));
}

function shellSites(command: SimpleCommand, index: number, name: string): CodeSite[] {
  const invocation = readShellInvocation(command.words, index);
  if (invocation.script) return site(invocation.script, `${name} -c`, shellHint(name));
  if (invocation.scriptFile) return generatedTextSites(command, invocation.scriptFile, name);
  return [{ words: command.stdinText ?? command.heredocs, via: name, stdin: true, hint: STDIN_HINT }];
}

// `source <(…)`, `bash /dev/stdin <<< …`: a script file that is text the step generates.
function generatedTextSites(command: SimpleCommand, file: ShellWord | undefined, via: string): CodeSite[] {
  if (!file) return [];
  if (file.raw.startsWith('<(')) return site(file, `${via} <(…)`, STDIN_HINT);
  if (file.value !== undefined && STDIN_FILES.has(file.value))
    return [{ words: command.stdinText ?? [], via: `${via} ${file.value}`, stdin: true, hint: STDIN_HINT }];
  return [];
}

function sshSites(command: SimpleCommand, index: number): CodeSite[] {
  const { host, remote, commandOptions } = readSshInvocation(command.words, index);
  if (!host) return [];
  return [
    { words: commandOptions, via: 'ssh -o …Command', hint: SSH_OPTION_HINT },
    ...(remote.length > 0
      ? [{ words: remote, via: 'ssh', hint: SSH_HINT }]
      : [{ words: command.stdinText ?? command.heredocs, via: 'ssh', stdin: true, hint: SSH_HINT }]),
  ];
}

// The command of `-c CMD`, `-qec CMD`, `-cCMD`, `--command CMD` or `--command=CMD` (su, runuser,
// script); with `untilSeparator`, options end at `--`.
function commandOption(words: readonly ShellWord[], index: number, untilSeparator: boolean): ShellWord | undefined {
  for (let at = index + 1; at < words.length; at++) {
    const value = words[at]?.value ?? '';
    if (value === '--' && untilSeparator) return undefined;
    if (/^--(?:session-)?command=/.test(value)) return words[at];
    if (value === '--command' || value === '--session-command') return words[at + 1];
    const short = /^-[A-Za-z]*c(.*)$/.exec(value);
    if (short && !value.startsWith('--')) return short[1] === '' ? words[at + 1] : words[at];
  }
  return undefined;
}

// `flock [options] FILE -c COMMAND`.
function flockSites(words: readonly ShellWord[], index: number): CodeSite[] {
  const { operand } = scanOptions(words, index + 1, (option) => ['-w', '--timeout', '-E'].includes(option));
  const next = words[operand + 1]?.value;
  if (next !== '-c' && next !== '--command') return [];
  return site(words[operand + 2], 'flock -c', RUN_AS_HINT);
}

// watch joins its command's words and runs them with `sh -c`, unless -x.
function watchSites(words: readonly ShellWord[], index: number): CodeSite[] {
  const { options, operand } = scanOptions(words, index + 1, (option) =>
    ['-n', '--interval', '-q', '--equexit'].includes(option),
  );
  if (options.some((option) => option === '--exec' || /^-[A-Za-z]*x/.test(option))) return [];
  return [{ words: words.slice(operand), via: 'watch', hint: WATCH_HINT }];
}

// GNU parallel runs its command through a shell (unless -q); with no command, each input is one.
function parallelSites(command: SimpleCommand, index: number): CodeSite[] {
  const { words } = command;
  const { options, operand } = scanOptions(words, index + 1, (option) => PARALLEL_VALUE_OPTIONS.has(option));
  if (options.some((option) => option === '--quote' || /^-[A-Za-z]*q/.test(option))) return [];
  const inputs = words.findIndex((word, at) => at >= operand && PARALLEL_INPUTS.test(word.value ?? ''));
  const commandWords = words.slice(operand, inputs === -1 ? words.length : inputs);
  if (commandWords.length > 0) return [{ words: commandWords, via: 'parallel', hint: PARALLEL_HINT }];
  const fromArguments =
    inputs === -1 ? [] : words.slice(inputs).filter((word) => !PARALLEL_INPUTS.test(word.value ?? ''));
  return [
    { words: fromArguments, via: 'parallel', hint: PARALLEL_HINT },
    { words: command.stdinText ?? [], via: 'parallel', stdin: true, hint: PARALLEL_HINT },
  ];
}

function envSplitString(words: readonly ShellWord[], index: number): ShellWord | undefined {
  for (let at = index + 1; at < words.length; at++) {
    const value = words[at]?.value ?? words[at]?.raw ?? '';
    if (value === '-S' || value === '--split-string') return words[at + 1];
    if (/^-[A-Za-z]*S./.test(value) || value.startsWith('--split-string=')) return words[at];
    if (!value.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) return undefined;
    if (value === '-u' || value === '--unset' || value === '-C' || value === '--chdir') at++;
  }
  return undefined;
}

const shellHint = (shell: string) => (variable: string) =>
  `pass the value as an argument, \`${shell} -c '… "$1" …' _ {{${variable}}}\`, or in the environment, \`V={{${variable}}} ${shell} -c '… "$V" …'\``;
const EVAL_HINT = () => 'remove eval: run the command directly and the value stays data';
const TRAP_HINT = (variable: string) =>
  `keep the handler in single quotes and read the value from a variable: \`v={{${variable}}}; trap 'rm -f -- "$v"' EXIT\``;
const STDIN_HINT = (variable: string) =>
  `write the commands in the step itself and use {{${variable}}} there, or pass it as an argument: \`sh -c '… "$1" …' _ {{${variable}}}\``;
const SSH_HINT = (variable: string) =>
  `ssh hands its command to the remote shell, which would evaluate {{${variable}}}: set target="node" on the step instead`;
const SSH_OPTION_HINT = () => 'ssh runs this option with a shell: set the command in ~/.ssh/config, without the value';
const RUN_AS_HINT = (variable: string) =>
  `run the command directly so the value stays an argument: \`runuser -u USER -- cmd {{${variable}}}\`, \`sudo -u USER cmd {{${variable}}}\` or \`flock FILE cmd {{${variable}}}\``;
const SCRIPT_HINT = (variable: string) =>
  `script runs its command with a shell: pass the value in the environment, \`V={{${variable}}} script -qec 'cmd "$V"' /dev/null\``;
const WATCH_HINT = () => 'run the command once and add <Check wait="5m" …/> to poll until it holds';
const PARALLEL_HINT = (variable: string) =>
  `quote the command with \`parallel -q\`, or pass {{${variable}}} as an input after :::`;
const ENV_SPLIT_HINT = () => 'write the words separately instead of one `env -S` string';
