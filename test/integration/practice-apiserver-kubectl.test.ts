import { beforeAll, describe, expect, it } from 'vitest';
import { eventually, parseTable, usePracticeCluster } from '../helpers/practice-cluster.ts';

// The practice API server as the real kubectl 1.32 sees it: discovery, every kind it serves,
// tables and output formats, selectors, concurrency, deletion semantics and its errors.
const practice = usePracticeCluster('apiserver-kubectl');
const kubectlOk = (args: string[], input?: string) => practice().kubectlOk(args, input);

const NS = 'fidelity';

// The workloads start no pod, or one that sleeps, so that the controllers and kubelets leave
// exactly the objects the tests expect: web-0 and the DaemonSet fit no node, the rest scale to 0.
const KINDS = `
apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ${NS}, labels: {app: web, tier: front}}
data: {color: blue, size: "3"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: ${NS}}
type: Opaque
stringData: {password: hunter2}
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: ${NS}, labels: {app: web}}
spec: {nodeSelector: {fidelity: nowhere}, containers: [{name: nginx, image: nginx:1.27}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${NS}}
spec: {ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: web, namespace: ${NS}}
subsets: [{addresses: [{ip: 10.0.0.5}], ports: [{port: 8080}]}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: ${NS}}
---
apiVersion: v1
kind: Event
metadata: {name: web-0.started, namespace: ${NS}}
involvedObject: {kind: Pod, name: web-0, namespace: ${NS}}
reason: Started
message: started by the test
type: Normal
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: fidelity-pv}
spec: {capacity: {storage: 1Gi}, accessModes: [ReadWriteOnce], hostPath: {path: /tmp/fidelity-pv}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: ${NS}}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Node
metadata: {name: fidelity-node}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${NS}}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: nginx, image: nginx:1.27}]}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ${NS}}
spec:
  serviceName: db
  replicas: 0
  selector: {matchLabels: {app: db}}
  template: {metadata: {labels: {app: db}}, spec: {containers: [{name: pg, image: postgres:16}]}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ${NS}}
spec:
  selector: {matchLabels: {app: agent}}
  template: {metadata: {labels: {app: agent}}, spec: {nodeSelector: {fidelity: nowhere}, containers: [{name: agent, image: busybox:1.36}]}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-rs, namespace: ${NS}}
spec:
  replicas: 0
  selector: {matchLabels: {app: rs}}
  template: {metadata: {labels: {app: rs}}, spec: {containers: [{name: nginx, image: nginx:1.27}]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: ${NS}}
spec:
  template: {spec: {restartPolicy: Never, containers: [{name: job, image: busybox:1.36, command: [sleep, "3600"]}]}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: ${NS}}
spec:
  schedule: "0 3 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: job, image: busybox:1.36}]}}}}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fidelity-local}
provisioner: kubernetes.io/no-provisioner
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: leader, namespace: ${NS}}
spec: {holderIdentity: cp-1, leaseDurationSeconds: 15}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: ${NS}}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: ${NS}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: fidelity-reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: fidelity-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: fidelity-reader}
subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
`;

// [resource as kubectl names it, namespaced?, name]
const OBJECTS: [string, boolean, string][] = [
  ['configmaps', true, 'settings'],
  ['secrets', true, 'creds'],
  ['pods', true, 'web-0'],
  ['services', true, 'web'],
  ['endpoints', true, 'web'],
  ['serviceaccounts', true, 'robot'],
  ['events', true, 'web-0.started'],
  ['persistentvolumes', false, 'fidelity-pv'],
  ['persistentvolumeclaims', true, 'data'],
  ['nodes', false, 'fidelity-node'],
  ['deployments.apps', true, 'web'],
  ['statefulsets.apps', true, 'db'],
  ['daemonsets.apps', true, 'agent'],
  ['replicasets.apps', true, 'web-rs'],
  ['jobs.batch', true, 'once'],
  ['cronjobs.batch', true, 'nightly'],
  ['storageclasses.storage.k8s.io', false, 'fidelity-local'],
  ['leases.coordination.k8s.io', true, 'leader'],
  ['roles.rbac.authorization.k8s.io', true, 'reader'],
  ['rolebindings.rbac.authorization.k8s.io', true, 'reader'],
  ['clusterroles.rbac.authorization.k8s.io', false, 'fidelity-reader'],
  ['clusterrolebindings.rbac.authorization.k8s.io', false, 'fidelity-reader'],
];

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
