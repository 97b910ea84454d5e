import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ETCDCTL_BINARY } from '../../practice/etcd/etcdctl.ts';
import { backupCronJobName } from '../../practice/fixtures/deckhouse/load-deckhouse.ts';
import { deckhouseNodes, installD8Shim } from '../helpers/deckhouse-practice.ts';
import { eventually } from '../helpers/practice-cluster.ts';
import { useFixtureCluster } from '../helpers/runbook-drill.ts';

// Deckhouse's single-object restore, headless on a one-master practice cluster loaded with the
// deckhouse fixture: the nightly backup, then a Deployment deleted and another object changed; the
// runbook brings back the Deployment from the backup and leaves the rest as it is now.
const practice = useFixtureCluster('runbooks-deckhouse-objects', 'deckhouse', { nodes: 1 });
const { node } = deckhouseNodes(practice);
const NS = 'infra-production';
const PROTOBUF_KEY = `/registry/example.com/widgets/${NS}/stored-as-protobuf`;

beforeAll(installD8Shim);

describe('deckhouse-etcd-object-restore, end to end on one master', () => {
  it('brings back a Deployment deleted after the nightly backup, from a distroless etcd image, and nothing else', async () => {
    const { cluster, runbookOk } = practice();
    await cluster.kubectlOk(['-n', NS, 'create', 'configmap', 'settings', '--from-literal=version=1']);
    await cluster.kubectlOk(['create', 'namespace', `${NS}-staging`]);
    await cluster.kubectlOk(['-n', `${NS}-staging`, 'create', 'configmap', 'elsewhere', '--from-literal=a=b']);
    // A value as kube-apiserver writes built-in objects by default: the k8s protobuf envelope.
    const files = node('cp-1').files;
    const put = await execa(
      ETCDCTL_BINARY,
      [
        `--endpoints=${node('cp-1').etcd.clientUrl}`,
        `--cacert=${files.etcdCaCert}`,
        `--cert=${files.etcdHealthcheckClientCert}`,
        `--key=${files.etcdHealthcheckClientKey}`,
        'put',
        PROTOBUF_KEY,
      ],
      { env: { ETCDCTL_API: '3' }, input: 'k8s\u0000\n\u000bexample/v1\u0012\u0006Widget', reject: false },
    );
    expect(put.exitCode, put.stderr).toBe(0);
    const job = 'nightly-for-the-test';
    await cluster.kubectlOk(['create', 'job', '-n', 'kube-system', job, `--from=cronjob/${backupCronJobName('cp-1')}`]);
    await eventually(async () => {
      expect(
        await cluster.kubectlOk(['get', 'job', '-n', 'kube-system', job, '-o', 'jsonpath={.status.succeeded}']),
      ).toBe('1');
    }, 90_000);
    await cluster.kubectlOk(['-n', NS, 'patch', 'configmap', 'settings', '-p', '{"data":{"version":"2"}}']);
    await cluster.kubectlOk(['-n', NS, 'delete', 'deployment', 'supercronic']);

    const record = path.join(cluster.stateDir, 'deckhouse-objects.json');
    const result = await runbookOk('deckhouse-etcd-object-restore', [
      '--param',
      'nodeName=cp-1',
      '--param',
      `objectNamespace=${NS}`,
      '--choose',
      `objectFile=deployments_${NS}_supercronic.json`,
      '--ack',
      'clean-object-files',
      '--yes',
      '--record',
      record,
    ]);
    expect(result.stdout).toContain('unpacked the nightly archive /var/lib/etcd/etcd-backup.tar.gz');
    expect(result.stdout).toContain('restore tool: etcdctl (the image has no etcdutl)');
    expect(result.stdout).toContain('extracting with etcdctl in the pod (etcdhelper is not installed here)');
    expect(result.stdout).toContain(`protobuf, not decoded: ${PROTOBUF_KEY}`);
    expect(result.stdout).toContain(`configmaps_${NS}_settings.json`);
    expect(result.stdout).toContain(`namespaces_${NS}.json`);
    expect(result.stdout).not.toContain(`${NS}-staging`);
    const run = JSON.parse(await readFile(record, 'utf8')) as { summary: { outcome: string } };
    expect(run.summary.outcome).toBe('completed');

    expect(
      await cluster.kubectlOk([
        '-n',
        NS,
        'get',
        'deployment',
        'supercronic',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      ]),
    ).toBe('busybox:1.36');
    expect(await cluster.kubectlOk(['-n', NS, 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.version}'])).toBe(
      '2',
    );
    expect(await cluster.kubectlOk(['-n', `${NS}-staging`, 'get', 'configmap', 'elsewhere', '-o', 'name'])).toBe(
      'configmap/elsewhere',
    );
    await eventually(async () => {
      expect((await cluster.kubectl(['-n', 'kube-system', 'get', 'pod', 'etcdrestore'])).exitCode).not.toBe(0);
    }, 30_000);
  }, 240_000);
});
