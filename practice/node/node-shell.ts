import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PracticeError } from '../errors.ts';
import type { NodeLayout } from '../layout.ts';
import { isNodeNetworkUp, namespacePath } from '../network/node-network.ts';

/** Host folders a node shell sees through the node's root: writes land in the node, never on the host. */
export const NODE_OVERLAID_DIRS = ['/etc', '/var/lib', '/var/log'] as const;

/** What a kubeadm node has and this machine may not: `sudo` (bin/sudo) and `crictl` (crictl/crictl.ts). */
export const NODE_TOOLS_DIR = path.join(import.meta.dirname, 'bin');

export interface NodeShellCommand {
  file: string;
  args: string[];
}

// The command that runs argv "on" a practice node: a private mount namespace in which /etc,
// /var/lib and /var/log are overlays whose upper layer is the node's root folder, so
// /etc/kubernetes/manifests, /etc/kubernetes/pki and /var/lib/etcd are the node's, anything the
// command writes there stays in the node, and the host's own /etc and /var are never changed. The
// node's network namespace makes 127.0.0.1 the node's own loopback (network/node-network.ts). Its
// own UTS namespace gives `hostname` the node's name, and the node's own tools (sudo, crictl)
// come first on PATH. The argv is passed as arguments to a fixed script, never spliced into shell text.
export async function nodeShellCommand(node: NodeLayout, argv: string[]): Promise<NodeShellCommand> {
  if (process.getuid?.() !== 0) {
    throw new PracticeError(
      'NODE_SHELL_NEEDS_ROOT',
      'a node shell needs root for its private mount namespace; run it as root',
    );
  }
  if (argv.length === 0) throw new PracticeError('BAD_USAGE', 'usage: npm run practice -- node NAME -- COMMAND [ARG…]');
  const mounts: string[] = [];
  for (const hostDir of NODE_OVERLAID_DIRS) {
    const upper = path.join(node.root, hostDir);
    const work = path.join(node.root, '.overlay-work', hostDir.replaceAll('/', '_'));
    await mkdir(upper, { recursive: true });
    await mkdir(work, { recursive: true });
    mounts.push(hostDir, upper, work);
  }
  // $1.. are triples (host dir, upper, work); after "--" comes the command.
  const script = [
    'set -e',
    'while [ "$1" != "--" ]; do mount -t overlay drillbook-node -o "lowerdir=$1,upperdir=$2,workdir=$3" "$1"; shift 3; done',
    'shift',
    'hostname "$NODE_NAME"',
    'export DRILLBOOK_NODE="$NODE_NAME" DRILLBOOK_NODE_ADDRESS="$NODE_ADDRESS" PATH="$NODE_TOOLS:$PATH"',
    'exec "$@"',
  ].join('\n');
  const unshare = [
    'unshare',
    '--mount',
    '--uts',
    '--propagation',
    'private',
    '--',
    'env',
    `NODE_NAME=${node.name}`,
    `NODE_ADDRESS=${node.address}`,
    `NODE_TOOLS=${NODE_TOOLS_DIR}`,
    'bash',
    '-c',
    script,
    'node-shell',
    ...mounts,
    '--',
    ...argv,
  ];
  // A node that is down has no network of its own: the shell then shares this machine's.
  const network = isNodeNetworkUp(node) ? ['nsenter', `--net=${namespacePath(node)}`, '--'] : [];
  const [file = 'unshare', ...args] = [...network, ...unshare];
  return { file, args };
}
