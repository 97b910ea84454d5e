import { remoteCommand } from './remote-program.ts';
import type { RenderedScript } from './render-script.ts';

// The operator's OpenSSH client, never asking anything (no password prompt, no unknown host
// key), no TTY, running the same launcher a pod step runs (remote-program.ts): its argv, quoted
// for the remote login shell, holds the script but never a value; the values come on stdin.
// Host and user come from the manifest; "--" keeps a host from being read as an option.
export function sshArgv(target: { host: string; user?: string | undefined }, rendered: RenderedScript): string[] {
  return [
    'ssh',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-T',
    ...(target.user === undefined ? [] : ['-l', target.user]),
    '--',
    target.host,
    remoteCommand(rendered).map(quoteForShell).join(' '),
  ];
}

// The local program that runs ssh: its stdin is the values, then stays open until the step ends
// (a sleeper the runner's cleanup ends with the step), so the remote watcher sees stdin close
// exactly when ssh goes away: on Cancel or a timeout, the remote script is killed too, although
// sshd sends no SIGHUP to a command without a TTY.
export const SSH_LAUNCH = 'exec "$@" < <(cat <&3; exec sleep 2147483647 3<&- 2>/dev/null) 3<&-';

function quoteForShell(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
