import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { PracticeError } from '../errors.ts';
import type { NodeLayout, PracticeLayout } from '../layout.ts';

/** Where `ip netns` keeps a named namespace; nsenter --net= takes this path. */
export const NETNS_DIR = '/run/netns';

/** The host's end of every node's link: its source address toward the nodes. */
export const GATEWAY_OCTET = 1;

// Each node's network, as on a machine of its own: a network namespace (`ip netns`) where the
// kubelet runs, hence the node's static pods and its other pods, and where node shells run. In it,
// 127.0.0.1 is the node's own loopback (so https://127.0.0.1:2379 is the node's etcd member, as on
// a kubeadm node), and the node's address and its pods' block are local. A veth pair joins it to
// this machine, which routes the node's address and pod block to it and forwards between nodes, so
// the API server, kubectl and the other nodes reach it at its address. Addresses stay in the
// cluster's 127.A.B.0/24, which exists only on this machine; route_localnet lets the veths carry
// them, set on these links only.
export async function createNodeNetwork(layout: PracticeLayout, node: NodeLayout): Promise<void> {
  await removeNodeNetwork(node);
  const { namespace, hostLink } = node.network;
  const gateway = `${layout.subnet}.${GATEWAY_OCTET}`;
  const routed = [`${node.address}/32`, podBlock(layout, node)];
  await runIp(['netns', 'add', namespace]);
  await runIpBatch([], [`link add ${hostLink} type veth peer name eth0 netns ${namespace}`, `link set ${hostLink} up`]);
  for (const setting of ['route_localnet', 'forwarding']) {
    await writeFile(`/proc/sys/net/ipv4/conf/${hostLink}/${setting}`, '1\n');
  }
  await runIpBatch(
    [],
    routed.map((prefix) => `route add table local ${prefix} dev ${hostLink} src ${gateway}`),
  );
  await runIpBatch(
    ['-n', namespace],
    [
      'link set lo up',
      'addr del 127.0.0.1/8 dev lo',
      'addr add 127.0.0.1/32 dev lo',
      ...routed.map((prefix) => `route add local ${prefix} dev lo table local`),
      'link set eth0 up',
      `route add ${layout.subnet}.0/24 via ${gateway} dev eth0 onlink src ${node.address}`,
    ],
  );
  await run('nsenter', [`--net=${namespacePath(node)}`, '--', 'sysctl', '-qw', 'net.ipv4.conf.eth0.route_localnet=1']);
}

// Removes the node's link (and with it the routes to the node) and its namespace; a namespace that
// a leftover process still holds lives on unnamed and unreachable until that process exits.
export async function removeNodeNetwork(node: NodeLayout): Promise<void> {
  await execa('ip', ['link', 'del', node.network.hostLink], { reject: false });
  if (isNodeNetworkUp(node)) await runIp(['netns', 'del', node.network.namespace]);
}

export function isNodeNetworkUp(node: NodeLayout): boolean {
  return existsSync(namespacePath(node));
}

export function namespacePath(node: NodeLayout): string {
  return `${NETNS_DIR}/${node.network.namespace}`;
}

// The node's block of pod addresses, as practice/kubelet/pods/pod-addresses.ts hands them out.
function podBlock(layout: PracticeLayout, node: NodeLayout): string {
  const ordinal = Number(node.address.split('.')[3]) - 10;
  return `${layout.subnet}.${64 * ordinal}/26`;
}

function runIp(args: string[]): Promise<void> {
  return run('ip', args);
}

function runIpBatch(options: string[], commands: string[]): Promise<void> {
  return run('ip', [...options, '-batch', '-'], `${commands.join('\n')}\n`);
}

async function run(file: string, args: string[], input?: string): Promise<void> {
  const result = await execa(file, args, { reject: false, ...(input === undefined ? { stdin: 'ignore' } : { input }) });
  if (result.exitCode !== 0) {
    throw new PracticeError(
      'COMMAND_FAILED',
      `${file} ${args.join(' ')} failed: ${result.stderr.trim() || `exit ${result.exitCode}`} (the node network needs root and iproute2)`,
    );
  }
}
