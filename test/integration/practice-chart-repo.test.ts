import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChartRepoUrl } from '../../practice/chart-repo/chart-repo.ts';
import { chartRepoFiles } from '../../practice/chart-repo/repo-files.ts';
import { practiceDown, practiceUp } from '../../practice/cluster/lifecycle.ts';
import { type PracticeLayout, practiceLayout } from '../../practice/layout.ts';
import { readPidRecord } from '../../practice/process/daemon.ts';
import { readProcessStat } from '../../practice/process/process-table.ts';
import { type ToolPaths, toolPaths } from '../../practice/tools/pinned-tools.ts';
import { eventually } from '../helpers/practice-cluster.ts';

// One practice cluster for the file: the real helm 3 and helm 4 add its chart repository, find
// bitnami/etcd there and install it into the practice API server.
let stateDir: string;
let layout: PracticeLayout;
let tools: ToolPaths;
let repoUrl: string;

function run(file: string, args: string[], helmHome: string) {
  return execa(file, args, {
    reject: false,
    stdin: 'ignore',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: helmHome,
      KUBECONFIG: layout.kubeconfig,
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_DATA_HOME: path.join(helmHome, 'data'),
    },
    extendEnv: false,
  });
}

function fetchStatus(url: string, ca?: Buffer): Promise<number | string> {
  return new Promise((resolve) => {
    const request = https.get(url, { ca, agent: false, timeout: 2000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-chart-repo-'));
  layout = practiceLayout(stateDir);
  await practiceUp(layout, { env: process.env });
  tools = toolPaths();
  repoUrl = (await readChartRepoUrl(layout)) ?? '';
}, 60_000);

afterAll(async () => {
  if (layout) await practiceDown(layout);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('the practice chart repository', () => {
  it('listens over HTTPS on the cluster loopback subnet, shown by status and exported by env', async () => {
    expect(repoUrl).toMatch(new RegExp(`^https://${layout.subnet.replaceAll('.', '\\.')}\\.20:\\d+$`));
    const cli = path.resolve('practice/cli.ts');
    const env = { ...process.env, DRILLBOOK_STATE_DIR: stateDir };
    const [status, shellEnv] = await Promise.all([
      execa(process.execPath, [cli, 'status'], { env, reject: false }),
      execa(process.execPath, [cli, 'env'], { env, reject: false }),
    ]);
    expect(status.stdout).toContain(`chart repository: ${repoUrl}`);
    expect(shellEnv.stdout).toContain(`export DRILLBOOK_CHART_REPO='${repoUrl}'`);
    expect(shellEnv.stdout).toContain(`export DRILLBOOK_CHART_REPO_CA='${chartRepoFiles(layout).caCert}'`);
  });

  it('serves index.yaml and the packages to clients that trust the cluster CA, and nothing else', async () => {
    const ca = await readFile(chartRepoFiles(layout).caCert);
    expect(await fetchStatus(`${repoUrl}/index.yaml`, ca)).toBe(200);
    expect(await fetchStatus(`${repoUrl}/etcd-11.3.6.tgz`, ca)).toBe(200);
    expect(await fetchStatus(`${repoUrl}/..%2Fserved%2Findex.yaml`, ca)).toBe(404);
    expect(await fetchStatus(`${repoUrl}/../../package.json`, ca)).toBe(404);
    expect(await fetchStatus(`${repoUrl}/index.yaml`)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  for (const { helmKey, release, namespace, fullname, members, extra } of [
    { helmKey: 'helm', release: 'dh-etcd', namespace: 'dhns', fullname: 'dh-etcd', members: 1, extra: [] },
    {
      helmKey: 'helm4',
      release: 'store',
      namespace: 'shop',
      fullname: 'store-etcd',
      members: 3,
      extra: ['--set', 'disasterRecovery.enabled=true', '--set', 'replicaCount=3'],
    },
  ] as const) {
    it(`lets ${helmKey === 'helm' ? 'helm 3' : 'helm 4'} add it as bitnami, find etcd and install ${release}`, async () => {
      const helmHome = await mkdtemp(path.join(os.tmpdir(), 'drillbook-helm-'));
      const helm = (args: string[]) => run(tools[helmKey], args, helmHome);
      const kubectl = (args: string[]) => run(tools.kubectl, args, helmHome);
      try {
        const untrusted = await helm(['repo', 'add', 'bitnami', repoUrl]);
        expect(untrusted.exitCode).not.toBe(0);
        expect(untrusted.stderr).toMatch(/certificate/);
        const added = await helm(['repo', 'add', 'bitnami', repoUrl, '--ca-file', chartRepoFiles(layout).caCert]);
        expect(added.exitCode, added.stderr).toBe(0);
        const search = await helm(['search', 'repo', 'bitnami/etcd']);
        expect(search.stdout).toMatch(/^bitnami\/etcd\s+11\.3\.6\s+3\.5\.21\s/m);

        const install = await helm([
          'install',
          release,
          'bitnami/etcd',
          '--namespace',
          namespace,
          '--create-namespace',
          '--set',
          'auth.rbac.rootPassword=s3cret',
          ...extra,
        ]);
        expect(install.exitCode, install.stderr).toBe(0);
        expect(install.stdout).toContain('STATUS: deployed');
        const list = await helm(['list', '--namespace', namespace, '-o', 'json']);
        expect(JSON.parse(list.stdout)).toMatchObject([{ name: release, chart: 'etcd-11.3.6', app_version: '3.5.21' }]);

        const objects = await kubectl(['get', 'statefulset,svc,secret', '-n', namespace, '-o', 'name']);
        expect(objects.stdout.split('\n')).toEqual(
          expect.arrayContaining([
            `statefulset.apps/${fullname}`,
            `service/${fullname}`,
            `service/${fullname}-headless`,
            `secret/${fullname}`,
          ]),
        );
        const selector = `app.kubernetes.io/component=etcd,app.kubernetes.io/instance=${release}`;
        const secrets = await kubectl(['get', 'secrets', '-n', namespace, '-l', selector, '-o', 'name']);
        expect(secrets.stdout.trim()).toBe(`secret/${fullname}`);
        const password = await kubectl([
          'get',
          'secret',
          '-n',
          namespace,
          fullname,
          '-o',
          'jsonpath={.data.etcd-root-password}',
        ]);
        expect(Buffer.from(password.stdout, 'base64').toString()).toBe('s3cret');
        await eventually(async () => {
          const claims = await kubectl(['get', 'pvc', '-n', namespace, '-o', 'jsonpath={.items[*].status.phase}']);
          const names = await kubectl(['get', 'pvc', '-n', namespace, '-o', 'name']);
          const memberClaims = Array.from({ length: members }, (_, i) => `persistentvolumeclaim/data-${fullname}-${i}`);
          expect(names.stdout.split('\n')).toEqual(expect.arrayContaining(memberClaims));
          expect(new Set(claims.stdout.split(' '))).toEqual(new Set(['Bound']));
        }, 20_000);

        const uninstall = await helm(['uninstall', release, '--namespace', namespace]);
        expect(uninstall.exitCode, uninstall.stderr).toBe(0);
        const left = await kubectl([
          'get',
          'statefulset,svc,secret,cronjob',
          '-n',
          namespace,
          '-l',
          selector,
          '-o',
          'name',
        ]);
        expect(left.stdout.trim()).toBe('');
      } finally {
        await rm(helmHome, { recursive: true, force: true });
      }
    });
  }

  it('keeps the snapshotter claim and the members’ claims after uninstall, as the Bitnami chart does', async () => {
    const kubectl = await run(tools.kubectl, ['get', 'pvc', '-n', 'shop', '-o', 'name'], stateDir);
    expect(kubectl.stdout.trim().split('\n')).toEqual([
      'persistentvolumeclaim/data-store-etcd-0',
      'persistentvolumeclaim/data-store-etcd-1',
      'persistentvolumeclaim/data-store-etcd-2',
      'persistentvolumeclaim/store-etcd-snapshotter',
    ]);
  });

  it('stops with the cluster and leaves no process behind', async () => {
    const record = await readPidRecord(chartRepoFiles(layout).pidFile);
    expect(record).not.toBeNull();
    await practiceDown(layout);
    expect(await readChartRepoUrl(layout)).toBeNull();
    const stat = record ? readProcessStat(record.pid) : null;
    expect(stat === null || stat.state === 'Z').toBe(true);
  });
});
