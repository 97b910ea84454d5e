import { describe, expect, it } from 'vitest';
import type { CommandStepSpec } from '../../../protocol/index.ts';
import { compileInline, stepBlock } from '../../helpers/fixtures.ts';

const PARAM = '<Param name="release" label="Release" default="etcd" />\n\n';

describe('Kubernetes-native blocks in a runbook', () => {
  it('compiles <SecretKey> and <WaitForPods> into the step, with their variables as references', async () => {
    const body =
      PARAM +
      stepBlock(
        'kubectl get secret {{release}} -o name',
        'id="read" title="Read" risk="read"',
        '<SecretKey name="rootPassword" secret="{{release}}" key="etcd-root-password" namespace="etcd" />\n\n' +
          '<WaitForPods selector="app.kubernetes.io/instance={{release}}" count={3} timeout="2m" />\n',
      ) +
      stepBlock('echo {{rootPassword}}', 'id="use" title="Use" risk="read"');
    const compiled = await compileInline(body);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    const [read, use] = compiled.runbook.steps as CommandStepSpec[];
    expect(read?.kube).toEqual([
      { kind: 'secret-key', name: 'rootPassword', secret: '{{release}}', key: 'etcd-root-password', namespace: 'etcd' },
      {
        kind: 'wait-pods',
        selector: 'app.kubernetes.io/instance={{release}}',
        namespace: null,
        count: 3,
        timeoutMs: 120_000,
      },
    ]);
    expect(read?.references).toEqual(['release']);
    expect(use?.references).toEqual(['rootPassword']);
  });

  it('reports a variable used before the <SecretKey> that defines it, and bad props', async () => {
    const early = await compileInline(
      stepBlock('echo {{pw}}', 'id="use" title="Use" risk="read"') +
        stepBlock('true', 'id="read" title="Read" risk="read"', '<SecretKey name="pw" secret="s" key="k" />\n'),
    );
    if (early.ok) throw new Error('a variable used before its <SecretKey> compiled');
    expect(JSON.stringify(early.diagnostics)).toContain('pw');
    const bad = await compileInline(stepBlock('true', undefined, '<WaitForPods selector="app=x" timeout="soon" />\n'));
    if (bad.ok) throw new Error('a bad timeout compiled');
    expect(bad.diagnostics[0]).toMatchObject({ code: 'invalid-props' });
    expect(bad.diagnostics[0]?.message).toContain('timeout');
  });
});
