import type { V1Endpoints, V1Pod, V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { renderEtcHosts } from '../../../../practice/kubelet/pods/etc-hosts.ts';

function member(name: string, ip: string | undefined, ready: boolean): V1Pod {
  return {
    metadata: { name, namespace: 'db', labels: { app: 'etcd' } },
    spec: { hostname: name, subdomain: 'etcd-headless', containers: [] },
    status: { ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function headless(publishNotReadyAddresses: boolean): V1Service {
  return {
    metadata: { name: 'etcd-headless', namespace: 'db' },
    spec: { clusterIP: 'None', selector: { app: 'etcd' }, publishNotReadyAddresses },
  };
}

const clusterIpService: V1Service = { metadata: { name: 'etcd', namespace: 'db' }, spec: { clusterIP: '10.96.0.9' } };
const endpoints: V1Endpoints = {
  metadata: { name: 'etcd', namespace: 'db' },
  subsets: [{ addresses: [{ ip: '127.5.5.65' }], notReadyAddresses: [{ ip: '127.5.5.66' }] }],
};

describe("a pod's /etc/hosts", () => {
  const pods = [
    member('etcd-0', '127.5.5.64', false),
    member('etcd-1', '127.5.5.65', true),
    member('etcd-2', undefined, false),
  ];
  const self = pods[0] as V1Pod;

  it('names the pod itself with its subdomain, as the kubelet does', () => {
    const hosts = renderEtcHosts(self, '127.5.5.64', { pods: [], services: [], endpoints: [] });
    expect(hosts).toContain('127.0.0.1\tlocalhost\n');
    expect(hosts).toContain('127.5.5.64\tetcd-0.etcd-headless.db.svc.cluster.local\tetcd-0\n');
  });

  it("resolves a headless Service's pods by <hostname>.<service>, not-ready ones only when published", () => {
    const strict = renderEtcHosts(self, '127.5.5.64', { pods, services: [headless(false)], endpoints: [] });
    expect(strict).toContain('127.5.5.65\tetcd-1.etcd-headless.db.svc.cluster.local etcd-1.etcd-headless.db.svc');
    expect(strict).not.toContain('127.5.5.64\tetcd-0.etcd-headless.db.svc.cluster.local etcd-0');
    expect(strict).toContain('127.5.5.65\tetcd-headless.db.svc.cluster.local');
    const published = renderEtcHosts(self, '127.5.5.64', { pods, services: [headless(true)], endpoints: [] });
    expect(published).toContain('127.5.5.64\tetcd-0.etcd-headless.db.svc.cluster.local etcd-0.etcd-headless.db.svc');
    expect(published).not.toContain('etcd-2.etcd-headless');
  });

  it('resolves a ClusterIP Service to a ready endpoint, since no proxy serves ClusterIPs', () => {
    const hosts = renderEtcHosts(self, '127.5.5.64', { pods, services: [clusterIpService], endpoints: [endpoints] });
    expect(hosts).toContain('127.5.5.65\tetcd.db.svc.cluster.local etcd.db.svc etcd.db etcd\n');
    expect(hosts).not.toContain('10.96.0.9');
  });
});
