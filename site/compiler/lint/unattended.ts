import {
  commandName,
  hasFlag,
  indexOfSeparator,
  isShell,
  kubectlArguments,
  kubectlSubcommand,
  readShellInvocation,
  scanOptions,
  sshRemoteCommand,
} from './command-words.ts';
import type { ShellWord, SimpleCommand } from './shell-tree.ts';

export interface Finding {
  word: ShellWord;
  message: string;
  hint: string;
}

const SCREEN_PROGRAMS = new Set(['vi', 'vim', 'nvim', 'nano', 'emacs', 'less', 'more', 'top', 'htop', 'watch', 'mc']);
const NEVER_ENDING_KUBECTL = new Set(['attach', 'port-forward', 'proxy', 'edit']);

// A step runs with stdin closed and no terminal; these commands would hang or fail there.
export function findInteractiveUse(command: SimpleCommand): Finding | undefined {
  const name = commandName(command);
  const first = command.words[0];
  if (!first || name === undefined) return undefined;
  const kubectl = kubectlArguments(command);
  if (kubectl) return findKubectlProblem(kubectl, first, command.stdinFed === true);
  const args = command.words.slice(1);
  if (name === 'read' && !command.stdinFed) {
    return {
      word: first,
      message: '`read` waits for input, and a step has no stdin',
      hint: 'ask for the value with a <Param> or a <Manual value="…"> and use {{name}}',
    };
  }
  if (SCREEN_PROGRAMS.has(name)) {
    return {
      word: first,
      message: `\`${name}\` needs a terminal and never finishes on its own`,
      hint:
        name === 'watch'
          ? 'run the command once and add <Check wait="5m" …/> to poll until it holds'
          : 'print with cat, or make the edit a <Manual> step',
    };
  }
  if ((name === 'tail' || name === 'journalctl') && hasFlag(args, ['--follow'], ['f', 'F'])) {
    return {
      word: first,
      message: `\`${name} -f\` follows output forever`,
      hint: 'print a bounded excerpt instead, for example `tail -n 100` or `journalctl -n 100 --no-pager`',
    };
  }
  if (name === 'etcdctl' && args.some((word) => word.value === 'watch')) {
    return { word: first, message: '`etcdctl watch` never ends', hint: 'read the key once with `etcdctl get`' };
  }
  if (name === 'ssh') return findSshProblem(command, first);
  if ((name === 'docker' || name === 'crictl') && hasFlag(args, ['--tty', '--interactive'], ['t', 'i'])) {
    return ttyFinding(first, name);
  }
  if ((name === 'sudo' && opensSudoShell(args)) || (name === 'su' && !hasFlag(args, ['--command'], ['c']))) {
    return {
      word: first,
      message: `\`${name}\` without a command opens an interactive shell`,
      hint: `give ${name} the command to run, or start the runner as the user the step needs`,
    };
  }
  if (isShell(name)) {
    if (hasFlag(args, ['--interactive'], ['i'])) return ttyFinding(first, name);
    if (readShellInvocation(command.words, 0).readsStdin && !command.stdinFed) {
      return {
        word: first,
        message: `\`${name}\` with no script waits for input`,
        hint: 'write the commands in the step itself',
      };
    }
  }
  return undefined;
}

const SUDO_VALUE_OPTIONS = new Set(['-u', '-g', '-p', '-U', '-C', '-D', '-h', '-r', '-t', '-T']);

// `sudo -i`/`sudo -s` start a shell; they wait for input only when no command follows.
function opensSudoShell(args: ShellWord[]): boolean {
  const { options, operand } = scanOptions(args, 0, (option) => SUDO_VALUE_OPTIONS.has(option));
  const shellOption = options.some(
    (option) => option === '--login' || option === '--shell' || /^-[A-Za-z]*[is]/.test(option),
  );
  return shellOption && operand >= args.length;
}

function findKubectlProblem(args: ShellWord[], first: ShellWord, stdinFed: boolean): Finding | undefined {
  const subcommand = kubectlSubcommand(args);
  if (hasFlag(args, ['--watch', '--watch-only'], subcommand === 'get' || subcommand === 'rollout' ? ['w'] : [])) {
    return {
      word: first,
      message: `\`${first.value} ${subcommand} --watch\` never ends`,
      hint: 'drop -w and add <Check wait="5m" …/> to the step: the runner polls until the condition holds',
    };
  }
  // -t needs a terminal; -i alone is fine when the script feeds stdin (a pipe or a heredoc).
  const interactiveFlags = stdinFed
    ? { long: ['--tty'], short: ['t'] }
    : { long: ['--tty', '--stdin'], short: ['t', 'i'] };
  if (
    ['exec', 'run', 'debug', 'attach'].includes(subcommand) &&
    hasFlag(args, interactiveFlags.long, interactiveFlags.short)
  ) {
    return ttyFinding(first, `${first.value} ${subcommand}`);
  }
  if (subcommand === 'logs' && hasFlag(args, ['--follow'], ['f'])) {
    return {
      word: first,
      message: `\`${first.value} logs -f\` follows the log for as long as the pod runs`,
      hint: 'print a bounded excerpt instead, for example `--tail=200`',
    };
  }
  if (NEVER_ENDING_KUBECTL.has(subcommand)) {
    return {
      word: first,
      message: `\`${first.value} ${subcommand}\` ${subcommand === 'edit' ? 'opens an editor' : 'never ends on its own'}`,
      hint:
        subcommand === 'edit'
          ? 'use `kubectl patch` or `kubectl apply`, or a <Manual> step'
          : 'use a command that finishes',
    };
  }
  const separator = indexOfSeparator(args);
  if ((subcommand === 'debug' || subcommand === 'rsh') && separator === args.length) {
    return {
      word: first,
      message: `\`${first.value} ${subcommand}\` without a command opens an interactive shell`,
      hint: `pass the command after --, for example \`${first.value} ${subcommand} node/NAME -- chroot /host …\``,
    };
  }
  return undefined;
}

function findSshProblem(command: SimpleCommand, first: ShellWord): Finding | undefined {
  const args = command.words.slice(1);
  if (hasFlag(args, [], ['t'])) return ttyFinding(first, 'ssh');
  if (sshRemoteCommand(command).length === 0 && command.heredocs.length === 0) {
    return {
      word: first,
      message: '`ssh` without a command opens an interactive login',
      hint: 'give ssh the command to run, or set target="node" on the step',
    };
  }
  return undefined;
}

function ttyFinding(first: ShellWord, what: string): Finding {
  return {
    word: first,
    message: `\`${what}\` asks for a terminal (-t/-i), and a step has none`,
    hint: 'drop -i/-t: the runner captures output without a terminal',
  };
}
