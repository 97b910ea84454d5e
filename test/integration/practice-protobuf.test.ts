import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { practiceDown, practiceUp } from '../../practice/cluster/lifecycle.ts';
import { type PracticeLayout, practiceLayout } from '../../practice/layout.ts';
import { ensureTools, type ToolPaths } from '../../practice/tools/pinned-tools.ts';

// kubectl and helm talk to a practice cluster of their own; their typed calls send protobuf bodies.
let stateDir: string;
let layout: PracticeLayout;
let tools: ToolPaths;

function run(binary: string, args: string[]) {
  return execa(binary, args, {
    env: { KUBECONFIG: layout.kubeconfig, HOME: stateDir, PATH: process.env.PATH ?? '' },
    extendEnv: false,
    reject: false,
  });
}

async function getJson(args: string[]): Promise<Record<string, unknown>> {
  const result = await run(tools.kubectl, ['get', ...args, '-o', 'json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

// Creates with kubectl, then expects every field of the same command's dry-run JSON in the stored object.
async function createAndCompare(kubectl: string, args: string[], get: string[]): Promise<void> {
  const separator = args.indexOf('--');
  const [flags, command] = separator < 0 ? [args, []] : [args.slice(0, separator), args.slice(separator)];
  const dryRun = await run(kubectl, [...flags, '-o', 'json', '--dry-run=client', ...command]);
  expect(dryRun.exitCode, dryRun.stderr).toBe(0);
  const created = await run(kubectl, args);
  expect(created.exitCode, `${args.join(' ')}: ${created.stderr}`).toBe(0);
  const intended = JSON.parse(dryRun.stdout, (key, value) =>
    key === 'creationTimestamp' && value === null ? undefined : value,
  );
  expect(await getJson(get)).toMatchObject(intended);
}

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-protobuf-'));
  layout = practiceLayout(stateDir);
  tools = await ensureTools();
  await practiceUp(layout, { env: process.env });
}, 60_000);

afterAll(async () => {
  if (layout) await practiceDown(layout);
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

describe('protobuf bodies from the real clients', () => {
  it('kubectl 1.32 creates each kind through protobuf and the stored objects hold every field it meant', async () => {
    const k = tools.kubectl;
    await createAndCompare(k, ['create', 'namespace', 'pb'], ['namespace', 'pb']);
    const ns = ['-n', 'pb'];
    await createAndCompare(
      k,
      ['create', 'secret', 'generic', 's', '--from-literal=user=admin', ...ns],
      ['secret', 's', ...ns],
    );
    await createAndCompare(
      k,
      ['create', 'configmap', 'cm', '--from-literal=color=blue', ...ns],
      ['configmap', 'cm', ...ns],
    );
    await createAndCompare(k, ['create', 'serviceaccount', 'sa', ...ns], ['serviceaccount', 'sa', ...ns]);
    await createAndCompare(
      k,
      ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80', ...ns],
      ['deployment', 'web', ...ns],
    );
    await createAndCompare(
      k,
      ['create', 'job', 'once', '--image=busybox', ...ns, '--', 'echo', 'hi'],
      ['job', 'once', ...ns],
    );
    await createAndCompare(
      k,
      ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', ...ns, '--', 'date'],
      ['cronjob', 'tick', ...ns],
    );
    await createAndCompare(
      k,
      ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443', ...ns],
      ['service', 'web', ...ns],
    );
    await createAndCompare(
      k,
      ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps', ...ns],
      ['role', 'reader', ...ns],
    );
    await createAndCompare(
      k,
      ['create', 'rolebinding', 'reader', '--role=reader', '--user=alice', '--serviceaccount=pb:sa', ...ns],
      ['rolebinding', 'reader', ...ns],
    );
    await createAndCompare(
      k,
      ['create', 'clusterrole', 'pb-nodes', '--verb=get', '--resource=nodes'],
      ['clusterrole', 'pb-nodes'],
    );
    await createAndCompare(
      k,
      ['create', 'clusterrolebinding', 'pb-nodes', '--clusterrole=pb-nodes', '--group=ops'],
      ['clusterrolebinding', 'pb-nodes'],
    );
  });

  it('kubectl 1.34 creates through protobuf too', async () => {
    const k = tools.kubectl134;
    await createAndCompare(k, ['create', 'namespace', 'pb134'], ['namespace', 'pb134']);
    await createAndCompare(
      k,
      ['create', 'deployment', 'zero', '--image=busybox', '--replicas=0', '-n', 'pb134', '--', 'sleep', '1'],
      ['deployment', 'zero', '-n', 'pb134'],
    );
    expect(((await getJson(['deployment', 'zero', '-n', 'pb134'])).spec as { replicas: number }).replicas).toBe(0);
  });

  it('kubectl create job --from=cronjob sends the cron job’s pod template back intact', async () => {
    const created = await run(tools.kubectl, ['create', 'job', 'now', '--from=cronjob/tick', '-n', 'pb']);
    expect(created.exitCode, created.stderr).toBe(0);
    const cronJob = (await getJson(['cronjob', 'tick', '-n', 'pb'])) as {
      spec: { jobTemplate: { spec: { template: { spec: unknown } } } };
    };
    const job = (await getJson(['job', 'now', '-n', 'pb'])) as { spec: { template: { spec: unknown } } };
    expect(job.spec.template.spec).toMatchObject(cronJob.spec.jobTemplate.spec.template.spec as object);
  });

  it('kubectl auth can-i asks with a protobuf SelfSubjectAccessReview', async () => {
    const admin = await run(tools.kubectl, ['auth', 'can-i', 'create', 'pods', '-n', 'pb']);
    expect([admin.exitCode, admin.stdout]).toEqual([0, 'yes']);
    const viewer = await run(tools.kubectl, ['--context=drillbook-practice-viewer', 'auth', 'can-i', 'create', 'pods']);
    expect(viewer.exitCode).toBe(1);
    expect(viewer.stdout).toMatch(/^no/);
    const nonResource = await run(tools.kubectl134, ['auth', 'can-i', 'get', '/healthz']);
    expect([nonResource.exitCode, nonResource.stdout]).toEqual([0, 'yes']);
  });

  it.each([
    ['helm 3', 'helm', 'web3'],
    ['helm 4', 'helm4', 'web4'],
  ] as const)(
    '%s installs with --create-namespace and uninstalls: protobuf release Secrets and DeleteOptions',
    async (_, key, release) => {
      const helm = tools[key];
      const chart = path.join(stateDir, `chart-${release}`);
      expect((await run(helm, ['create', chart])).exitCode).toBe(0);
      const install = await run(helm, ['install', release, chart, '-n', `ns-${release}`, '--create-namespace']);
      expect(install.exitCode, install.stderr).toBe(0);
      const status = await run(helm, ['status', release, '-n', `ns-${release}`, '-o', 'json']);
      expect(JSON.parse(status.stdout).info.status).toBe('deployed');
      const secret = (await getJson(['secret', `sh.helm.release.v1.${release}.v1`, '-n', `ns-${release}`])) as {
        type: string;
        metadata: { labels: Record<string, string> };
      };
      expect(secret.type).toBe('helm.sh/release.v1');
      expect(secret.metadata.labels).toMatchObject({ owner: 'helm', name: release, status: 'deployed' });
      const uninstall = await run(helm, ['uninstall', release, '-n', `ns-${release}`]);
      expect(uninstall.exitCode, uninstall.stderr).toBe(0);
      const left = await run(tools.kubectl, [
        'get',
        'secrets',
        '-l',
        'owner=helm',
        '-n',
        `ns-${release}`,
        '-o',
        'name',
      ]);
      expect(left.stdout).toBe('');
    },
  );

  it('answers 415 for a field it cannot decode and 400 for broken bytes, never 500', async () => {
    const namespace = Buffer.from([0x0a, 0x04, 0x0a, 0x02, 0x7a, 0x7a, 0xfa, 0x06, 0x01, 0x78]);
    const typeMeta = Buffer.from([0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, ...Buffer.from('Namespace')]);
    const body = Buffer.concat([
      Buffer.from('k8s\0'),
      Buffer.from([0x0a, typeMeta.length]),
      typeMeta,
      Buffer.from([0x12, namespace.length]),
      namespace,
    ]);
    const unknownField = await postProtobuf('/api/v1/namespaces', body);
    expect(unknownField.status).toBe(415);
    expect(unknownField.body).toMatchObject({ reason: 'UnsupportedMediaType' });
    expect(String(unknownField.body.message)).toContain('field 111 of Namespace');
    for (let length = 5; length < body.length; length++) {
      const cut = await postProtobuf('/api/v1/namespaces', body.subarray(0, length));
      expect([400, 415, 422], `cut at ${length}`).toContain(cut.status);
    }
  });
});

async function postProtobuf(urlPath: string, body: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  const config = parse(await readFile(layout.kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const cluster = config.clusters[0]?.cluster;
  const user = config.users.find((entry) => entry.name === 'kubernetes-admin')?.user;
  if (!cluster || !user) throw new Error('no admin in the practice kubeconfig');
  const decode = (text: string) => Buffer.from(text, 'base64');
  return new Promise((resolve, reject) => {
    const request = https.request(
      new URL(urlPath, cluster.server),
      {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/json' },
        ca: decode(cluster['certificate-authority-data']),
        cert: decode(user['client-certificate-data']),
        key: decode(user['client-key-data']),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
