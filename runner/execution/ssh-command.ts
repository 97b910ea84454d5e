import { type RenderedScript, VARIABLE_PREFIX } from './render-script.ts';

// The operator's OpenSSH client, never asking anything (no password prompt, no unknown host
// key), no TTY, running bash that reads its program from stdin. Host and user come from the
// manifest; "--" keeps a host from being read as an option.
export function sshArgv(target: { host: string; user?: string | undefined }): string[] {
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
    'bash --noprofile --norc -s',
  ];
}

// What `bash -s` reads: a first line that reads the NUL-separated values from stdin (bash reads
// a script on stdin byte by byte, so the values that follow it are still there), the values,
// then the script in a group whose stdin is /dev/null, so nothing it runs eats the script.
export function sshInput(rendered: RenderedScript, values: ReadonlyMap<string, string>): Buffer {
  const reads = rendered.variables.map((name) => `IFS= read -r -d '' ${VARIABLE_PREFIX}${name}`);
  const first = ['set -o errexit -o pipefail', ...reads].join('; ');
  const payload = rendered.variables.map((name) => `${values.get(name) ?? ''}\0`).join('');
  return Buffer.from(`${first}\n${payload}{\n${rendered.script}\n} </dev/null\n`, 'utf8');
}
