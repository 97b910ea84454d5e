import { describe, expect, it } from 'vitest';
import type { CommandStepSpec } from '../../../protocol/index.ts';
import { compileInline, stepBlock } from '../../helpers/fixtures.ts';

const param = '<Param name="masters" label="Masters" default="cp-1 cp-2" />\n\n';
const diagnostics = async (body: string) => {
  const result = await compileInline(param + body);
  return result.ok ? [] : result.diagnostics.map(({ code, message, line }) => ({ code, message, line }));
};

// target="node" with nodes= or nodeSelector= runs a step once per node.
describe('steps that run once per node', () => {
  it('compiles nodes= and nodeSelector= into the node target, {{x}} counted as a reference', async () => {
    const result = await compileInline(
      param +
        stepBlock(
          'hostname',
          'id="each" title="Each" risk="read" target="node" nodes="{{masters}}" onNodeFailure="continue"',
        ) +
        stepBlock(
          'hostname',
          'id="labelled" title="Labelled" risk="read" target="node" nodeSelector="node-role.kubernetes.io/control-plane"',
        ),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
    const [each, labelled] = result.runbook.steps.filter((step) => step.kind === 'command') as CommandStepSpec[];
    expect(each?.target).toEqual({ kind: 'node', nodes: '{{masters}}', onNodeFailure: 'continue' });
    expect(each?.references).toContain('masters');
    expect(labelled?.target).toEqual({ kind: 'node', nodeSelector: 'node-role.kubernetes.io/control-plane' });
  });

  it('needs exactly one of host, nodes and nodeSelector', async () => {
    expect(await diagnostics(stepBlock('hostname', 'id="a" title="A" risk="read" target="node"'))).toMatchObject([
      { code: 'invalid-props', message: expect.stringMatching(/exactly one of host/) },
    ]);
    expect(
      await diagnostics(
        stepBlock('hostname', 'id="a" title="A" risk="read" target="node" host="cp-1" nodes="{{masters}}"'),
      ),
    ).toMatchObject([{ code: 'invalid-props', message: expect.stringMatching(/exactly one of host/) }]);
    expect(
      await diagnostics(
        stepBlock('hostname', 'id="a" title="A" risk="read" target="node" host="cp-1" onNodeFailure="continue"'),
      ),
    ).toMatchObject([{ code: 'invalid-props', message: expect.stringMatching(/onNodeFailure applies to nodes=/) }]);
  });

  it('refuses a capture in a fan-out step, at the capture', async () => {
    const body = stepBlock(
      'hostname',
      'id="each" title="Each" risk="read" target="node" nodes="{{masters}}"',
      '<Capture name="host" regex="(\\S+)" />',
    );
    expect(await diagnostics(body)).toMatchObject([
      { code: 'fan-out-capture', message: expect.stringMatching(/runs once per node \(nodes=\), so <Capture>/) },
    ]);
  });
});
