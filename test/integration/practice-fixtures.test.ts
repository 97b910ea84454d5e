import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupCronJobName } from '../../practice/fixtures/deckhouse/load-deckhouse.ts';
import {
  DEEPHAVEN_ETCD_RELEASE,
  DEEPHAVEN_NAMESPACE,
  DEEPHAVEN_SEED_KEYS,
} from '../../practice/fixtures/deephaven/load-deephaven.ts';
import { type FixtureName, loadFixture } from '../../practice/fixtures/load-fixture.ts';
import { usePracticeCluster } from '../helpers/practice-cluster.ts';

// `npm run practice -- load NAME` for the four platforms, checked with the real kubectl.
const practice = usePracticeCluster('fixtures');
const RUNBOOKS = path.join(import.meta.dirname, '../../content/runbooks');

async function load(name: FixtureName): Promise<number> {
  const { ms } = await loadFixture(practice().layout, name);
  console.log(`practice up ${practice().upSeconds.toFixed(1)} s; load ${name} ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

async function getJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await practice().kubectlOk([...args, '-o', 'json'])) as T;
}

// What a second load must leave alone: each object's uid and resourceVersion.
async function objectVersions(kinds: string): Promise<string[]> {
  const list = await getJson<{ items: { kind: string; metadata: Record<string, string> }[] }>(['get', kinds, '-A']);
  return list.items.map(
    (item) =>
      `${item.kind}/${item.metadata.namespace}/${item.metadata.name}@${item.metadata.uid}/${item.metadata.resourceVersion}`,
  );
}

// The runbook's heredoc manifests, with each {{param}} set to its default or example value.
function renderManifests(mdx: string): string[] {
  const values = new Map<string, string>();
  for (const tag of mdx.matchAll(/<(?:Param|Capture)\s[^>]*>/g)) {
    const name = /\bname="([^"]+)"/.exec(tag[0])?.[1];
    const value = /\b(?:default|example)="([^"]*)"/.exec(tag[0])?.[1];
    if (name && value !== undefined) values.set(name, value);
  }
  return [...mdx.matchAll(/<<'?EOF'?\n([\s\S]*?)\nEOF/g)].map((match) =>
    (match[1] ?? '').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = values.get(name);
      if (value === undefined) throw new Error(`no value for {{${name}}}`);
      return value;
    }),
  );
}

describe('practice fixtures', () => {
  it('deephaven: a 3-member etcd release with the seeded keys, the NFS server and the client Secrets', async () => {
    expect(await load('deephaven')).toBeLessThan(20_000);
    const ns = ['-n', DEEPHAVEN_NAMESPACE];
    const pods = await getJson<{
      items: { status: { phase: string; conditions: { type: string; status: string }[] } }[];
    }>(['get', 'pods', ...ns, '-l', `app.kubernetes.io/instance=${DEEPHAVEN_ETCD_RELEASE}`]);
    expect(pods.items).toHaveLength(3);
    for (const pod of pods.items) {
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.conditions.find((condition) => condition.type === 'Ready')?.status).toBe('True');
    }
    const secretName = (
      await practice().kubectlOk(['get', 'secrets', ...ns, '-l', 'app.kubernetes.io/component=etcd', '-o', 'name'])
    ).trim();
    expect(secretName).toBe(`secret/${DEEPHAVEN_ETCD_RELEASE}`);
    const encoded = await practice().kubectlOk(['get', secretName, ...ns, '-o', 'jsonpath={.data.etcd-root-password}']);
    const password = Buffer.from(encoded, 'base64').toString();
    const get = await practice().kubectl(
      [
        'exec',
        '-i',
        ...ns,
        `${DEEPHAVEN_ETCD_RELEASE}-1`,
        '--',
        'sh',
        '-c',
        'IFS= read -r p; etcdctl --user "root:$p" get --prefix /deephaven/',
      ],
      { input: `${password}\n` },
    );
    expect(get.exitCode, get.stderr).toBe(0);
    expect(get.stdout.split('\n')).toEqual(Object.entries(DEEPHAVEN_SEED_KEYS).flat());
    const wrong = await practice().kubectl([
      'exec',
      ...ns,
      `${DEEPHAVEN_ETCD_RELEASE}-0`,
      '--',
      'etcdctl',
      '--user',
      'root:wrong',
      'get',
      '/x',
    ]);
    expect(wrong.stderr).toContain('authentication failed');

    const nfsPod = (
      await practice().kubectlOk(['get', 'pods', ...ns, '-l', 'role=deephaven-nfs-server', '-o', 'name'])
    ).trim();
    expect(await practice().kubectlOk(['exec', ...ns, nfsPod, '--', 'ls', '/exports/dhsystem'])).toBe('db');
    expect(
      await practice().kubectlOk(['get', 'svc', ...ns, 'deephaven-nfs', '-o', 'jsonpath={.spec.clusterIP}']),
    ).toMatch(/^\d/);
    const clients = await getJson<{ items: { data: Record<string, string> }[] }>([
      'get',
      'secrets',
      ...ns,
      '-l',
      'role=etcd-client-cred',
    ]);
    expect(clients.items.length).toBeGreaterThan(0);
    for (const client of clients.items) {
      expect(Buffer.from(client.data.endpoints ?? '', 'base64').toString()).toBe(
        `http://${DEEPHAVEN_ETCD_RELEASE}.${DEEPHAVEN_NAMESPACE}.svc.cluster.local:2379`,
      );
      expect(Buffer.from(client.data.password ?? '', 'base64').toString()).toBe(password);
    }
    const releases = JSON.parse((await practice().helm(['list', ...ns, '-o', 'json'])).stdout) as { chart: string }[];
    expect(releases.map((release) => release.chart).sort()).toEqual(['deephaven-0.0.0-practice', 'etcd-11.3.6']);
  }, 90_000);

  it('kubeadm: a namespace of objects, on nodes with the kubeadm files', async () => {
    expect(await load('kubeadm')).toBeLessThan(20_000);
    const names = await practice().kubectlOk(['get', 'deploy,svc,configmap,secret', '-n', 'shop', '-o', 'name']);
    for (const name of ['deployment.apps/web', 'service/web', 'configmap/web-config', 'secret/web-credentials']) {
      expect(names).toContain(name);
    }
    expect(
      await practice().kubectlOk(['get', 'deploy', '-n', 'shop', 'web', '-o', 'jsonpath={.status.readyReplicas}']),
    ).toBe('2');
  }, 60_000);

  it('deckhouse: d8-* namespaces, master labels, and the etcd backup CronJob that wrote each archive', async () => {
    expect(await load('deckhouse')).toBeLessThan(20_000);
    const namespaces = await practice().kubectlOk(['get', 'ns', '-l', 'heritage=deckhouse', '-o', 'name']);
    expect(namespaces).toContain('namespace/d8-system');
    const masters = await practice().kubectlOk([
      'get',
      'nodes',
      '-l',
      'node-role.kubernetes.io/master=,node-role.kubernetes.io/control-plane=',
      '-o',
      'name',
    ]);
    expect(masters.split('\n')).toEqual(['node/cp-1', 'node/cp-2', 'node/cp-3']);
    const cronJobs = await getJson<{ items: { metadata: { name: string }; spec: { schedule: string } }[] }>([
      'get',
      'cronjob',
      '-n',
      'kube-system',
    ]);
    const backups = cronJobs.items.filter((job) => /^d8-etcd-backup-/.test(job.metadata.name));
    expect(backups.map((job) => job.metadata.name).sort()).toEqual(
      ['cp-1', 'cp-2', 'cp-3'].map(backupCronJobName).sort(),
    );
    expect(backups.every((job) => job.spec.schedule === '0 0 * * *')).toBe(true);
    for (const node of practice().layout.nodes) {
      const archive = await readFile(path.join(node.root, 'var/lib/etcd/etcd-backup.tar.gz'));
      expect(archive.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    }
  }, 60_000);

  it('okd: every manifest of the OKD runbooks passes a server-side dry run, and a misspelt one does not', async () => {
    expect(await load('okd')).toBeLessThan(20_000);
    const manifests = [];
    for (const file of ['okd-etcd-automated-backup.mdx', 'okd-etcd-backup.mdx']) {
      manifests.push(...renderManifests(await readFile(path.join(RUNBOOKS, file), 'utf8')));
    }
    expect(manifests.length).toBeGreaterThanOrEqual(8);
    for (const manifest of manifests) {
      const result = await practice().kubectl(['apply', '--dry-run=server', '-f', '-'], { input: manifest });
      expect(result.exitCode, `${manifest}\n${result.stderr}`).toBe(0);
    }
    const misspelt = manifests
      .find((manifest) => manifest.includes('TechPreviewNoUpgrade'))
      ?.replace('NoUpgrade', 'Noupgrade');
    const rejected = await practice().kubectl(['apply', '--dry-run=server', '-f', '-'], { input: misspelt ?? '' });
    expect(rejected.stderr).toContain('Unsupported value: "TechPreviewNoupgrade"');
  }, 60_000);

  it('loading every fixture again changes nothing', async () => {
    const kinds = 'ns,secret,configmap,deploy,statefulset,cronjob,svc,pvc,pv,crd,nodes';
    const before = await objectVersions(kinds);
    for (const name of ['deephaven', 'kubeadm', 'deckhouse', 'okd'] as const) await load(name);
    const after = await objectVersions(kinds);
    const nodesOnly = (list: string[]) => list.filter((item) => !item.startsWith('Node/'));
    expect(nodesOnly(after)).toEqual(nodesOnly(before));
  }, 90_000);
});
