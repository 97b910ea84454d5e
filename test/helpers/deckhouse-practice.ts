import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { NodeLayout } from '../../practice/layout.ts';
import { nodeShellCommand } from '../../practice/node/node-shell.ts';
import { tempDir } from './run-script.ts';
import type { FixtureCluster } from './runbook-drill.ts';

/** Deckhouse's etcdctl flags: the etcd CA's own certificate and key as the client's. */
export const DECKHOUSE_ETCD_TLS = [
  '--cacert',
  '/etc/kubernetes/pki/etcd/ca.crt',
  '--cert',
  '/etc/kubernetes/pki/etcd/ca.crt',
  '--key',
  '/etc/kubernetes/pki/etcd/ca.key',
];

// `d8 k` is Deckhouse's kubectl; the practice cluster has no d8, so its `k` is put first on PATH.
export async function installD8Shim(): Promise<void> {
  const bin = await tempDir('drillbook-d8-');
  await writeFile(
    path.join(bin, 'd8'),
    '#!/bin/sh\nif [ "$1" = k ]; then shift; exec kubectl "$@"; fi\necho "d8 $1: not on the practice cluster" >&2\nexit 1\n',
  );
  await chmod(path.join(bin, 'd8'), 0o755);
  process.env.PATH = `${bin}:${process.env.PATH}`;
}

// Helpers bound to one fixture cluster: a node's layout, its shell, and etcdctl in its member pod.
export function deckhouseNodes(practice: () => FixtureCluster) {
  const node = (name: string) => practice().cluster.layout.nodes.find((item) => item.name === name) as NodeLayout;
  const onNode = async (name: string, argv: string[]) => {
    const shell = await nodeShellCommand(node(name), argv);
    return execa(shell.file, shell.args, { reject: false });
  };
  /** etcdctl inside a member's pod, against that member's own address. */
  const etcdctlIn = (member: string, args: string[]) =>
    practice().cluster.kubectlOk([
      'exec',
      '-n',
      'kube-system',
      `etcd-${member}`,
      '--',
      'etcdctl',
      ...DECKHOUSE_ETCD_TLS,
      '--endpoints',
      node(member).etcd.clientUrl,
      ...args,
    ]);
  return { node, onNode, etcdctlIn };
}
