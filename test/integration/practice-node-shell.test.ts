import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { practiceLayout } from '../../practice/layout.ts';
import { nodeShellCommand } from '../../practice/node/node-shell.ts';
import { tempDir } from '../helpers/run-script.ts';

const onNode = async (node: Parameters<typeof nodeShellCommand>[0], argv: string[]) => {
  const shell = await nodeShellCommand(node, argv);
  return execa(shell.file, shell.args, { reject: false });
};

describe('a node shell (needs root, as npm test runs in CI)', () => {
  it("shows the node's kubeadm paths, keeps its writes in the node and never touches the host", async () => {
    const layout = practiceLayout(await tempDir('drillbook-node-'));
    const [first, second] = layout.nodes as [(typeof layout.nodes)[0], (typeof layout.nodes)[0]];
    const manifests = path.join(first.root, 'etc/kubernetes/manifests');
    await mkdir(manifests, { recursive: true });
    await writeFile(path.join(manifests, 'etcd.yaml'), 'kind: Pod\n');
    const hostHadKubernetes = existsSync('/etc/kubernetes');
    const hostHadMarker = existsSync('/etc/drillbook-node-marker');

    const read = await onNode(first, ['cat', '/etc/kubernetes/manifests/etcd.yaml']);
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stdout).toBe('kind: Pod');

    const moved = await onNode(first, [
      'sh',
      '-c',
      'mv /etc/kubernetes/manifests/etcd.yaml /etc/kubernetes/etcd.yaml && touch /etc/drillbook-node-marker',
    ]);
    expect(moved.exitCode, moved.stderr).toBe(0);
    expect(existsSync(path.join(manifests, 'etcd.yaml'))).toBe(false);
    expect(await readFile(path.join(first.root, 'etc/kubernetes/etcd.yaml'), 'utf8')).toBe('kind: Pod\n');
    expect(existsSync(path.join(first.root, 'etc/drillbook-node-marker'))).toBe(true);
    expect(existsSync('/etc/kubernetes')).toBe(hostHadKubernetes);
    expect(existsSync('/etc/drillbook-node-marker')).toBe(hostHadMarker);

    const other = await onNode(second, ['ls', '/etc/kubernetes/etcd.yaml']);
    expect(other.exitCode).not.toBe(0);
    const named = await onNode(second, ['sh', '-c', 'echo "$DRILLBOOK_NODE"']);
    expect(named.stdout).toBe('cp-2');
  });

  it('passes arguments as data, never as shell text', async () => {
    const layout = practiceLayout(await tempDir('drillbook-node-'));
    const dir = await tempDir('drillbook-node-arg-');
    const hostile = `$(touch ${dir}/pwned) ; touch ${dir}/pwned2 "'`;
    const echoed = await onNode(layout.nodes[0] as (typeof layout.nodes)[0], ['printf', '%s', hostile]);
    expect(echoed.exitCode, echoed.stderr).toBe(0);
    expect(echoed.stdout).toBe(hostile);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
    expect(existsSync(path.join(dir, 'pwned2'))).toBe(false);
  });

  it("answers the node's name to hostname and has sudo, which runs as root on RHEL's secure_path", async () => {
    const layout = practiceLayout(await tempDir('drillbook-node-'));
    const node = (layout.nodes as [(typeof layout.nodes)[0]])[0];
    const hostName = (await execa('hostname')).stdout;
    const result = await onNode(node, [
      'bash',
      '-c',
      'hostname; sudo -n id -u; sudo -n -E -- sh -c \'echo "$PATH"\'; sudo -n -u nobody true || echo refused',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toEqual([node.name, '0', '/sbin:/bin:/usr/sbin:/usr/bin', 'refused']);
    expect((await execa('hostname')).stdout).toBe(hostName);
  });
});
