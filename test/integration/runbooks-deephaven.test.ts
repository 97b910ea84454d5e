import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEEPHAVEN_ETCD_RELEASE,
  DEEPHAVEN_NAMESPACE,
  DEEPHAVEN_SEED_KEYS,
} from '../../practice/fixtures/deephaven/load-deephaven.ts';
import { fixtureContext } from '../../practice/fixtures/fixture-context.ts';
import { nfsExportsDir } from '../../practice/kubelet/kubelet-setup.ts';
import { runIdOf } from '../helpers/drill-cli.ts';
import type { PracticeCluster } from '../helpers/practice-cluster.ts';
import { useFixtureCluster } from '../helpers/runbook-drill.ts';

const ns = DEEPHAVEN_NAMESPACE;
const NEW_RELEASE = 'dh-etcd2';
const BEFORE_KEY = '/deephaven/e2e/written-before-the-snapshot';
const AFTER_KEY = '/deephaven/e2e/written-after-the-snapshot';

const fixture = useFixtureCluster('runbooks-deephaven', 'deephaven');

async function rootPassword(cluster: PracticeCluster, release: string): Promise<string> {
  const encoded = await cluster.kubectlOk([
    'get',
    'secret',
    '-n',
    ns,
    release,
    '-o',
    'jsonpath={.data.etcd-root-password}',
  ]);
  return Buffer.from(encoded, 'base64').toString();
}

// etcdctl inside an etcd pod as root, the password on stdin (never on a command line).
async function etcdctlIn(cluster: PracticeCluster, pod: string, password: string, args: string[]): Promise<string> {
  const script = 'IFS= read -r password; export ETCDCTL_USER="root:$password"; exec etcdctl "$@"';
  return cluster.kubectlOk(['exec', '-i', '-n', ns, pod, '--', 'sh', '-c', script, 'sh', ...args], `${password}\n`);
}

function decodedEndpoints(secrets: { items: { metadata: { name: string }; data: { endpoints: string } }[] }) {
  return Object.fromEntries(
    secrets.items.map((item) => [item.metadata.name, Buffer.from(item.data.endpoints, 'base64').toString()]),
  );
}

describe('the Deephaven runbooks, end to end on the deephaven fixture', () => {
  it('backup → restore into a new release from the NFS claim → repoint: old keys back, the later key not, Secrets on the new service', async () => {
    const { cluster, runbookOk } = fixture();
    const oldPassword = await rootPassword(cluster, DEEPHAVEN_ETCD_RELEASE);
    await etcdctlIn(cluster, `${DEEPHAVEN_ETCD_RELEASE}-0`, oldPassword, ['put', BEFORE_KEY, 'in the snapshot']);

    const backup = await runbookOk('deephaven-etcd-backup', [
      '--param',
      `namespace=${ns}`,
      '--choose',
      `etcdPod=${DEEPHAVEN_ETCD_RELEASE}-1`,
      '--skip',
      'list-dr-snapshots=disaster recovery is off in the fixture',
      '--skip',
      'copy-dr-snapshot=disaster recovery is off in the fixture',
    ]);
    expect(backup.stdout).toContain('captured {{disasterRecovery}} = false');
    const snapshot = path.join(cluster.stateDir, 'runs', runIdOf(backup.stdout), 'workdir', 'etcd-snapshot.db');
    expect((await stat(snapshot)).size).toBeGreaterThan(0);

    await etcdctlIn(cluster, `${DEEPHAVEN_ETCD_RELEASE}-0`, oldPassword, ['put', AFTER_KEY, 'after the snapshot']);

    const context = await fixtureContext(cluster.layout);
    const chartDir = path.join(cluster.stateDir, 'deephaven-helm');
    await mkdir(chartDir, { recursive: true });
    await context.helm([
      'pull',
      'etcd',
      '--repo',
      context.chartRepo.url,
      '--ca-file',
      context.chartRepo.caFile,
      '-d',
      chartDir,
    ]);
    await runbookOk('deephaven-etcd-restore', [
      '--param',
      `namespace=${ns}`,
      '--param',
      `snapshotPath=${snapshot}`,
      '--param',
      `originalRelease=${DEEPHAVEN_ETCD_RELEASE}`,
      '--param',
      'imageRegistry=docker.io',
      '--param',
      `chartFile=${path.join(chartDir, 'etcd-11.3.6.tgz')}`,
      '--ack',
      'load-images',
      '--yes',
    ]);

    // The snapshot went through the NFS server pod onto the export the claim's volume mounts.
    const volume = JSON.parse(await cluster.kubectlOk(['get', 'pv', 'etcd-dr-snapshot-pv', '-o', 'json']));
    expect(volume.spec.nfs.path).toBe('/exports/dhsystem/etcd-backup2');
    expect(volume.spec.claimRef.name).toBe('etcd-dr-snapshot-pvc');
    await stat(path.join(nfsExportsDir(cluster.layout), 'exports/dhsystem/etcd-backup2/etcd-snapshot.db'));

    const newPassword = await rootPassword(cluster, NEW_RELEASE);
    expect(newPassword).toBe(oldPassword);
    const restored = await etcdctlIn(cluster, `${NEW_RELEASE}-0`, newPassword, ['get', '--prefix', '/deephaven/']);
    for (const [key, value] of Object.entries(DEEPHAVEN_SEED_KEYS)) expect(restored).toContain(`${key}\n${value}`);
    expect(restored).toContain(`${BEFORE_KEY}\nin the snapshot`);
    expect(restored).not.toContain(AFTER_KEY);

    const secretsBefore = JSON.parse(
      await cluster.kubectlOk(['get', 'secret', '-n', ns, '-l', 'role=etcd-client-cred', '-o', 'json']),
    );
    for (const endpoint of Object.values(decodedEndpoints(secretsBefore)))
      expect(endpoint).toBe(`http://${DEEPHAVEN_ETCD_RELEASE}.${ns}.svc.cluster.local:2379`);

    const repoint = await runbookOk('deephaven-etcd-repoint', [
      '--param',
      `namespace=${ns}`,
      '--param',
      `newRelease=${NEW_RELEASE}`,
      '--param',
      `deephavenChartDir=${chartDir}`,
      '--skip',
      'edit-values-file=the practice fixture has no Deephaven values file',
      '--skip',
      'scale-down-deephaven=the practice fixture has no setupTools/scaleAll.sh',
      '--skip',
      'upgrade-deephaven=the practice fixture has no Deephaven chart to upgrade',
      '--yes',
    ]);
    expect(repoint.stdout).toContain('✔ check-new-endpoint succeeded');

    const secrets = JSON.parse(
      await cluster.kubectlOk(['get', 'secret', '-n', ns, '-l', 'role=etcd-client-cred', '-o', 'json']),
    );
    const endpoints = decodedEndpoints(secrets);
    expect(Object.keys(endpoints).sort()).toEqual([
      'deephaven-etcd-client-cred-controller',
      'deephaven-etcd-client-cred-server',
    ]);
    const newEndpoint = `http://${NEW_RELEASE}.${ns}.svc.cluster.local:2379`;
    for (const endpoint of Object.values(endpoints)) expect(endpoint).toBe(newEndpoint);
    // The endpoint the Secrets now hold answers, with the restored data, from inside the cluster.
    const viaService = await etcdctlIn(cluster, `${NEW_RELEASE}-2`, newPassword, [
      `--endpoints=${newEndpoint}`,
      'get',
      '--print-value-only',
      BEFORE_KEY,
    ]);
    expect(viaService.trim()).toBe('in the snapshot');
  }, 900_000);
});
