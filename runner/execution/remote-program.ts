import { type RenderedScript, VARIABLE_PREFIX } from './render-script.ts';

// Picks bash when the container has it (authors write bash), the container's sh otherwise; the
// program is an argument of this fixed launcher, never part of its text.
const LAUNCHER =
  'if command -v bash >/dev/null 2>&1; then exec bash --noprofile --norc -c "$1" drillbook-step; fi; exec sh -c "$1" drillbook-step';

// The argv of a step run somewhere else (a container, a node): sh runs the launcher, which runs
// the program. The values are not in it: they come on stdin (remoteValues).
export function remoteCommand(rendered: RenderedScript): string[] {
  return ['sh', '-c', LAUNCHER, 'drillbook-launch', remoteProgram(rendered)];
}

// Like withPrologue, for a shell that may not be bash: each value is one stdin line of octal
// escapes, which printf %b turns back into its bytes (a POSIX shell cannot read NUL-separated
// data). A value is only ever printf's data, never shell text.
// The script then runs in the background with stdin /dev/null, while a watcher reads the rest of
// stdin: when it ends (the client closed stdin on Cancel, or went away) the watcher kills the
// script, since closing an exec stream does not always end what it started. Under bash both get
// their own process group: the script's is what the watcher kills, and the watcher's outlives a
// runtime that kills the exec's group without its stdin having ended first. The script writes to
// the shell's stderr as it was (fd 5 keeps it while the shell's own goes to /dev/null).
export function remoteProgram(rendered: RenderedScript): string {
  const reads = rendered.variables.map((name) => {
    const variable = `${VARIABLE_PREFIX}${name}`;
    return `IFS= read -r drillbook_line; ${variable}=$(printf '%b' "$drillbook_line"; printf x); ${variable}=\${${variable}%x}`;
  });
  const kill = `kill -TERM -"$drillbook_job" 2>/dev/null || { pkill -TERM -P "$drillbook_job"; kill -TERM "$drillbook_job"; }`;
  const prologue = [
    'set -o errexit',
    '(set -o pipefail) 2>/dev/null && set -o pipefail',
    ...reads,
    'unset drillbook_line',
    'exec 4<&0 0</dev/null 5>&2',
    // Job control's "[1] Done" notices go to the shell's own stderr: /dev/null while it is on.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, expanded by the remote shell.
    '[ -z "${BASH_VERSION-}" ] || { set -m; exec 2>/dev/null; }',
  ];
  // The script shares line 1 with the prologue, so line numbers match the author's.
  return [
    `${prologue.join('; ')}; { ${rendered.script}`,
    '} 4<&- 2>&5 5>&- &',
    'drillbook_job=$!',
    `{ while IFS= read -r drillbook_line; do :; done; ${kill}; } <&4 >/dev/null 2>&1 5>&- &`,
    'drillbook_watcher=$!',
    'set +m',
    'exec 2>&5 5>&- 4<&-',
    'wait "$drillbook_job" && drillbook_status=0 || drillbook_status=$?',
    'kill "$drillbook_watcher" 2>/dev/null || true',
    'exit "$drillbook_status"',
  ].join('\n');
}

export function encodeRemoteValues(variables: readonly string[], values: ReadonlyMap<string, string>): Buffer {
  const lines = variables.map((name) => {
    const bytes = Buffer.from(values.get(name) ?? '', 'utf8');
    return `${[...bytes].map((byte) => `\\0${byte.toString(8).padStart(3, '0')}`).join('')}\n`;
  });
  return Buffer.from(lines.join(''), 'ascii');
}
