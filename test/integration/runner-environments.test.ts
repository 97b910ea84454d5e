import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { RunView } from '../../protocol/index.ts';
import { tempDir } from '../helpers/run-script.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

const SLUG = 'pinned-cluster';

// Contexts labelled in environments.yaml; the steps only echo, so no cluster is contacted.
describe('environments', () => {
  let runner: RunnerApi;
  let labels: string;

  beforeAll(async () => {
    const home = await tempDir('drillbook-env-home-');
    const stateDir = await tempDir('drillbook-env-state-');
    const kubeconfig = path.join(home, 'kubeconfig');
    const context = (name: string) => ({ name, context: { cluster: `${name}-cluster`, user: 'robot' } });
    const cluster = (name: string) => ({
      name: `${name}-cluster`,
      cluster: { server: `https://${name}.invalid:6443` },
    });
    await writeFile(
      kubeconfig,
      YAML.stringify({
        clusters: [cluster('prod'), cluster('stage')],
        users: [{ name: 'robot', user: { token: 'x' } }],
        contexts: [context('prod'), context('stage')],
      }),
    );
    labels = path.join(stateDir, 'environments.yaml');
    await writeFile(labels, 'contexts:\n  prod: production\n  stage: staging\n');
    const { file } = await fixtureManifest('pinned-runbooks');
    runner = await startApp({
      stateDir,
      manifestFile: file,
      env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig },
    });
  }, 60_000);
  afterAll(() => runner?.stop());

  // The clusters are made up, so preflight finds them unreachable: that item is overridden.
  const start = async (context: string, mode: string) => {
    const answer = await runner.api('POST', '/api/runs', { runbook: SLUG, operator: 'ana', context, mode });
    if (answer.status !== 201) return answer;
    const { id, preflight } = answer.json() as RunView;
    expect(preflight.find((item) => item.id === 'cluster')).toMatchObject({ passed: false });
    const reason = 'the test clusters do not exist';
    await runner.api('POST', `/api/runs/${id}/preflight/override`, { itemId: 'cluster', reason });
    return answer;
  };
  const runStep = (runId: string, stepId: string, extra: object = {}) =>
    runner.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, {
      stepHash: stepHash(runner, stepId, SLUG),
      ...extra,
    });

  it('asks for the cluster name before a destructive step on production, and only then', async () => {
    const created = await start('prod', 'live');
    expect(created.status).toBe(201);
    const run = created.json() as RunView;
    expect(run.target).toMatchObject({ context: 'prod', cluster: 'prod-cluster', environment: 'production' });

    const untyped = await runStep(run.id, 'wipe');
    expect(untyped.status).toBe(428);
    expect(untyped.json()).toMatchObject({ code: 'CONFIRMATION_REQUIRED', details: { cluster: 'prod-cluster' } });
    expect((await runStep(run.id, 'wipe', { confirmCluster: 'prod' })).status).toBe(428);
    const typed = await runStep(run.id, 'wipe', { confirmCluster: 'prod-cluster' });
    expect(typed.status, typed.body).toBe(202);
    await followEvents(runner, run.id, finished('wipe'));
  });

  it('runs a destructive step on staging without asking', async () => {
    const run = (await start('stage', 'live')).json() as RunView;
    expect(run.target?.environment).toBe('staging');
    expect((await runStep(run.id, 'wipe')).status).toBe(202);
    await followEvents(runner, run.id, finished('wipe'));
  });

  it('refuses production in training, at the start and on a step once the context is relabelled', async () => {
    const refused = await start('prod', 'training');
    expect(refused.status).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'PRODUCTION_REFUSED' });

    const run = (await start('stage', 'training')).json() as RunView;
    await writeFile(labels, 'contexts:\n  prod: production\n  stage: production\n');
    try {
      const step = await runStep(run.id, 'wipe', { confirmCluster: 'stage-cluster' });
      expect(step.status).toBe(403);
      expect(step.json()).toMatchObject({ code: 'PRODUCTION_REFUSED' });
      const view = (await runner.api('GET', `/api/runs/${run.id}`)).json() as RunView;
      expect(view.steps.find((item) => item.id === 'wipe')?.attempt).toBe(0);
    } finally {
      await writeFile(labels, 'contexts:\n  prod: production\n  stage: staging\n');
    }
  });

  it('names the file and line of a broken environments.yaml', async () => {
    await writeFile(labels, 'contexts:\n  prod: prod\n');
    try {
      const answer = await runner.api('GET', '/api/contexts');
      expect(answer.status).toBe(422);
      expect(answer.json()).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining(`${labels}:2:`) });
    } finally {
      await writeFile(labels, 'contexts:\n  prod: production\n  stage: staging\n');
    }
  });

  it('gives a run pinned to no context a kubeconfig with no cluster', async () => {
    const run = (await runner.api('POST', '/api/runs', { runbook: SLUG, operator: 'ana' })).json() as RunView;
    expect(run.target).toBeNull();
    expect((await runStep(run.id, 'where')).status).toBe(202);
    const records = await followEvents(runner, run.id, finished('where'));
    expect(records.at(-1)?.event).toMatchObject({ type: 'step-finished', outcome: 'failed' });
  });
});
