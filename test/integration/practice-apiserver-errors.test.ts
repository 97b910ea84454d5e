import { describe, expect, it } from 'vitest';
import { eventually, usePracticeCluster } from '../helpers/practice-cluster.ts';

// The practice API server's garbage collection, its errors as kubectl prints them, and Service
// updates, with the real kubectl 1.32.
const practice = usePracticeCluster('apiserver-errors');
const kubectlOk = (args: string[], input?: string) => practice().kubectlOk(args, input);

describe('garbage collection', () => {
  async function createFamily(owner: string, dependents: string[], dependentFinalizer = false): Promise<void> {
    await kubectlOk(['create', 'configmap', owner]);
    const uid = await kubectlOk(['get', 'cm', owner, '-o', 'jsonpath={.metadata.uid}']);
    const manifests = dependents.map(
      (name) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${dependentFinalizer ? '  finalizers: [example.com/hold]\n' : ''}  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: ${owner}, uid: ${uid}}]\n`,
    );
    await kubectlOk(['apply', '-f', '-'], manifests.join('---\n'));
  }

  const exists = async (name: string) => (await practice().kubectl(['get', 'cm', name, '-o', 'name'])).exitCode === 0;

  it('deletes the dependents after their owner (Background)', async () => {
    await createFamily('bg-owner', ['bg-a', 'bg-b']);
    await kubectlOk(['delete', 'cm', 'bg-owner', '--cascade=background']);
    await eventually(async () => {
      expect([await exists('bg-a'), await exists('bg-b')]).toEqual([false, false]);
    });
  });

  it('keeps the owner until its dependents are gone (Foreground)', async () => {
    await createFamily('fg-owner', ['fg-a'], true);
    await kubectlOk(['delete', 'cm', 'fg-owner', '--cascade=foreground', '--wait=false']);
    await eventually(async () => {
      expect(await kubectlOk(['get', 'cm', 'fg-a', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).not.toBe('');
    });
    const owner = JSON.parse(await kubectlOk(['get', 'cm', 'fg-owner', '-o', 'json'])) as {
      metadata: { finalizers: string[]; deletionTimestamp?: string };
    };
    expect(owner.metadata.finalizers).toContain('foregroundDeletion');
    expect(owner.metadata.deletionTimestamp).toBeDefined();
    await kubectlOk(['patch', 'cm', 'fg-a', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await eventually(async () => {
      expect(await exists('fg-owner')).toBe(false);
    });
  });

  it('leaves the dependents without their owner reference (Orphan)', async () => {
    await createFamily('or-owner', ['or-a']);
    await kubectlOk(['delete', 'cm', 'or-owner', '--cascade=orphan']);
    expect(await exists('or-owner')).toBe(false);
    expect(await kubectlOk(['get', 'cm', 'or-a', '-o', 'jsonpath={.metadata.ownerReferences}'])).toBe('');
  });
});

describe('errors as a real cluster prints them', () => {
  it('prints NotFound, AlreadyExists and Invalid', async () => {
    expect((await practice().kubectl(['get', 'pod', 'nowhere'])).stderr.trim()).toBe(
      'Error from server (NotFound): pods "nowhere" not found',
    );
    await kubectlOk(['create', 'configmap', 'twice']);
    expect((await practice().kubectl(['create', 'configmap', 'twice'])).stderr.trim()).toBe(
      'error: failed to create configmap: configmaps "twice" already exists',
    );
    const again = await practice().kubectl(['create', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: twice}\n',
    });
    expect(again.stderr.trim()).toBe(
      'Error from server (AlreadyExists): error when creating "STDIN": configmaps "twice" already exists',
    );
    expect((await practice().kubectl(['create', 'configmap', 'Bad_Name'])).stderr).toContain(
      'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
    );
    const noContainers = await practice().kubectl(['create', '-f', '-'], {
      input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: empty}\nspec: {}\n',
    });
    expect(noContainers.stderr.trim()).toBe('The Pod "empty" is invalid: spec.containers: Required value');
  });

  it('answers 422 with field causes as a Status', async () => {
    const answer = await practice().request('POST', '/api/v1/namespaces/default/configmaps', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Nope!' } }),
    });
    expect(answer.status).toBe(422);
    expect(answer.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      details: { name: 'Nope!', kind: 'ConfigMap', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] },
    });
  });

  it('forbids the viewer what RBAC does not grant it, and lets it read', async () => {
    const secrets = await practice().kubectl(['get', 'secrets'], { context: 'viewer' });
    expect(secrets.stderr.trim()).toBe(
      'Error from server (Forbidden): secrets is forbidden: User "drillbook-viewer" cannot list resource "secrets" in API group "" in the namespace "default"',
    );
    const create = await practice().kubectl(['create', 'configmap', 'by-viewer'], { context: 'viewer' });
    expect(create.stderr).toContain(
      'configmaps is forbidden: User "drillbook-viewer" cannot create resource "configmaps" in API group "" in the namespace "default"',
    );
    expect((await practice().kubectl(['get', 'pods'], { context: 'viewer' })).exitCode).toBe(0);
  });

  it('answers a SelfSubjectAccessReview (JSON) from RBAC for both users', async () => {
    const review = (verb: string, resource: string) =>
      JSON.stringify({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace: 'default', verb, resource } },
      });
    const path = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
    const ask = async (user: 'admin' | 'viewer', verb: string, resource: string) => {
      const answer = await practice().request('POST', path, { body: review(verb, resource), user });
      expect(answer.status).toBe(201);
      return answer.json<{ status: { allowed: boolean } }>().status.allowed;
    };
    expect(await ask('admin', 'delete', 'secrets')).toBe(true);
    expect(await ask('viewer', 'list', 'pods')).toBe(true);
    expect(await ask('viewer', 'list', 'secrets')).toBe(false);
    expect(await ask('viewer', 'create', 'configmaps')).toBe(false);
  });

  // kubectl sends the review in protobuf.
  it('answers kubectl auth can-i for both users', async () => {
    const canI = async (context: 'admin' | 'viewer', ...args: string[]) =>
      (await practice().kubectl(['auth', 'can-i', ...args], context === 'viewer' ? { context } : {})).stdout.trim();
    expect(await canI('admin', 'delete', 'secrets')).toBe('yes');
    expect(await canI('viewer', 'list', 'pods')).toBe('yes');
    expect(await canI('viewer', 'list', 'secrets')).toBe('no');
    expect(await canI('viewer', 'create', 'configmaps')).toBe('no');
  });

  it('answers malformed requests with 4xx and stays up', async () => {
    const post = (body: string | Buffer, contentType = 'application/json') =>
      practice().request('POST', '/api/v1/namespaces/default/configmaps', { body, contentType });
    const badJson = await post('{"apiVersion": ');
    expect(badJson.status).toBe(400);
    expect(badJson.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    const wrongKind = await post(JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }));
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json<{ message: string }>().message).toContain(
      'Secret in version "v1" cannot be handled as a ConfigMap',
    );
    expect((await post('[]')).status).toBe(400);
    expect((await post('null')).status).toBe(400);
    expect((await post('{"metadata": "x"}')).status).toBeGreaterThanOrEqual(400);
    const huge = Buffer.alloc(4 * 1024 * 1024, 'a');
    expect((await post(huge)).status).toBe(413);
    expect((await post('<xml/>', 'application/xml')).status).toBe(415);
    const selector = await practice().kubectl(['get', 'pods', '-l', 'a in (b']);
    expect(selector.stderr).toContain(
      'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "a in (b"',
    );
    const badPatch = await practice().request('PATCH', '/api/v1/namespaces/default/configmaps/twice', {
      body: '[{"op":"frob"}]',
      contentType: 'application/json-patch+json',
    });
    expect(badPatch.status).toBeGreaterThanOrEqual(400);
    expect(badPatch.status).toBeLessThan(500);
    expect(
      (await practice().request('GET', '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=abc')).status,
    ).toBe(400);
    expect((await practice().kubectl(['get', '--raw', '/readyz'])).stdout).toBe('ok');
    expect(await kubectlOk(['get', 'cm', 'twice', '-o', 'name'])).toBe('configmap/twice');
  });
});

describe('services', () => {
  it('keeps the allocated cluster IP when an update leaves it out, and refuses to change it', async () => {
    await kubectlOk(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: Service\nmetadata: {name: kept}\nspec: {ports: [{port: 80, targetPort: 8080}]}\n',
    );
    const read = JSON.parse(await kubectlOk(['get', 'svc', 'kept', '-o', 'json'])) as {
      metadata: Record<string, unknown>;
      spec: Record<string, unknown>;
    };
    const allocated = read.spec.clusterIP;
    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = read.spec;
    const { resourceVersion: _rv, ...metadata } = read.metadata;
    await kubectlOk(['replace', '-f', '-'], JSON.stringify({ ...read, metadata, spec }));
    expect(await kubectlOk(['get', 'svc', 'kept', '-o', 'jsonpath={.spec.clusterIP}'])).toBe(allocated);
    const moved = await practice().kubectl(['replace', '-f', '-'], {
      input: JSON.stringify({
        ...read,
        metadata,
        spec: { ...spec, clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'] },
      }),
    });
    expect(moved.stderr.trim()).toBe(
      'The Service "kept" is invalid: spec.clusterIP: Invalid value: "10.96.0.99": field is immutable',
    );
    const applied = `apiVersion: v1\nkind: Service\nmetadata: {name: kept}\nspec: {ports: [{port: 80, targetPort: 8080}]}\n`;
    await kubectlOk(['apply', '-f', '-'], applied);
    expect(await kubectlOk(['get', 'svc', 'kept', '-o', 'jsonpath={.spec.clusterIP}'])).toBe(allocated);
  });
});
