import { describe, expect, it } from 'vitest';
import type { CommandStepSpec } from '../../../protocol/index.ts';
import { compileInline, stepBlock } from '../../helpers/fixtures.ts';

const POD = 'target="pod" pod="etcd-cp-1" namespace="kube-system" shell="none"';
const params = '<Param name="key" label="Key" default="/registry" />\n<Param name="token" label="Token" secret />\n\n';
const diagnostics = async (body: string) => {
  const result = await compileInline(params + body);
  return result.ok
    ? []
    : result.diagnostics.map(({ code, message, line, column }) => ({ code, message, line, column }));
};

// shell="none": a step for a container without a shell, its one line split into argv at build time.
describe('steps with shell="none"', () => {
  it('carry their argv in the manifest, {{x}} kept per argument', async () => {
    const result = await compileInline(
      params + stepBlock('etcdctl get "{{key}}" \\\n  --prefix --keys-only', `id="get" title="Get" risk="read" ${POD}`),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const step = result.runbook.steps[0] as CommandStepSpec;
    expect(step).toMatchObject({ shell: 'none', argv: ['etcdctl', 'get', '{{key}}', '--prefix', '--keys-only'] });
  });

  it('refuses what needs a shell, at the character that needs it', async () => {
    expect(
      await diagnostics(stepBlock('etcdctl get {{key}} | head', `id="get" title="Get" risk="read" ${POD}`)),
    ).toEqual([
      expect.objectContaining({
        code: 'no-shell-command',
        line: 13,
        column: 21,
        message: expect.stringMatching(/"\|" needs a shell/),
      }),
    ]);
  });

  it('refuses a secret in the argv, which travels in the exec URL', async () => {
    expect(
      await diagnostics(stepBlock('etcdctl --password={{token}} get /', `id="get" title="Get" risk="read" ${POD}`)),
    ).toEqual([
      expect.objectContaining({ code: 'no-shell-secret', message: expect.stringMatching(/\{\{token\}\} is secret/) }),
    ]);
  });

  it('is only for pod steps', async () => {
    expect(await diagnostics(stepBlock('hostname', 'id="h" title="H" risk="read" shell="none"'))).toEqual([
      expect.objectContaining({
        code: 'invalid-props',
        message: expect.stringMatching(/shell="none" is for target="pod"/),
      }),
    ]);
  });

  it('a pod target names its pod or a label selector, not both and not neither', async () => {
    const pod = (props: string) =>
      stepBlock('hostname', `id="p" title="P" risk="read" target="pod" namespace="x" ${props}`);
    expect(await diagnostics(pod('pod="a" podSelector="app=a"'))).toEqual([
      expect.objectContaining({
        code: 'invalid-props',
        message: expect.stringMatching(/exactly one of pod=.*podSelector=/),
      }),
    ]);
    expect(await diagnostics(pod(''))).toEqual([
      expect.objectContaining({ code: 'invalid-props', message: expect.stringMatching(/exactly one of pod=/) }),
    ]);
    expect(await diagnostics(pod('podSelector="app.kubernetes.io/name=etcd"'))).toEqual([]);
  });
});
