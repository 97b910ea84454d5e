import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Fault } from '../../protocol/index.ts';
import type { FixtureContext } from '../fixtures/fixture-context.ts';

type ReleaseGone = Extract<Fault, { kind: 'helm-release-gone' }>;

// Deephaven's disaster: a snapshot of the release's etcd is kept for the trainee (with the chart
// package the release came from, as Deephaven's distribution ships it), then the
// StatefulSet is scaled to zero (its pods are gone) and its PersistentVolumeClaims are deleted.
// The Helm release itself stays, as after a lost node pool.
export async function removeHelmEtcd(context: FixtureContext, fault: ReleaseGone, snapshotFile: string): Promise<void> {
  const { namespace, release } = fault;
  const password = Buffer.from(
    await context.kubectl(['get', 'secret', release, '-n', namespace, '-o', 'jsonpath={.data.etcd-root-password}']),
    'base64',
  ).toString('utf8');
  const pod = `${release}-0`;
  await context.kubectl(
    [
      'exec',
      '-i',
      pod,
      '-n',
      namespace,
      '--',
      'sh',
      '-c',
      'read -r p; etcdctl --user "root:$p" snapshot save /tmp/drill-snapshot.db >/dev/null',
    ],
    `${password}\n`,
  );
  await mkdir(path.dirname(snapshotFile), { recursive: true });
  await context.kubectl(['cp', `${namespace}/${pod}:/tmp/drill-snapshot.db`, snapshotFile]);
  const { url, caFile } = context.chartRepo;
  await context.helm(['pull', 'etcd', '--repo', url, '--ca-file', caFile, '-d', path.dirname(snapshotFile)]);
  await context.kubectl(['scale', 'statefulset', release, '-n', namespace, '--replicas=0']);
  const selector = `app.kubernetes.io/instance=${release}`;
  await context.waitFor(
    `the pods of ${release} to be gone`,
    async () => {
      const names = await context.kubectl(['get', 'pods', '-n', namespace, '-l', selector, '-o', 'name']);
      return names.trim() === '' ? true : undefined;
    },
    60_000,
  );
  await context.kubectl(['delete', 'pvc', '-n', namespace, '-l', selector, '--wait=true']);
}
