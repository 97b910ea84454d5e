import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRunbookManifest } from '../../bin/compile-runbook-manifest.ts';
import { practiceDown } from '../../practice/cluster/lifecycle.ts';
import { practiceLayout } from '../../practice/layout.ts';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import type { DrillGrade, DrillListItem, RunView, StartedDrill } from '../../protocol/index.ts';
import { ROOT } from '../helpers/fixtures.ts';
import { type RunnerApi, startApp } from '../helpers/runner-app.ts';

const DRILL = 'kubeadm-deleted-workloads';
let stateDir = '';
let manifestFile = '';
let runner: RunnerApi;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-drills-api-'));
  manifestFile = path.join(stateDir, 'manifest.json');
  await writeFile(manifestFile, JSON.stringify(await compileRunbookManifest(ROOT, 'kubeadm-etcd-restore')));
  const env = { HOME: stateDir, PATH: `${toolPaths().binDir}:${process.env.PATH}` };
  runner = await startApp({ stateDir, manifestFile, env });
}, 60_000);

afterAll(async () => {
  await runner?.stop();
  await practiceDown(practiceLayout(stateDir)).catch(() => undefined);
  await rm(stateDir, { recursive: true, force: true });
}, 60_000);

const kubectl = async (args: string[]) =>
  execa(toolPaths().kubectl, ['--request-timeout=20s', ...args], {
    env: { KUBECONFIG: practiceLayout(stateDir).kubeconfig, HOME: stateDir },
    reject: false,
  });

describe('the drills API', () => {
  it('lists the drills its manifest can run, without their faults, and validates a start', async () => {
    const list = await runner.api('GET', '/api/drills');
    expect(list.status, list.body).toBe(200);
    const drills = list.json() as DrillListItem[];
    expect(drills.map((drill) => drill.name)).toEqual([DRILL]);
    expect(drills[0]).toMatchObject({ fixture: 'kubeadm', runbooks: ['kubeadm-etcd-restore'], attempts: [] });
    expect(list.body).not.toContain('delete-objects-after-snapshot');
    expect(list.body).not.toContain('answers');
    const unknown = await runner.api('POST', '/api/drills/no-such-drill/attempts', { operator: 'trainee' });
    expect(unknown.status, unknown.body).toBe(404);
    const noOperator = await runner.api('POST', `/api/drills/${DRILL}/attempts`, { operator: ' ' });
    expect(noOperator.status, noOperator.body).toBe(400);
    const forged = await runner.raw({
      method: 'POST',
      path: `/api/drills/${DRILL}/attempts`,
      headers: { host: `127.0.0.1:${runner.port}`, 'content-type': 'application/json' },
      body: JSON.stringify({ operator: 'mallory' }),
    });
    expect(forged.status, forged.body).toBe(403);
  });

  // Were the guard broken, the runner would reset a practice cluster in `home`: the teardown stops it.
  it('refuses a drill when the practice context name reaches another cluster', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'drillbook-drills-api-home-'));
    const kubeconfig = path.join(home, 'config');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: prod, cluster: {server: "https://10.9.9.9:6443"}}]',
        'users: [{name: admin, user: {token: x}}]',
        'contexts: [{name: drillbook-practice, context: {cluster: prod, user: admin}}]',
        'current-context: drillbook-practice',
      ].join('\n'),
    );
    const other = await startApp({ stateDir: home, manifestFile, env: { HOME: home, KUBECONFIG: kubeconfig } });
    try {
      const refused = await other.api('POST', `/api/drills/${DRILL}/attempts`, { operator: 'trainee' });
      expect(refused.status, refused.body).toBe(422);
      expect(refused.json()).toMatchObject({ code: 'CONTEXT_INVALID' });
      expect(refused.body).toContain('https://10.9.9.9:6443');
    } finally {
      await other.stop();
      await practiceDown(practiceLayout(home)).catch(() => undefined);
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);

  it('breaks the practice cluster, opens a training run, and grades an unsolved attempt as failed', async () => {
    const asked = Date.now();
    const start = await runner.api('POST', `/api/drills/${DRILL}/attempts`, { operator: 'trainee' });
    const answered = Date.now();
    expect(start.status, start.body).toBe(201);
    const started = start.json() as StartedDrill;
    // The trainee's clock starts once the cluster is broken: the reset (seconds) is not theirs.
    expect(answered - asked).toBeGreaterThan(1500);
    expect(answered - Date.parse(started.startedAt)).toBeLessThan(1500);
    expect(started).toMatchObject({ drill: DRILL, operator: 'trainee', timeLimit: 30 * 60_000 });
    expect(started.symptoms).toContain('lists nothing');
    expect(started.runs).toEqual([{ slug: 'kubeadm-etcd-restore', runId: expect.any(String) }]);

    const shop = await kubectl(['-n', 'shop', 'get', 'deployments,secrets', '-o', 'name']);
    expect(shop.exitCode, shop.stderr).toBe(0);
    expect(shop.stdout).not.toContain('deployment.apps/web');
    expect(shop.stdout).not.toContain('secret/web-credentials');
    const namespace = await kubectl(['get', 'namespace', 'shop', '-o', 'name']);
    expect(namespace.stdout).toBe('namespace/shop');

    const run = (await runner.api('GET', `/api/runs/${started.runs[0]?.runId}`)).json() as RunView;
    expect(run.mode).toBe('training');
    expect(run.target).toMatchObject({ context: 'drillbook-practice', environment: 'practice' });
    expect(run.values).toContainEqual(expect.objectContaining({ name: 'nodeName', value: 'cp-1' }));

    const finish = await runner.api('POST', `/api/drills/attempts/${started.attemptId}/finish`, {});
    expect(finish.status, finish.body).toBe(200);
    const grade = finish.json() as DrillGrade;
    expect(grade.status).toBe('failed');
    expect(grade.criteria[0]).toMatchObject({
      label: "the shop's Deployment and Secret are back",
      passed: false,
      detail: 'missing: deployment shop/web, secret shop/web-credentials',
    });
    expect(grade.criteria[1]).toMatchObject({ passed: true });
    expect(grade.reports).toHaveLength(1);
    expect(grade.reports[0]).toMatchObject({ runId: started.runs[0]?.runId, operator: 'trainee' });

    const again = await runner.api('POST', `/api/drills/attempts/${started.attemptId}/finish`, {});
    expect(again.status, again.body).toBe(409);
    const listed = (await runner.api('GET', '/api/drills')).json() as DrillListItem[];
    expect(listed[0]?.attempts).toEqual([
      expect.objectContaining({ id: started.attemptId, operator: 'trainee', via: 'page', status: 'failed' }),
    ]);
  }, 240_000);
});
