import { existsSync } from 'node:fs';
import { execa } from 'execa';
import type { NodeLayout, PracticeLayout } from '../layout.ts';
import { enableLocalnet, NETNS_DIR, runCommand, runIp, runIpBatch } from './ip-command.ts';
import { removePodNetworks } from './pod-network.ts';

/** The host's end of every node's link: its source address toward the nodes. */
export const GATEWAY_OCTET = 1;

// Each node's network, as on a machine of its own: a network namespace (`ip netns`) where the
// kubelet runs, hence the node's static pods and its other pods, and where node shells run. In it,
// 127.0.0.1 is the node's own loopback (so https://127.0.0.1:2379 is the node's etcd member, as on
// a kubeadm node), and the node's address is local; each pod that is not hostNetwork has a network
// of its own behind it (pod-network.ts). A veth pair joins it to this machine, which routes the
// node's address and pod block to it and forwards between nodes, so the API server, kubectl and
// the other nodes reach it at its address. Addresses stay in the cluster's 127.A.B.0/24, which
// exists only on this machine; route_localnet lets the veths carry them, set on these links only.
export async function createNodeNetwork(layout: PracticeLayout, node: NodeLayout): Promise<void> {
  await removeNodeNetwork(node);
  const { namespace, hostLink } = node.network;
  const gateway = `${layout.subnet}.${GATEWAY_OCTET}`;
  const podBlock = podAddressBlock(layout, node);
  await runIp(['netns', 'add', namespace]);
  await runIpBatch([], [`link add ${hostLink} type veth peer name eth0 netns ${namespace}`, `link set ${hostLink} up`]);
  await enableLocalnet(hostLink);
  await runIpBatch(
    [],
    [
      `route add table local ${node.address}/32 dev ${hostLink} src ${gateway}`,
      `route add table local ${podBlock} via ${node.address} dev ${hostLink} onlink src ${gateway}`,
    ],
  );
  await runIpBatch(
    ['-n', namespace],
    [
      'link set lo up',
      'addr del 127.0.0.1/8 dev lo',
      'addr add 127.0.0.1/32 dev lo',
      `route add local ${node.address}/32 dev lo table local`,
      'link set eth0 up',
      `route add ${layout.subnet}.0/24 via ${gateway} dev eth0 onlink src ${node.address}`,
    ],
  );
  // The node forwards between its pods' links and eth0 (network/pod-network.ts).
  await runCommand('nsenter', [
    `--net=${namespacePath(node)}`,
    '--',
    ...['sysctl', '-qw', 'net.ipv4.conf.eth0.route_localnet=1', 'net.ipv4.conf.eth0.forwarding=1'],
  ]);
}

// Removes the node's pods' namespaces, its link (and with it the routes to the node) and its
// namespace; a namespace a leftover process still holds lives on unnamed and unreachable until
// that process exits.
export async function removeNodeNetwork(node: NodeLayout): Promise<void> {
  await removePodNetworks(node);
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
function podAddressBlock(layout: PracticeLayout, node: NodeLayout): string {
  const ordinal = Number(node.address.split('.')[3]) - 10;
  return `${layout.subnet}.${64 * ordinal}/26`;
}
