import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { KubeContexts } from '../../../../runner/kube/kube-contexts.ts';
import { renderPinnedKubeconfig } from '../../../../runner/kube/pinned-kubeconfig.ts';
import { tempDir } from '../../../helpers/run-script.ts';

const CA = '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n';

function kubeconfig(options: { server: string; current?: string; extra?: object }) {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'east', cluster: { server: options.server, 'certificate-authority': 'ca.crt' } }],
    users: [
      { name: 'robot', user: { token: 'abc-token' } },
      {
        name: 'sso',
        user: {
          exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'get-token', args: ['--cluster', 'east'] },
        },
      },
    ],
    contexts: [
      { name: 'east-admin', context: { cluster: 'east', user: 'robot', namespace: 'ops' } },
      { name: 'east-sso', context: { cluster: 'east', user: 'sso' } },
    ],
    'current-context': options.current ?? 'east-admin',
    ...options.extra,
  });
}

async function operatorFiles() {
  const dir = await tempDir();
  await writeFile(path.join(dir, 'ca.crt'), CA);
  await writeFile(path.join(dir, 'first'), kubeconfig({ server: 'https://first.example:6443', current: 'east-sso' }));
  await writeFile(path.join(dir, 'second'), kubeconfig({ server: 'https://second.example:6443' }));
  return dir;
}

describe('the kube contexts a run may be pinned to', () => {
  it('merges KUBECONFIG files as kubectl does: the first file that names an entry wins', async () => {
    const dir = await operatorFiles();
    const stateDir = await tempDir();
    const env = {
      KUBECONFIG: [path.join(dir, 'missing'), path.join(dir, 'first'), path.join(dir, 'second')].join(':'),
    };
    const { contexts, problems } = new KubeContexts({ env, stateDir }).list();
    expect(problems).toEqual([]);
    expect(contexts.map((context) => [context.context, context.server, context.current])).toEqual([
      ['east-admin', 'https://first.example:6443', false],
      ['east-sso', 'https://first.example:6443', true],
    ]);
    expect(contexts[0]).toMatchObject({
      user: 'robot',
      namespace: 'ops',
      caSha256: createHash('sha256').update(CA).digest('hex'),
      environment: null,
    });
    expect(contexts[1]?.namespace).toBe('default');
  });

  it('offers the practice cluster and labels it practice, whatever environments.yaml says', async () => {
    const stateDir = await tempDir();
    await mkdir(path.join(stateDir, 'practice'));
    const practice = YAML.stringify({
      clusters: [
        {
          name: 'drillbook-practice',
          cluster: {
            server: 'https://127.0.0.9:6443',
            'certificate-authority-data': Buffer.from(CA).toString('base64'),
          },
        },
      ],
      users: [{ name: 'kubernetes-admin', user: { token: 't' } }],
      contexts: [{ name: 'drillbook-practice', context: { cluster: 'drillbook-practice', user: 'kubernetes-admin' } }],
      'current-context': 'drillbook-practice',
    });
    await writeFile(path.join(stateDir, 'practice', 'kubeconfig'), practice);
    await writeFile(path.join(stateDir, 'environments.yaml'), 'contexts:\n  drillbook-practice: production\n');
    const contexts = new KubeContexts({ env: { HOME: stateDir }, stateDir });
    expect(contexts.list().contexts).toMatchObject([
      { context: 'drillbook-practice', source: 'practice', environment: 'practice' },
    ]);
    expect(contexts.resolve('drillbook-practice').target.environment).toBe('practice');
    expect(() => contexts.resolve('nope')).toThrow(expect.objectContaining({ code: 'CONTEXT_INVALID' }));
  });

  it('writes a kubeconfig with the one context, the CA inlined, and token and exec users kept', async () => {
    const dir = await operatorFiles();
    const contexts = new KubeContexts({ env: { KUBECONFIG: path.join(dir, 'first') }, stateDir: await tempDir() });
    const token = YAML.parse(renderPinnedKubeconfig(contexts.resolve('east-admin').resolved));
    expect(token.clusters).toEqual([
      {
        name: 'east',
        cluster: {
          server: 'https://first.example:6443',
          'certificate-authority-data': Buffer.from(CA).toString('base64'),
        },
      },
    ]);
    expect(token.users).toEqual([{ name: 'robot', user: { token: 'abc-token' } }]);
    expect(token.contexts).toEqual([
      { name: 'drillbook-pinned', context: { cluster: 'east', user: 'robot', namespace: 'ops' } },
    ]);
    expect(token['current-context']).toBe('drillbook-pinned');
    const exec = YAML.parse(renderPinnedKubeconfig(contexts.resolve('east-sso').resolved));
    expect(exec.users[0].user.exec).toMatchObject({ command: 'get-token', args: ['--cluster', 'east'] });
  });
});
