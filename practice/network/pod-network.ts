import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { execa } from 'execa';
import type { NodeLayout } from '../layout.ts';
import { enableLocalnet, NETNS_DIR, runCommand, runIp, runIpBatch } from './ip-command.ts';

// A pod's own network, as a pod sandbox has on a real node: a network namespace whose 127.0.0.1
// belongs to the pod alone (two pods of a node may both listen on 127.0.0.1:2379, beside the node's
// etcd member) and whose one other address is the pod's. A veth pair joins it to the node's
// network, which routes the pod's address to it; everything else in the cluster's /24 goes out
// through the node. The kubelet calls this from inside the node's network namespace. The answer is
// the namespace's path, for nsenter --net=.
export async function createPodNetwork(node: NodeLayout, podIP: string): Promise<string> {
  await removePodNetwork(node, podIP);
  const { namespace, link } = podNetworkNames(node, podIP);
  const subnet = node.address.split('.').slice(0, 3).join('.');
  await runIp(['netns', 'add', namespace]);
  await runIpBatch([], [`link add ${link} type veth peer name eth0 netns ${namespace}`, `link set ${link} up`]);
  await enableLocalnet(link);
  await runIp(['route', 'add', `${podIP}/32`, 'dev', link, 'src', node.address]);
  await runIpBatch(
    ['-n', namespace],
    [
      'link set lo up',
      'addr del 127.0.0.1/8 dev lo',
      'addr add 127.0.0.1/32 dev lo',
      `route add local ${podIP}/32 dev lo table local`,
      'link set eth0 up',
      `route add ${subnet}.0/24 via ${node.address} dev eth0 onlink src ${podIP}`,
    ],
  );
  const namespacePath = `${NETNS_DIR}/${namespace}`;
  await runCommand('nsenter', [`--net=${namespacePath}`, '--', 'sysctl', '-qw', 'net.ipv4.conf.eth0.route_localnet=1']);
  return namespacePath;
}

export async function removePodNetwork(node: NodeLayout, podIP: string): Promise<void> {
  const { namespace, link } = podNetworkNames(node, podIP);
  await execa('ip', ['link', 'del', link], { reject: false });
  if (existsSync(`${NETNS_DIR}/${namespace}`)) await runIp(['netns', 'del', namespace]);
}

// Every pod network of the node that a stopped or crashed kubelet left named.
export async function removePodNetworks(node: NodeLayout): Promise<void> {
  const prefix = `${node.network.namespace}-pod-`;
  const names = await readdir(NETNS_DIR).catch(() => [] as string[]);
  for (const name of names.filter((item) => item.startsWith(prefix))) {
    await execa('ip', ['netns', 'del', name], { reject: false });
  }
}

// Named by the pod's address, unique in its cluster; the link lives in the node's namespace.
function podNetworkNames(node: NodeLayout, podIP: string): { namespace: string; link: string } {
  const octet = podIP.split('.')[3];
  return { namespace: `${node.network.namespace}-pod-${octet}`, link: `pod-${octet}` };
}
