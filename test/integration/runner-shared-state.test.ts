import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDrill, runIdOf } from '../helpers/drill-cli.ts';
import { type RunnerApi, startApp } from '../helpers/runner-app.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

// The page's runner up (`npm start`) while `npm run drill -- run …` writes into the same state folder.
let runner: RunnerApi;
let manifestFile: string;
beforeAll(async () => {
  manifestFile = (await fixtureManifest()).file;
  runner = await startApp({ manifestFile });
});
afterAll(() => runner?.stop());

const drill = (...args: string[]) =>
  runDrill(runner.stateDir, ['run', 'dry-run-fixture', '--manifest', manifestFile, ...args]);

describe('a headless run while the page runner is up', () => {
  it('is listed by the runner without a restart, with its steps as recorded', async () => {
    const result = await drill('--param', 'label=shared', '--ack', 'pick-zone=eu-1', '--yes');
    expect(result.code, result.stderr).toBe(0);
    const runId = runIdOf(result.stdout);
    const history = (await runner.api('GET', '/api/history')).json() as { runs: { id: string; status: string }[] };
    expect(history.runs.find((run) => run.id === runId)).toMatchObject({ status: 'completed' });
    const runs = (await runner.api('GET', '/api/runs')).json() as { id: string }[];
    expect(runs.map((run) => run.id)).toContain(runId);
    const view = await runner.api('GET', `/api/runs/${runId}`);
    expect(view.status).toBe(200);
    expect(view.json()).toMatchObject({
      steps: [
        { id: 'write-label', status: 'succeeded' },
        { id: 'pick-zone', status: 'acknowledged' },
        { id: 'use-values', status: 'succeeded' },
      ],
    });
  }, 120_000);
});

describe('a param value with a control character', () => {
  it.each([
    ['a newline', 'plain\nrm -rf ~'],
    ['a carriage return', 'plain\r'],
    ['an escape character', 'plain\u001b]0;x\u0007'],
    ['a line separator', 'plain\u2028'],
  ])('is refused by the API with 422 naming the param (%s)', async (name, value) => {
    const response = await runner.api('POST', '/api/runs', {
      runbook: 'dry-run-fixture',
      operator: 'ana',
      params: { label: value },
    });
    expect(response.status).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'INVALID_VALUE',
      message: expect.stringContaining(`Label (label) contains ${name}`),
    });
  });

  it('is refused by the headless --param, and no run is made', async () => {
    const before = ((await runner.api('GET', '/api/history')).json() as { runs: unknown[] }).runs.length;
    const result = await drill('--param', 'label=plain\nrm -rf ~', '--ack', 'pick-zone=eu-1', '--yes');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Label (label) contains a newline');
    expect(((await runner.api('GET', '/api/history')).json() as { runs: unknown[] }).runs).toHaveLength(before);
  }, 120_000);

  it('is matched against its pattern as a whole: a manual value with a suffix is refused', async () => {
    const created = await runner.api('POST', '/api/runs', { runbook: 'dry-run-fixture', operator: 'ana' });
    const { id } = created.json() as { id: string };
    const suffixed = await runner.api('POST', `/api/runs/${id}/steps/pick-zone/acknowledge`, { value: 'eu-1; rm' });
    expect(suffixed.status).toBe(422);
    const twoLines = await runner.api('POST', `/api/runs/${id}/steps/pick-zone/acknowledge`, { value: 'eu-1\nrm' });
    expect(twoLines.status).toBe(422);
    expect(twoLines.json()).toMatchObject({ message: expect.stringContaining('{{zone}} contains a newline') });
  });
});
