import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageCharts } from '../../../practice/chart-repo/package-charts.ts';
import { ensureTools } from '../../../practice/tools/pinned-tools.ts';
import {
  CHART,
  claims,
  envOf,
  envValue,
  etcdContainer,
  type KubeObject,
  mounts,
  render,
} from '../../helpers/etcd-chart.ts';

// The practice etcd chart rendered by the pinned helm 3 with the values the runbooks pass to
// bitnami/etcd; each test reads the objects the way the runbooks and the image read them.
let helm: string;

beforeAll(async () => {
  helm = (await ensureTools()).helm;
}, 60_000);

describe('the practice etcd chart, rendered with bitnami/etcd values', () => {
  it('gives release x the objects bitnami/etcd gives it, named x-etcd and labelled as Bitnami labels them', async () => {
    const { exitCode, stderr, names, find, objects } = await render('x');
    expect(exitCode, stderr).toBe(0);
    expect(names.sort()).toEqual(
      [
        'Secret/x-etcd',
        'Secret/x-etcd-jwt-token',
        'Service/x-etcd',
        'Service/x-etcd-headless',
        'ServiceAccount/x-etcd',
        'StatefulSet/x-etcd',
      ].sort(),
    );
    for (const object of objects) {
      expect(object.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'etcd',
        'app.kubernetes.io/instance': 'x',
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': 'etcd-11.3.6',
      });
    }
    // The runbooks find the root-password Secret by component and instance: exactly one matches.
    const byComponent = objects.filter(
      (object) => object.kind === 'Secret' && object.metadata.labels?.['app.kubernetes.io/component'] === 'etcd',
    );
    expect(byComponent.map((object) => object.metadata.name)).toEqual(['x-etcd']);
    const password = Buffer.from(find('Secret', 'x-etcd').data['etcd-root-password'], 'base64').toString();
    expect(password).toMatch(/^[A-Za-z0-9]{10}$/);
  });

  it('keeps a release name that contains etcd, and honours fullnameOverride and nameOverride', async () => {
    for (const [release, args, fullname] of [
      ['dh-etcd', [], 'dh-etcd'],
      ['etcd', [], 'etcd'],
      ['myetcd2', [], 'myetcd2'],
      ['x', ['--set', 'fullnameOverride=kv-store'], 'kv-store'],
      ['x', ['--set', 'nameOverride=kv'], 'x-kv'],
    ] as const) {
      const { exitCode, stderr, find } = await render(release, [...args]);
      expect(exitCode, stderr).toBe(0);
      expect(find('StatefulSet', fullname).spec.serviceName).toBe(`${fullname}-headless`);
      expect(find('Service', `${fullname}-headless`).spec.clusterIP).toBe('None');
      expect(find('Secret', fullname).data).toHaveProperty('etcd-root-password');
    }
    const renamed = await render('x', ['--set', 'nameOverride=kv']);
    expect(renamed.find('StatefulSet', 'x-kv').metadata.labels?.['app.kubernetes.io/name']).toBe('kv');
  });

  it('runs one member by default with the environment the bitnami/etcd image reads', async () => {
    const { find } = await render('dh-etcd', ['--set', 'auth.rbac.rootPassword=s3cret']);
    const statefulSet = find('StatefulSet', 'dh-etcd');
    expect(statefulSet.spec.replicas).toBe(1);
    expect(statefulSet.spec.template.metadata.labels).toMatchObject(statefulSet.spec.selector.matchLabels);
    expect(statefulSet.spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'etcd',
      'app.kubernetes.io/instance': 'dh-etcd',
      'app.kubernetes.io/component': 'etcd',
    });
    const etcd = etcdContainer(statefulSet);
    expect(etcd.image).toMatch(/^docker\.io\/bitnami\/etcd:3\.5\.\d+-/);
    expect(envOf(etcd).get('ETCD_ROOT_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
      name: 'dh-etcd',
      key: 'etcd-root-password',
    });
    expect(envValue(etcd, 'ETCD_ON_K8S')).toBe('yes');
    expect(envValue(etcd, 'ETCD_CLUSTER_DOMAIN')).toBe('dh-etcd-headless.dhns.svc.cluster.local');
    expect(envValue(etcd, 'ETCD_DATA_DIR')).toBe('/bitnami/etcd/data');
    expect(envValue(etcd, 'ETCD_START_FROM_SNAPSHOT')).toBe('no');
    expect(envValue(etcd, 'ETCD_DISASTER_RECOVERY')).toBe('no');
    expect(envValue(etcd, 'ETCD_LISTEN_CLIENT_URLS')).toBe('http://0.0.0.0:2379');
    expect(envValue(etcd, 'ETCD_LISTEN_PEER_URLS')).toBe('http://0.0.0.0:2380');
    expect(envValue(etcd, 'ETCD_ADVERTISE_CLIENT_URLS')?.split(',')[0]).toBe(
      'http://$(MY_POD_NAME).dh-etcd-headless.dhns.svc.cluster.local:2379',
    );
    expect(envOf(etcd).has('ETCD_INITIAL_CLUSTER')).toBe(false);
    expect(mounts(etcd)['/bitnami/etcd']).toBe('data');
    expect(Buffer.from(find('Secret', 'dh-etcd').data['etcd-root-password'], 'base64').toString()).toBe('s3cret');
    const ports = (service: KubeObject) =>
      service.spec.ports.map((port: { name: string; port: number }) => `${port.name}:${port.port}`);
    expect(ports(find('Service', 'dh-etcd'))).toEqual(['client:2379', 'peer:2380']);
    expect(ports(find('Service', 'dh-etcd-headless'))).toEqual(['client:2379', 'peer:2380']);
    expect(find('Service', 'dh-etcd-headless').spec.publishNotReadyAddresses).toBe(true);
  });

  it('names every member in ETCD_INITIAL_CLUSTER with replicaCount 3', async () => {
    const etcd = etcdContainer((await render('x', ['--set', 'replicaCount=3'])).find('StatefulSet', 'x-etcd'));
    expect(envValue(etcd, 'ETCD_INITIAL_CLUSTER')).toBe(
      [0, 1, 2].map((i) => `x-etcd-${i}=http://x-etcd-${i}.x-etcd-headless.dhns.svc.cluster.local:2380`).join(','),
    );
    expect(envValue(etcd, 'ETCD_INITIAL_CLUSTER_STATE')).toBe('new');
    expect(envValue(etcd, 'ETCD_INITIAL_CLUSTER_TOKEN')).toBe('etcd-cluster-k8s');
  });

  it('claims persistence.size in persistence.storageClass, or an emptyDir when persistence is off', async () => {
    const sized = await render('x', ['--set', 'persistence.size=2Gi', '--set', 'persistence.storageClass=fast']);
    const [template] = sized.find('StatefulSet', 'x-etcd').spec.volumeClaimTemplates;
    expect(template.metadata.name).toBe('data');
    expect(template.spec).toMatchObject({ resources: { requests: { storage: '2Gi' } }, storageClassName: 'fast' });
    const noClass = await render('x', ['--set', 'persistence.storageClass=-']);
    expect(noClass.find('StatefulSet', 'x-etcd').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('');
    const off = (await render('x', ['--set', 'persistence.enabled=false'])).find('StatefulSet', 'x-etcd');
    expect(off.spec.volumeClaimTemplates).toBeUndefined();
    expect(off.spec.template.spec.volumes).toContainEqual({ name: 'data', emptyDir: {} });
  });

  it('mounts the startFromSnapshot claim at /init-snapshot and points the image at the file', async () => {
    const { find, names } = await render('x', [
      '--set',
      'startFromSnapshot.enabled=true',
      '--set',
      'startFromSnapshot.existingClaim=restore',
      '--set',
      'startFromSnapshot.snapshotFilename=etcd-snapshot.db',
    ]);
    const statefulSet = find('StatefulSet', 'x-etcd');
    const etcd = etcdContainer(statefulSet);
    expect(claims(statefulSet)).toEqual({ 'init-snapshot-volume': 'restore' });
    expect(mounts(etcd)['/init-snapshot']).toBe('init-snapshot-volume');
    expect(envValue(etcd, 'ETCD_START_FROM_SNAPSHOT')).toBe('yes');
    expect(envValue(etcd, 'ETCD_INIT_SNAPSHOTS_DIR')).toBe('/init-snapshot');
    expect(envValue(etcd, 'ETCD_INIT_SNAPSHOT_FILENAME')).toBe('etcd-snapshot.db');
    expect(names).not.toContain('CronJob/x-etcd-snapshotter');
  });

  it('adds the snapshotter CronJob and its kept claim with disasterRecovery, mounted at /snapshots', async () => {
    const { find } = await render('x', [
      '--set',
      'disasterRecovery.enabled=true',
      '--set',
      'disasterRecovery.cronjob.schedule=*/10 * * * *',
      '--set',
      'disasterRecovery.cronjob.historyLimit=2',
      '--set',
      'disasterRecovery.cronjob.snapshotHistoryLimit=3',
      '--set',
      'disasterRecovery.pvc.size=5Gi',
    ]);
    const cronJob = find('CronJob', 'x-etcd-snapshotter');
    expect(cronJob.spec).toMatchObject({ schedule: '*/10 * * * *', successfulJobsHistoryLimit: 2 });
    const pod = cronJob.spec.jobTemplate.spec.template;
    expect(pod.metadata.labels['app.kubernetes.io/component']).toBe('snapshotter');
    const [snapshotter] = pod.spec.containers;
    expect(envValue(snapshotter, 'ETCD_SNAPSHOT_HISTORY_LIMIT')).toBe('3');
    expect(envOf(snapshotter).get('ETCD_ROOT_PASSWORD')?.valueFrom?.secretKeyRef?.name).toBe('x-etcd');
    expect(mounts(snapshotter)['/snapshots']).toBe('snapshot-volume');
    const claim = find('PersistentVolumeClaim', 'x-etcd-snapshotter');
    expect(claim.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(claim.spec).toMatchObject({
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '5Gi' } },
      storageClassName: 'nfs',
    });
    const statefulSet = find('StatefulSet', 'x-etcd');
    expect(claims(statefulSet)).toEqual({ 'snapshot-volume': 'x-etcd-snapshotter' });
    expect(mounts(etcdContainer(statefulSet))['/snapshots']).toBe('snapshot-volume');
    expect(envValue(etcdContainer(statefulSet), 'ETCD_DISASTER_RECOVERY')).toBe('yes');
  });

  it('takes the install command of the Deephaven restore runbook as it is written', async () => {
    const runbook = await readFile(path.resolve('content/runbooks/deephaven-etcd-restore.mdx'), 'utf8');
    const setArgs = [...runbook.matchAll(/--set (\S+?)=('[^']*'|\S+)/g)].flatMap(([, key, value]) => [
      '--set',
      `${key}=${(value ?? '').replace(/^'|'$/g, '').replace('{{imageRegistry}}', 'registry.example.com/dh').replace('{{restorePvcName}}', 'etcd-dr-snapshot-pvc')}`,
    ]);
    expect(setArgs).toContain('startFromSnapshot.existingClaim=etcd-dr-snapshot-pvc');
    const install = [...setArgs, '--set-file', 'auth.rbac.rootPassword=/dev/stdin'];
    const { exitCode, stderr, find } = await render('dh-etcd2', install, 'pa$$ word');
    expect(exitCode, stderr).toBe(0);
    const statefulSet = find('StatefulSet', 'dh-etcd2');
    const etcd = etcdContainer(statefulSet);
    expect(statefulSet.spec.replicas).toBe(3);
    expect(etcd.image).toBe('registry.example.com/dh/bitnami/etcd:3.5.21-debian-12-r5');
    expect(etcd.resources.requests).toMatchObject({ cpu: '500m', memory: '1024Mi' });
    // Disaster recovery reuses the snapshot claim: the snapshot is read from, and written to, /snapshots.
    expect(claims(statefulSet)).toEqual({ 'snapshot-volume': 'etcd-dr-snapshot-pvc' });
    expect(envValue(etcd, 'ETCD_INIT_SNAPSHOTS_DIR')).toBe('/snapshots');
    expect(envValue(etcd, 'ETCD_INIT_SNAPSHOT_FILENAME')).toBe('etcd-snapshot.db');
    expect(find('CronJob', 'dh-etcd2-snapshotter').spec.schedule).toBe('*/10 * * * *');
    expect(Buffer.from(find('Secret', 'dh-etcd2').data['etcd-root-password'], 'base64').toString()).toBe('pa$$ word');
  });

  it('reads the password from auth.rbac.existingSecret and its key, and runs without one when rbac is off', async () => {
    const existing = await render('x', [
      '--set',
      'auth.rbac.existingSecret=vault-etcd',
      '--set',
      'auth.rbac.existingSecretPasswordKey=password',
    ]);
    expect(existing.names).not.toContain('Secret/x-etcd');
    const etcd = etcdContainer(existing.find('StatefulSet', 'x-etcd'));
    expect(envOf(etcd).get('ETCD_ROOT_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
      name: 'vault-etcd',
      key: 'password',
    });
    const open = await render('x', ['--set', 'auth.rbac.create=false']);
    expect(open.names).not.toContain('Secret/x-etcd');
    const openEtcd = etcdContainer(open.find('StatefulSet', 'x-etcd'));
    expect(envValue(openEtcd, 'ALLOW_NONE_AUTHENTICATION')).toBe('yes');
    expect(envOf(openEtcd).has('ETCD_ROOT_PASSWORD')).toBe(false);
    const legacy = await render('x', ['--set', 'auth.rbac.create=false', '--set', 'auth.rbac.enabled=true']);
    expect(legacy.names).toContain('Secret/x-etcd');
  });

  it('refuses values it does not implement, with a message naming each', async () => {
    for (const [args, message] of [
      [['--set', 'bogus=1'], /Additional property bogus is not allowed/],
      [['--set', 'persistence.existingClaim=data'], /persistence: Additional property existingClaim/],
      [['--set', 'startFromSnapshot.enabled=true'], /startFromSnapshot\.existingClaim=<pvc>/],
      [['--set', 'image.registry=registry.example.com'], /global\.security\.allowInsecureImages=true/],
      [['--set', 'auth.client.secureTransport=true'], /auth\.client\.secureTransport=true is not implemented/],
      [
        ['--set', 'disasterRecovery.enabled=true', '--set', 'persistence.enabled=false'],
        /needs persistence\.enabled=true/,
      ],
    ] as const) {
      const result = await render('x', [...args]);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(message);
    }
  });

  it('passes helm lint --strict', async () => {
    const lint = await execa(helm, ['lint', '--strict', CHART], { reject: false, env: { HOME: '/nonexistent' } });
    expect(lint.exitCode, lint.stdout).toBe(0);
  });

  it('packages into a Helm repository folder whose index points at the package relatively', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-charts-'));
    try {
      expect(await packageCharts(helm, outDir)).toEqual(['etcd-11.3.6.tgz']);
      const index = parse(await readFile(path.join(outDir, 'index.yaml'), 'utf8'));
      expect(index.entries.etcd[0]).toMatchObject({
        version: '11.3.6',
        appVersion: '3.5.21',
        urls: ['etcd-11.3.6.tgz'],
      });
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
