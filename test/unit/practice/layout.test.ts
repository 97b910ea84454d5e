import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { etcdMemberCommand, hostCommand } from '../../../practice/etcd/member-command.ts';
import { renderEtcdManifest } from '../../../practice/etcd/static-pod-manifest.ts';
import { practiceLayout } from '../../../practice/layout.ts';
import { practiceSubnet } from '../../../practice/network/subnet.ts';

describe('practice layout', () => {
  it('gives each practice folder its own loopback /24, never 127.0.0.x or 127.0.1.x', () => {
    const subnets = new Set<string>();
    for (let index = 0; index < 2000; index++) {
      const subnet = practiceSubnet(`/tmp/state-${index}/practice`);
      expect(subnet).toMatch(/^127\.(\d{1,3})\.(\d{1,3})$/);
      expect(subnet.startsWith('127.0.')).toBe(false);
      subnets.add(subnet);
    }
    expect(subnets.size).toBeGreaterThan(1900);
    expect(practiceSubnet('/a/practice')).toBe(practiceSubnet('/a/practice'));
  });

  it('puts the API server on .10 and member cp-N on .(10+N), like kubeadm nodes', () => {
    const layout = practiceLayout('/tmp/state');
    expect(layout.root).toBe('/tmp/state/practice');
    expect(layout.apiServer.url).toBe(`https://${layout.subnet}.10:6443`);
    expect(layout.nodes.map((node) => node.etcd.clientUrl)).toEqual(
      [11, 12, 13].map((n) => `https://${layout.subnet}.${n}:2379`),
    );
    expect(layout.nodes.map((node) => node.etcd.peerUrl)).toEqual(
      [11, 12, 13].map((n) => `https://${layout.subnet}.${n}:2380`),
    );
    const [first] = layout.nodes;
    expect(first?.files.etcdServerCert).toBe('/tmp/state/practice/nodes/cp-1/etc/kubernetes/pki/etcd/server.crt');
    expect(first?.files.etcdDataDir).toBe('/tmp/state/practice/nodes/cp-1/var/lib/etcd');
    expect(first?.files.adminConf).toBe('/tmp/state/practice/nodes/cp-1/etc/kubernetes/admin.conf');
  });

  it('describes each member in a kubeadm etcd.yaml with node paths, and runs it with host paths', () => {
    const layout = practiceLayout('/tmp/state');
    const node = layout.nodes[1];
    if (!node) throw new Error('no cp-2');
    const manifest = parse(renderEtcdManifest(layout, node));
    const command: string[] = manifest.spec.containers[0].command;
    expect(command).toEqual(etcdMemberCommand(layout, node));
    expect(command).toContain('--cert-file=/etc/kubernetes/pki/etcd/server.crt');
    expect(command).toContain('--data-dir=/var/lib/etcd');
    expect(command).toContain('--client-cert-auth=true');
    expect(command).toContain('--peer-client-cert-auth=true');
    expect(command).toContain(`--initial-cluster=${layout.nodes.map((n) => `${n.name}=${n.etcd.peerUrl}`).join(',')}`);
    expect(manifest.spec.volumes.map((volume: { hostPath: { path: string } }) => volume.hostPath.path)).toEqual([
      '/etc/kubernetes/pki/etcd',
      '/var/lib/etcd',
    ]);
    const { file, args } = hostCommand(node, command);
    expect(file).toBe('/usr/bin/etcd');
    expect(args).toContain(`--cert-file=${node.files.etcdServerCert}`);
    expect(args).toContain(`--data-dir=${node.files.etcdDataDir}`);
    expect(args).toContain(`--name=cp-2`);
    expect(args.filter((arg) => /=\/(etc|var)\//.test(arg))).toEqual([]);
  });
});
