import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileInline, stepBlock } from '../helpers/fixtures.ts';
import { tempDir } from '../helpers/run-script.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';

// A value beginning with "-" never reaches a command as an option unless its variable says it may.
let runner: RunnerApi;

beforeAll(async () => {
  runner = await startApp();
});

afterAll(() => runner.stop());

describe('a value is never an option by surprise', () => {
  it('refuses to run a step where a value beginning with "-" would be an option, and spawns nothing', async () => {
    const created = await runner.api('POST', '/api/runs', {
      runbook: 'runner-fixture',
      operator: 'ana',
      params: { word: '--kubeconfig=/tmp/evil' },
    });
    const dashRun = (created.json() as { id: string }).id;
    const response = await runner.api('POST', `/api/runs/${dashRun}/steps/echo-word/run`, {
      stepHash: stepHash(runner, 'echo-word'),
    });
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'RENDER_REFUSED',
      message: expect.stringContaining('step "echo-word": the value of {{word}} begins with "-"'),
      details: { variable: 'word', stepId: 'echo-word', command: 'printf' },
    });
    expect(response.body).not.toContain('/tmp/evil');
    const view = (await runner.api('GET', `/api/runs/${dashRun}`)).json() as {
      steps: { id: string; status: string; attempt: number }[];
    };
    expect(view.steps.find((step) => step.id === 'echo-word')).toMatchObject({ status: 'pending', attempt: 0 });
  });
});

describe('mayStartWithDash', () => {
  const runbook = [
    '<Param name="flags" label="Flags" mayStartWithDash />',
    '<Param name="plain" label="Plain" />',
    stepBlock(
      "printf '%s\\n' -- '-captured' '-also'",
      'id="make" title="Make" risk="read"',
      '<Capture name="dashed" regex="^(-c.*)$" flags="m" mayStartWithDash />\n<Capture name="undeclared" regex="^(-a.*)$" flags="m" />',
    ),
    '<Manual id="enter" title="Enter" value="entered" mayStartWithDash>\nType it.\n</Manual>\n',
    stepBlock("printf '<%s>' {{flags}} {{dashed}} {{entered}}", 'id="declared" title="Declared" risk="read"'),
    stepBlock('echo {{undeclared}}', 'id="captured-undeclared" title="Undeclared capture" risk="read"'),
    stepBlock('echo {{plain}}', 'id="param-undeclared" title="Undeclared param" risk="read"'),
  ].join('\n');

  it('is carried from the props into the manifest and lets exactly the declared values through', async () => {
    const compiled = await compileInline(runbook, 'dash.mdx');
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    const spec = compiled.runbook;
    expect(spec.params.map((param) => [param.name, param.mayStartWithDash])).toEqual([
      ['flags', true],
      ['plain', undefined],
    ]);
    const steps = new Map(spec.steps.map((step) => [step.id, step]));
    const make = steps.get('make');
    expect(make?.kind === 'command' && make.captures.map((capture) => capture.mayStartWithDash)).toEqual([
      true,
      undefined,
    ]);
    const enter = steps.get('enter');
    expect(enter?.kind === 'manual' && enter.input?.mayStartWithDash).toBe(true);

    const file = path.join(await tempDir(), 'manifest.json');
    await writeFile(file, JSON.stringify({ schemaVersion: 1, runbooks: [spec] }));
    const dashRunner = await startApp({ manifestFile: file });
    try {
      const created = await dashRunner.api('POST', '/api/runs', {
        runbook: spec.slug,
        operator: 'ana',
        params: { flags: '-n', plain: '-x' },
      });
      const id = (created.json() as { id: string }).id;
      const run = (stepId: string) =>
        dashRunner.api('POST', `/api/runs/${id}/steps/${stepId}/run`, { stepHash: stepHash(dashRunner, stepId) });
      const made = followEvents(dashRunner, id, finished('make'));
      expect((await run('make')).status).toBe(202);
      await made;
      expect((await dashRunner.api('POST', `/api/runs/${id}/steps/enter/acknowledge`, { value: '-e' })).status).toBe(
        204,
      );
      const declared = followEvents(dashRunner, id, finished('declared'));
      expect((await run('declared')).status).toBe(202);
      const output = (await declared).map(({ event }) =>
        event.type === 'output' && event.stepId === 'declared' ? event.text : '',
      );
      expect(output.join('')).toBe('<-n><-captured><-e>');
      expect((await run('captured-undeclared')).json()).toMatchObject({ details: { variable: 'undeclared' } });
      expect((await run('param-undeclared')).json()).toMatchObject({ details: { variable: 'plain' } });
    } finally {
      await dashRunner.stop();
    }
  });
});
