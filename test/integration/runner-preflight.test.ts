import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import type { RunView } from '../../protocol/index.ts';
import { usePracticeCluster } from '../helpers/practice-cluster.ts';
import { tempDir } from '../helpers/run-script.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';
import { fixtureManifest } from '../helpers/runner-http.ts';

const SLUG = 'preflight-checks';

// Preflight against the practice cluster, as its read-only viewer: kubectl is there, another tool
// is not; the viewer may list pods but not delete them.
describe('preflight', () => {
  const cluster = usePracticeCluster('preflight');
  let runner: RunnerApi;

  beforeAll(async () => {
    const { file } = await fixtureManifest('pinned-runbooks');
    runner = await startApp({
      stateDir: cluster().stateDir,
      manifestFile: file,
      env: { PATH: `${toolPaths().binDir}:/usr/bin:/bin`, HOME: await tempDir(), LANG: 'C.UTF-8' },
    });
  }, 60_000);
  afterAll(() => runner?.stop());

  const runStep = (runId: string, stepId: string) =>
    runner.api('POST', `/api/runs/${runId}/steps/${stepId}/run`, { stepHash: stepHash(runner, stepId, SLUG) });

  it('records a checklist before the first step and blocks only the steps a failed item concerns', async () => {
    const created = await runner.api('POST', '/api/runs', {
      runbook: SLUG,
      operator: 'ana',
      context: 'drillbook-practice-viewer',
    });
    expect(created.status, created.body).toBe(201);
    const view = created.json() as RunView;
    const items = Object.fromEntries(view.preflight.map((item) => [item.id, item]));
    expect(items['tool:kubectl']).toMatchObject({ passed: true, detail: 'version 1.32.3 satisfies >=1.28' });
    expect(items['tool:drillbook-no-such-tool']).toMatchObject({
      passed: false,
      detail: 'not found on PATH',
      steps: ['use-missing'],
    });
    expect(items.cluster).toMatchObject({ passed: true, steps: ['list-pods', 'delete-pods', 'use-missing'] });
    expect(items['permission:list:pods@']).toMatchObject({ passed: true });
    expect(items['permission:delete:pods@']).toMatchObject({
      passed: false,
      detail: expect.stringMatching(/^forbidden/),
      fix: expect.stringContaining('delete pods in default'),
      steps: ['delete-pods'],
    });
    expect(view.steps.map((step) => [step.id, step.blockedBy])).toEqual([
      ['list-pods', []],
      ['delete-pods', ['permission:delete:pods@']],
      ['use-missing', ['tool:drillbook-no-such-tool']],
    ]);

    expect((await runStep(view.id, 'list-pods')).status).toBe(202);
    await followEvents(runner, view.id, finished('list-pods'));
    for (const stepId of ['delete-pods', 'use-missing']) {
      const refused = await runStep(view.id, stepId);
      expect(refused.status).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'PREFLIGHT_FAILED' });
    }
  });

  it('lets the operator override a failed item with a recorded reason', async () => {
    const view = (
      await runner.api('POST', '/api/runs', { runbook: SLUG, operator: 'ana', context: 'drillbook-practice-viewer' })
    ).json() as RunView;
    const override = await runner.api('POST', `/api/runs/${view.id}/preflight/override`, {
      itemId: 'tool:drillbook-no-such-tool',
      reason: 'the step is expected to fail in this drill',
    });
    expect(override.status, override.body).toBe(204);
    const after = (await runner.api('GET', `/api/runs/${view.id}`)).json() as RunView;
    expect(after.preflight.find((item) => item.id === 'tool:drillbook-no-such-tool')?.overriddenBecause).toBe(
      'the step is expected to fail in this drill',
    );
    expect((await runStep(view.id, 'use-missing')).status).toBe(202);
    const records = await followEvents(runner, view.id, finished('use-missing'));
    expect(records.map(({ event }) => event.type)).toContain('preflight-overridden');
  });

  it('passes every permission for the admin context', async () => {
    const view = (
      await runner.api('POST', '/api/runs', { runbook: SLUG, operator: 'ana', context: 'drillbook-practice' })
    ).json() as RunView;
    expect(view.preflight.filter((item) => item.kind === 'permission').map((item) => item.passed)).toEqual([
      true,
      true,
    ]);
  });
});
