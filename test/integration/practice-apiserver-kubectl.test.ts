import { beforeAll, describe, expect, it } from 'vitest';
import { KINDS, NS, OBJECTS } from '../fixtures/practice/every-kind.ts';
import { eventually, parseTable, usePracticeCluster } from '../helpers/practice-cluster.ts';

// The practice API server as the real kubectl 1.32 sees it: discovery, every kind it serves,
// tables and output formats, selectors, concurrency and deletion semantics.
const practice = usePracticeCluster('apiserver-kubectl');
const kubectlOk = (args: string[], input?: string) => practice().kubectlOk(args, input);

describe('discovery, health and OpenAPI', () => {
  it('answers /version, /readyz and /livez', async () => {
    const version = JSON.parse(await kubectlOk(['version', '-o', 'json'])) as {
      serverVersion: { gitVersion: string; major: string; minor: string };
    };
    expect(version.serverVersion).toMatchObject({ major: '1', minor: '32' });
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.32\./);
    expect(await kubectlOk(['get', '--raw', '/readyz'])).toBe('ok');
    expect(await kubectlOk(['get', '--raw', '/livez'])).toBe('ok');
  });

  it('lists every kind it serves in kubectl api-resources, from legacy and aggregated discovery', async () => {
    const rows = parseTable(await kubectlOk(['api-resources']));
    const names = rows.map((row) => `${row.NAME}.${row.APIVERSION}`);
    for (const [resource] of OBJECTS) {
      const [plural, ...group] = resource.split('.');
      expect(names.some((name) => name.startsWith(`${plural}.${group.length ? `${group.join('.')}/` : 'v1'}`))).toBe(
        true,
      );
    }
    expect(rows.find((row) => row.NAME === 'deployments')).toMatchObject({
      SHORTNAMES: 'deploy',
      APIVERSION: 'apps/v1',
      NAMESPACED: 'true',
      KIND: 'Deployment',
    });
    const legacy = JSON.parse(await kubectlOk(['get', '--raw', '/api/v1'])) as { resources: { name: string }[] };
    expect(legacy.resources.map((resource) => resource.name)).toContain('pods/status');
    expect((await kubectlOk(['api-versions'])).split('\n')).toContain('apps/v1');
  });

  it('serves OpenAPI v3, so kubectl explain reads it and kubectl apply rejects an unknown field', async () => {
    expect(await kubectlOk(['explain', 'deployment.spec.replicas'])).toContain('FIELD: replicas <integer>');
    const typo = await practice().kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typo}\ndatta: {a: b}\n',
    });
    expect(typo.exitCode).toBe(1);
    expect(typo.stderr).toContain(
      'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datta"',
    );
  });
});

describe('kinds', () => {
  beforeAll(async () => {
    await kubectlOk(['apply', '-f', '-'], KINDS);
  });

  it('creates, gets and lists every listed kind', async () => {
    for (const [resource, namespaced, name] of OBJECTS) {
      const where = namespaced ? ['-n', NS] : [];
      expect(await kubectlOk(['get', resource, name, ...where, '-o', 'jsonpath={.metadata.name}'])).toBe(name);
      const listed = (await kubectlOk(['get', resource, ...where, '-o', 'name'])).split('\n');
      expect(listed.filter((line) => line.endsWith(`/${name}`))).toHaveLength(1);
    }
  });

  it('prints the table columns kubectl prints for a real cluster', async () => {
    const pods = parseTable(await kubectlOk(['get', 'pods', '-n', NS, '-l', 'app=web']));
    expect(pods).toEqual([{ NAME: 'web-0', READY: '0/1', STATUS: 'Pending', RESTARTS: '0', AGE: expect.any(String) }]);
    const services = parseTable(await kubectlOk(['get', 'services', '-n', NS]));
    expect(services[0]).toMatchObject({ NAME: 'web', TYPE: 'ClusterIP', 'EXTERNAL-IP': '<none>', 'PORT(S)': '80/TCP' });
    expect(services[0]?.['CLUSTER-IP']).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(parseTable(await kubectlOk(['get', 'deployments', '-n', NS, '-o', 'wide']))[0]).toMatchObject({
      NAME: 'web',
      READY: '0/0',
      'UP-TO-DATE': '0',
      AVAILABLE: '0',
      CONTAINERS: 'nginx',
      IMAGES: 'nginx:1.27',
      SELECTOR: 'app=web',
    });
    expect(parseTable(await kubectlOk(['get', 'secrets', '-n', NS]))[0]).toMatchObject({
      NAME: 'creds',
      TYPE: 'Opaque',
      DATA: '1',
    });
    expect(parseTable(await kubectlOk(['get', 'configmaps', 'settings', '-n', NS]))[0]).toMatchObject({ DATA: '2' });
    expect(parseTable(await kubectlOk(['get', 'jobs', '-n', NS]))[0]).toMatchObject({
      NAME: 'once',
      STATUS: 'Running',
      COMPLETIONS: '0/1',
    });
    expect(parseTable(await kubectlOk(['get', 'pv', 'fidelity-pv']))[0]).toMatchObject({
      CAPACITY: '1Gi',
      'ACCESS MODES': 'RWO',
      'RECLAIM POLICY': 'Retain',
      STATUS: 'Available',
    });
    const all = parseTable(await kubectlOk(['get', 'deployments', '-A']));
    expect(all).toContainEqual(expect.objectContaining({ NAMESPACE: NS, NAME: 'web' }));
  });

  it('prints -o json, -o yaml, -o jsonpath and custom-columns', async () => {
    const list = JSON.parse(await kubectlOk(['get', 'configmaps', '-n', NS, '-o', 'json'])) as {
      kind: string;
      items: { metadata: { name: string; resourceVersion: string } }[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((item) => item.metadata.name)).toContain('settings');
    const yaml = await kubectlOk(['get', 'secret', 'creds', '-n', NS, '-o', 'yaml']);
    expect(yaml).toContain(`password: ${Buffer.from('hunter2').toString('base64')}`);
    expect(yaml).toMatch(/^kind: Secret$/m);
    expect(await kubectlOk(['get', 'cm', 'settings', '-n', NS, '-o', 'jsonpath={.data.color}'])).toBe('blue');
    const columns = await kubectlOk([
      'get',
      'cm',
      '-n',
      NS,
      '-l',
      'app=web',
      '-o',
      'custom-columns=NAME:.metadata.name,COLOR:.data.color',
    ]);
    expect(parseTable(columns)).toEqual([{ NAME: 'settings', COLOR: 'blue' }]);
  });

  it('filters by label and field selectors', async () => {
    await kubectlOk(['create', 'configmap', 'plain', '-n', NS]);
    const names = async (args: string[]) =>
      (await kubectlOk(['get', 'cm', '-n', NS, ...args, '-o', 'name'])).split('\n').filter(Boolean).sort();
    expect(await names(['-l', 'app=web'])).toEqual(['configmap/settings']);
    expect(await names(['-l', 'tier in (front,back)'])).toEqual(['configmap/settings']);
    expect(await names(['-l', '!tier'])).toEqual(['configmap/plain']);
    expect(await names(['--field-selector', 'metadata.name=plain'])).toEqual(['configmap/plain']);
    const byPhase = (phase: string, where: string[]) =>
      kubectlOk(['get', 'pods', ...where, '--field-selector', `status.phase=${phase}`, '-o', 'name']);
    await eventually(async () => expect(await byPhase('Running', ['-n', NS])).toMatch(/^pod\/once-[a-z0-9]{5}$/));
    expect(await byPhase('Pending', ['-A'])).toBe('pod/web-0');
  });

  it('deletes a collection by label, answering with the deleted objects as a list', async () => {
    const batch = ['one', 'two']
      .map(
        (name) =>
          `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: batch-${name}, namespace: ${NS}, labels: {batch: x}}`,
      )
      .join('\n---\n');
    await kubectlOk(['apply', '-f', '-'], batch);
    const answer = await practice().request('DELETE', `/api/v1/namespaces/${NS}/configmaps?labelSelector=batch%3Dx`);
    expect(answer.status).toBe(200);
    const list = answer.json<{
      kind: string;
      metadata: { resourceVersion: string };
      items: { metadata: { name: string } }[];
    }>();
    expect(list.kind).toBe('ConfigMapList');
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(list.items.map((item) => item.metadata.name).sort()).toEqual(['batch-one', 'batch-two']);
    expect(await kubectlOk(['get', 'cm', '-n', NS, '-l', 'batch=x', '-o', 'name'])).toBe('');
  });

  it('deletes every listed kind, which is then NotFound', async () => {
    for (const [resource, namespaced, name] of OBJECTS) {
      const where = namespaced ? ['-n', NS] : [];
      await kubectlOk(['delete', resource, name, ...where]);
      const gone = await practice().kubectl(['get', resource, name, ...where]);
      expect(gone.stderr).toMatch(/^Error from server \(NotFound\): \S+ "[^"]+" not found$/);
    }
  });
});

describe('resource versions, names and deletion', () => {
  it('refuses a replace with a stale resourceVersion with 409 Conflict', async () => {
    await kubectlOk(['create', 'configmap', 'versioned', '--from-literal=a=1']);
    const read = await kubectlOk(['get', 'cm', 'versioned', '-o', 'json']);
    await kubectlOk(['label', 'cm', 'versioned', 'touched=yes']);
    const stale = await practice().kubectl(['replace', '-f', '-'], { input: read });
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr.trim()).toBe(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "versioned": the object has been modified; please apply your changes to the latest version and try again',
    );
    const fresh = (await kubectlOk(['get', 'cm', 'versioned', '-o', 'json'])).replace('"a": "1"', '"a": "2"');
    await kubectlOk(['replace', '-f', '-'], fresh);
    expect(await kubectlOk(['get', 'cm', 'versioned', '-o', 'jsonpath={.data.a}'])).toBe('2');
  });

  it('names an object from generateName', async () => {
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: generated-}\n';
    const first = await kubectlOk(['create', '-f', '-'], manifest);
    const second = await kubectlOk(['create', '-f', '-'], manifest);
    expect(first).toMatch(/^configmap\/generated-[a-z0-9]{5} created$/);
    expect(second).not.toBe(first);
  });

  it('keeps an object with a finalizer, with a deletionTimestamp, until the finalizer is patched away', async () => {
    await kubectlOk(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, finalizers: [example.com/hold]}\n',
    );
    await kubectlOk(['delete', 'cm', 'held', '--wait=false']);
    const still = await kubectlOk(['get', 'cm', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
    expect(still).toMatch(/^\d{4}-\d\d-\d\dT/);
    await kubectlOk(['patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    const gone = await practice().kubectl(['get', 'cm', 'held']);
    expect(gone.stderr).toContain('configmaps "held" not found');
  });

  it('deletes everything in a namespace before the namespace, waiting for finalizers', async () => {
    // Typed kubectl create commands send protobuf; the manifests go as JSON.
    await kubectlOk(
      ['apply', '-f', '-'],
      [
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: doomed}',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: inside, namespace: doomed}',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: doomed}\nspec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: nginx:1.27}]}}}',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, namespace: doomed, finalizers: [example.com/hold]}',
      ].join('\n---\n'),
    );
    await kubectlOk(['delete', 'namespace', 'doomed', '--wait=false']);
    await eventually(async () => {
      expect(await kubectlOk(['get', 'cm,deploy', '-n', 'doomed', '-o', 'name'])).toBe('configmap/held');
    });
    expect(parseTable(await kubectlOk(['get', 'ns', 'doomed']))[0]).toMatchObject({ STATUS: 'Terminating' });
    const refused = await practice().kubectl(['create', 'configmap', 'late', '-n', 'doomed']);
    expect(refused.stderr).toContain('unable to create new content in namespace doomed because it is being terminated');
    await kubectlOk([
      'patch',
      'cm',
      'held',
      '-n',
      'doomed',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/metadata/finalizers"}]',
    ]);
    await eventually(async () => {
      expect((await practice().kubectl(['get', 'ns', 'doomed'])).stderr).toContain('namespaces "doomed" not found');
    });
  });
});
