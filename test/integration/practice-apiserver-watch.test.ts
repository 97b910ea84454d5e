import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import { eventually, parseTable, usePracticeCluster } from '../helpers/practice-cluster.ts';

// Watches, custom resources, server-side apply and helm, with the real kubectl and helm.
const practice = usePracticeCluster('apiserver-watch');
const kubectlOk = (args: string[], input?: string) => practice().kubectlOk(args, input);

// A long-running kubectl the test ends itself, by its pid.
function startKubectl(args: string[]) {
  return execa(toolPaths().kubectl, args, {
    env: { KUBECONFIG: practice().layout.kubeconfig, HOME: practice().stateDir },
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
}

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wg]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1}
              color: {type: string, enum: [red, blue], default: red}
          status:
            type: object
            properties:
              conditions:
                type: array
                items:
                  type: object
                  properties:
                    type: {type: string}
                    status: {type: string}
`;

const widget = (name: string, spec: string) =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: ${spec}\n`;

describe('custom resources', () => {
  beforeAll(async () => {
    await kubectlOk(['apply', '-f', '-'], CRD);
    await kubectlOk(['wait', '--for=condition=established', 'crd/widgets.example.com', '--timeout=10s']);
  });

  it('serves a custom resource from its CRD, with its printer columns and schema defaults', async () => {
    await kubectlOk(['apply', '-f', '-'], widget('small', '{size: 2}'));
    expect(parseTable(await kubectlOk(['get', 'widgets']))).toEqual([
      { NAME: 'small', SIZE: '2', COLOR: 'red', AGE: expect.any(String) },
    ]);
    expect(await kubectlOk(['get', 'wg', 'small', '-o', 'jsonpath={.spec.color}'])).toBe('red');
  });

  it('refuses an invalid custom resource with 422 and one cause per field', async () => {
    const result = await practice().kubectl(['apply', '-f', '-'], {
      input: widget('broken', '{size: 0, color: green}'),
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('The Widget "broken" is invalid: \n');
    expect(result.stderr).toContain(
      '* spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1',
    );
    expect(result.stderr).toContain('* spec.color: Unsupported value: "green": supported values: "red", "blue"');
    const unknown = await practice().kubectl(['apply', '-f', '-'], { input: widget('odd', '{size: 1, shape: round}') });
    expect(unknown.stderr).toContain('strict decoding error: unknown field "spec.shape"');
  });

  it('waits for a condition set through the status subresource', async () => {
    await kubectlOk(['apply', '-f', '-'], widget('ready', '{size: 1}'));
    const waiting = startKubectl(['wait', '--for=condition=Ready', 'widget/ready', '--timeout=20s']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const status = '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}';
    await kubectlOk(['patch', 'widget', 'ready', '--subresource=status', '--type=merge', '-p', status]);
    const done = await waiting;
    expect(done.stdout.trim()).toBe('widget.example.com/ready condition met');
  });

  it('changes only the spec through the object and only the status through /status', async () => {
    await kubectlOk([
      'patch',
      'widget',
      'ready',
      '--type=merge',
      '-p',
      '{"spec":{"size":5},"status":{"conditions":[]}}',
    ]);
    const after = JSON.parse(await kubectlOk(['get', 'widget', 'ready', '-o', 'json'])) as {
      spec: { size: number };
      status: { conditions: unknown[] };
      metadata: { generation: number };
    };
    expect(after.spec.size).toBe(5);
    expect(after.status.conditions).toHaveLength(1);
    expect(after.metadata.generation).toBe(2);
    await kubectlOk(['patch', 'widget', 'ready', '--subresource=status', '--type=merge', '-p', '{"spec":{"size":9}}']);
    expect(await kubectlOk(['get', 'widget', 'ready', '-o', 'jsonpath={.spec.size}'])).toBe('5');
  });

  it('removes the custom resources and the kind when the CRD is deleted', async () => {
    await kubectlOk(['delete', 'crd', 'widgets.example.com']);
    await eventually(async () => {
      const gone = await practice().request('GET', '/apis/example.com/v1/namespaces/default/widgets');
      expect(gone.status).toBe(404);
    });
    const groups = await practice().request('GET', '/apis');
    expect(groups.body).not.toContain('example.com');
    const keys = await practice().etcdctl(['get', '/registry/example.com/widgets/', '--prefix', '--keys-only']);
    expect(keys.stdout.trim()).toBe('');
  });
});

describe('watch', () => {
  it('streams kubectl get -w as rows under one header, until the test ends it', async () => {
    const watching = startKubectl(['get', 'configmaps', '-w']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await kubectlOk(['create', 'configmap', 'watched', '--from-literal=a=b']);
    await kubectlOk(['label', 'configmap', 'watched', 'seen=yes']);
    await kubectlOk(['delete', 'configmap', 'watched']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    watching.kill('SIGTERM');
    const { stdout } = await watching;
    const lines = stdout.split('\n').filter(Boolean);
    expect(lines.filter((line) => line.startsWith('NAME'))).toHaveLength(1);
    expect(parseTable(stdout).filter((row) => row.NAME === 'watched')).toEqual([
      { NAME: 'watched', DATA: '1', AGE: expect.any(String) },
      { NAME: 'watched', DATA: '1', AGE: expect.any(String) },
      { NAME: 'watched', DATA: '1', AGE: expect.any(String) },
    ]);
  });

  it('waits for kubectl rollout status on a deployment whose status is patched to complete', async () => {
    await kubectlOk(
      ['apply', '-f', '-'],
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx:1.27}]}}}\n',
    );
    const rollout = startKubectl(['rollout', 'status', 'deployment/web', '--timeout=20s']);
    const available = startKubectl(['wait', '--for=condition=Available', 'deployment/web', '--timeout=20s']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const status = {
      status: {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
        ],
      },
    };
    await kubectlOk([
      'patch',
      'deployment',
      'web',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify(status),
    ]);
    expect((await rollout).stdout).toContain('deployment "web" successfully rolled out');
    expect((await available).stdout.trim()).toBe('deployment.apps/web condition met');
  });

  it('sends bookmarks when asked, the initial-events-end one first', async () => {
    const list = await practice().request('GET', '/api/v1/namespaces/default/configmaps');
    const revision = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
    const initial = await practice().request(
      'GET',
      '/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1',
    );
    const events = initial.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as WatchLine);
    expect(events.at(-1)).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });
    const periodic = await practice().request(
      'GET',
      `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${revision}&allowWatchBookmarks=true&timeoutSeconds=6`,
    );
    const bookmark = JSON.parse(periodic.body.trim().split('\n')[0] ?? '{}') as WatchLine;
    expect(bookmark).toMatchObject({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1' } });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(revision));
  }, 15_000);

  it('answers 410 Expired for a resourceVersion etcd has compacted, and stays up', async () => {
    await kubectlOk(['create', 'configmap', 'before-compaction']);
    const old = await kubectlOk(['get', 'cm', 'before-compaction', '-o', 'jsonpath={.metadata.resourceVersion}']);
    await kubectlOk(['create', 'configmap', 'after-compaction']);
    await kubectlOk(['label', 'configmap', 'after-compaction', 'compacted=yes']);
    const current = await kubectlOk(['get', 'cm', 'after-compaction', '-o', 'jsonpath={.metadata.resourceVersion}']);
    const compact = await practice().etcdctl(['compact', current]);
    expect(compact.exitCode, compact.stderr).toBe(0);
    for (let attempt = 0; attempt < 2; attempt++) {
      const expired = await practice().request(
        'GET',
        `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${old}`,
      );
      expect(expired.status).toBe(200);
      expect(JSON.parse(expired.body.trim())).toEqual({
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: expect.stringMatching(new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`)),
          reason: 'Expired',
          code: 410,
        },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await kubectlOk(['get', '--raw', '/readyz'])).toBe('ok');
    expect(await kubectlOk(['get', 'cm', 'after-compaction', '-o', 'name'])).toBe('configmap/after-compaction');
  });
});

interface WatchLine {
  type: string;
  object: { kind: string; metadata: { resourceVersion: string; annotations?: Record<string, string> } };
}
