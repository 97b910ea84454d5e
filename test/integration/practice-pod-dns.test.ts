import { describe, expect, it } from 'vitest';
import { readChartRepoUrl } from '../../practice/chart-repo/chart-repo.ts';
import { chartRepoFiles } from '../../practice/chart-repo/repo-files.ts';
import { eventually, usePracticeCluster } from '../helpers/practice-cluster.ts';

// Pod DNS as hosts files: a three-member bitnami/etcd release from the practice chart repository
// finds its peers by <pod>.<headless service>.<ns>.svc.cluster.local, and every member joins.
const practice = usePracticeCluster('pod-dns');

async function helmOk(args: string[]): Promise<string> {
  const result = await practice().helm(args);
  if (result.exitCode !== 0) throw new Error(`helm ${args.join(' ')} exited ${result.exitCode}\n${result.stderr}`);
  return result.stdout;
}

describe('pod names in a StatefulSet behind a headless Service', () => {
  it('lets a three-member etcd release form its cluster and become Ready', async () => {
    const repo = await readChartRepoUrl(practice().layout);
    await helmOk(['repo', 'add', 'bitnami', repo ?? '', '--ca-file', chartRepoFiles(practice().layout).caCert]);
    await helmOk([
      'install',
      'store',
      'bitnami/etcd',
      '--set',
      'replicaCount=3',
      '--set',
      'auth.rbac.rootPassword=practice-root',
      '--set',
      'readinessProbe.initialDelaySeconds=1',
      '--set',
      'readinessProbe.periodSeconds=2',
    ]);
    await eventually(async () => {
      const ready = await practice().kubectlOk([
        'get',
        'pods',
        '-l',
        'app.kubernetes.io/instance=store',
        '-o',
        'jsonpath={range .items[*]}{.status.containerStatuses[0].ready}{" "}{end}',
      ]);
      if (ready.trim() !== 'true true true') throw new Error(`members ready: ${ready}`);
    }, 120_000);
    const members = await practice().kubectlOk([
      'exec',
      'store-etcd-0',
      '--',
      'etcdctl',
      '--user=root:practice-root',
      '--endpoints=http://store-etcd-0.store-etcd-headless.default.svc.cluster.local:2379',
      'member',
      'list',
    ]);
    const started = members.split('\n').filter((line) => line.includes(', started, '));
    expect(started.map((line) => line.split(', ')[2]).sort()).toEqual(['store-etcd-0', 'store-etcd-1', 'store-etcd-2']);
    const peerIp = await practice().kubectlOk(['get', 'pod', 'store-etcd-2', '-o', 'jsonpath={.status.podIP}']);
    const resolved = await practice().kubectlOk([
      'exec',
      'store-etcd-1',
      '--',
      'getent',
      'hosts',
      'store-etcd-2.store-etcd-headless.default.svc.cluster.local',
    ]);
    expect(resolved.split(/\s+/)[0]).toBe(peerIp);
    // Service names follow ready endpoints, which the hosts files pick up within seconds.
    await eventually(async () => {
      const viaService = await practice().kubectl([
        'exec',
        'store-etcd-2',
        '--',
        'etcdctl',
        '--user=root:practice-root',
        '--endpoints=http://store-etcd.default.svc.cluster.local:2379',
        'endpoint',
        'health',
      ]);
      expect(viaService.exitCode, viaService.stderr).toBe(0);
      expect(viaService.stdout + viaService.stderr).toContain('store-etcd.default.svc.cluster.local:2379 is healthy');
    }, 30_000);
  }, 180_000);
});
