import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { splitCommandLine } from '../../../common/shell/split-command-line.ts';

// What bash itself makes of a line: the argv it would pass, printed NUL-separated.
function bashArgv(line: string): string[] {
  const result = spawnSync('bash', ['-c', `set -f; printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return result.stdout.split('\0').slice(0, -1);
}

describe('splitCommandLine', () => {
  it.each([
    'etcdctl endpoint health',
    `etcdctl --endpoints=https://10.0.0.1:2379 \\\n  --cacert=/etc/kubernetes/pki/etcd/ca.crt snapshot save /var/lib/etcd/snap.db`,
    `echo 'single $quoted' "double \\"escaped\\" \\$x" x\\ y`,
    `a'b'"c"d`,
    `echo "" ''`,
    `echo key=value --flag=a=b`,
  ])('splits %j as bash does', (line) => {
    expect(splitCommandLine(line)).toEqual({ ok: true, argv: ['printf', ...bashArgv(line)].slice(1) });
  });

  it('keeps {{x}} references as written, inside or outside quotes', () => {
    expect(splitCommandLine(`etcdctl --cacert={{caFile}} get "{{key}}" {{prefix}}`)).toEqual({
      ok: true,
      argv: ['etcdctl', '--cacert={{caFile}}', 'get', '{{key}}', '{{prefix}}'],
    });
  });

  it.each([
    ['etcdctl get $KEY', /"\$" would be expanded/],
    ['etcdctl get "$KEY"', /"\$" would be expanded/],
    ['etcdctl get `id`', /"`" would be expanded/],
    ['etcdctl get a | head', /"\|" needs a shell/],
    ['etcdctl get a > out', /">" needs a shell/],
    ['etcdctl get a; rm -rf /', /";" needs a shell/],
    ['ls *.db', /"\*" would be a glob/],
    ['ETCDCTL_API=3 etcdctl get a', /variable assignment needs a shell/],
    ['ls ~/x', /"~" at the start of a word/],
    ['echo {a,b}', /brace expansion/],
    ["echo 'open", /single quote is not closed/],
    ['etcdctl get a\netcdctl get b', /one command line/],
    ['   ', /empty/],
  ])('refuses %j', (line, message) => {
    const result = splitCommandLine(line);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
