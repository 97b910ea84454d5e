import { readdir } from 'node:fs/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolPaths } from '../../practice/tools/pinned-tools.ts';
import type { RunEventRecord } from '../../protocol/index.ts';
import { usePracticeCluster } from '../helpers/practice-cluster.ts';
import { tempDir } from '../helpers/run-script.ts';
import { finished, followEvents, type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';
import { fixtureManifest, outputOfRecords, runStepRecords, stepFinishOf } from '../helpers/runner-http.ts';

const SLUG = 'step-targets';
const HOSTILE = `it's "$(touch /tmp/pwned)" \`id\` ; -x`;
const TOKEN = 'tok-7f3a9c1e55';

// Steps with target="pod" run in a practice pod through pods/exec, pinned to the run's context.
describe('step targets', () => {
  const cluster = usePracticeCluster('targets');
  let runner: RunnerApi;
  let runId: string;

  beforeAll(async () => {
    await cluster().kubectlOk([
      'run',
      'target-box',
      '--image=busybox',
      '--restart=Never',
      '--env=WHERE=inside-target-box',
      '--',
      'sleep',
      '3600',
    ]);
    await cluster().kubectlOk(['wait', '--for=condition=Ready', 'pod/target-box', '--timeout=60s']);
    const { file } = await fixtureManifest('target-runbooks');
    runner = await startApp({
      stateDir: cluster().stateDir,
      manifestFile: file,
      env: {
        PATH: `${toolPaths().binDir}:${process.env.PATH}`,
        HOME: await tempDir('drillbook-targets-home-'),
        KUBECONFIG: cluster().layout.kubeconfig,
        LANG: 'C.UTF-8',
      },
    });
    const created = await runner.api('POST', '/api/runs', {
      runbook: SLUG,
      operator: 'ana',
      context: 'drillbook-practice',
      params: { word: HOSTILE, token: TOKEN },
    });
    expect(created.status, created.body).toBe(201);
    runId = (created.json() as { id: string }).id;
  }, 90_000);
  afterAll(() => runner?.stop());

  const run = (stepId: string, whileRunning?: () => Promise<void>) =>
    runStepRecords(runner, runId, SLUG, stepId, whileRunning);
  const outputOf = outputOfRecords;
  const finishedOf = stepFinishOf;

  it('runs in the container, a hostile value arriving as one argument, a secret masked', async () => {
    const records = await run('in-pod');
    const output = outputOf(records);
    expect(output).toContain(`arg=[${HOSTILE}]\n`);
    expect(output).toContain('where=inside-target-box\n');
    expect(output).toContain('token=');
    expect(output).not.toContain(TOKEN);
    expect(finishedOf(records)).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    const pwned = await cluster().kubectl(['exec', 'target-box', '--', 'ls', '/tmp/pwned']);
    expect(pwned.exitCode).not.toBe(0);
  });

  it('records the exit code of a failing command', async () => {
    const records = await run('pod-fails');
    expect(outputOf(records)).toContain('before\n');
    expect(finishedOf(records)).toMatchObject({ outcome: 'failed', exitCode: 7 });
  });

  it('ends the remote process on Cancel', async () => {
    const sleeping = () => cluster().kubectlOk(['exec', 'target-box', '--', 'ps', '-eo', 'args']);
    const records = await run('pod-sleeps', async () => {
      await expect.poll(sleeping, { timeout: 10_000 }).toContain('sleep 4242');
      const canceled = await runner.api('POST', `/api/runs/${runId}/steps/pod-sleeps/cancel`, {});
      expect(canceled.status).toBe(204);
    });
    expect(finishedOf(records)).toMatchObject({ outcome: 'canceled', canceled: true });
    await expect.poll(sleeping, { timeout: 10_000 }).not.toContain('sleep 4242');
  });

  it("runs a node step in the practice node's shell, the value as data", async () => {
    const records = await run('on-node');
    const output = outputOf(records);
    expect(output).toContain(`node=cp-1 word=[${HOSTILE}]\n`);
    expect(output).toContain('etcd.yaml\n');
    expect(await readdir('/etc/kubernetes/manifests').catch(() => [])).not.toContain('etcd.yaml');
    expect(finishedOf(records)).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
  });

  it('runs on the pod and the node a capture found', async () => {
    expect(finishedOf(await run('find-box'))).toMatchObject({ outcome: 'succeeded' });
    const inPod = await run('in-found-pod');
    expect(outputOf(inPod)).toContain('where=inside-target-box\n');
    const onNode = await run('on-found-node');
    expect(outputOf(onNode)).toMatch(/^node=(cp|worker)-\d\n/m);
  });

  it('refuses a target value that is not a name of its kind, before anything runs', async () => {
    const refused = await runner.api('POST', `/api/runs/${runId}/steps/in-param-pod/run`, {
      stepHash: stepHash(runner, 'in-param-pod', SLUG),
    });
    expect(refused.status, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'RENDER_REFUSED' });
    expect(refused.body).toContain('not a pod name');
  });

  const nodeEvents = (records: RunEventRecord[]) =>
    records.flatMap(({ event }) =>
      event.type === 'node-started'
        ? [`start ${event.node} ${event.index}/${event.total}`]
        : event.type === 'node-finished'
          ? [`end ${event.node} ${event.outcome}`]
          : [],
    );

  it('runs a nodes= step on each listed node in order, checking each', async () => {
    const records = await run('on-listed-nodes');
    expect(nodeEvents(records)).toEqual([
      'start cp-1 1/2',
      'end cp-1 succeeded',
      'start cp-3 2/2',
      'end cp-3 succeeded',
    ]);
    expect(outputOf(records)).toBe(`on=cp-1 word=[${HOSTILE}]\non=cp-3 word=[${HOSTILE}]\n`);
    const checks = records.flatMap(({ event }) => (event.type === 'check-result' ? [[event.node, event.passed]] : []));
    expect(checks).toEqual([
      ['cp-1', true],
      ['cp-3', true],
    ]);
    expect(finishedOf(records)).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
  });

  it('stops a nodeSelector= step at the first node that fails', async () => {
    const records = await run('on-labelled-stop');
    expect(nodeEvents(records)).toEqual(['start cp-1 1/3', 'end cp-1 succeeded', 'start cp-2 2/3', 'end cp-2 failed']);
    expect(finishedOf(records)).toMatchObject({
      outcome: 'failed',
      exitCode: 1,
      message: expect.stringMatching(/^on cp-2: exited with code 1; 1 node not reached$/),
    });
  });

  it('goes on to the other nodes when told to, and still fails the step', async () => {
    const records = await run('on-labelled-continue');
    expect(nodeEvents(records)).toEqual([
      'start cp-1 1/3',
      'end cp-1 succeeded',
      'start cp-2 2/3',
      'end cp-2 failed',
      'start cp-3 3/3',
      'end cp-3 succeeded',
    ]);
    expect(outputOf(records)).toBe('on=cp-1\non=cp-2\non=cp-3\n');
    expect(finishedOf(records)).toMatchObject({ outcome: 'failed', message: 'on cp-2: exited with code 1' });
  });

  it('refuses a fan-out step whose selector matches no node, before anything runs', async () => {
    const refused = await runner.api('POST', `/api/runs/${runId}/steps/on-no-nodes/run`, {
      stepHash: stepHash(runner, 'on-no-nodes', SLUG),
    });
    expect(refused.status, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'NO_NODES',
      message: expect.stringContaining('no node matches drillbook.dev/none=true'),
    });
  });

  it('runs a shell="none" step as argv in a container without a shell, a captured value as one argument', async () => {
    expect(finishedOf(await run('find-member'))).toMatchObject({ outcome: 'succeeded' });
    const records = await run('member-health');
    expect(outputOf(records)).toMatch(/https:\/\/[\d.]+:2379 is healthy/);
    expect(finishedOf(records)).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
  });

  it('ends a shell-less process on Cancel', async () => {
    // Practice containers are processes of this machine: ps sees the exec'd etcdctl.
    const running = async () => (await execa('ps', ['-eo', 'args'])).stdout.includes('--dial-timeout=4242s');
    const records = await run('member-sleeps', async () => {
      await expect.poll(running, { timeout: 10_000 }).toBe(true);
      const canceled = await runner.api('POST', `/api/runs/${runId}/steps/member-sleeps/cancel`, {});
      expect(canceled.status).toBe(204);
    });
    expect(finishedOf(records)).toMatchObject({ outcome: 'canceled' });
    await expect.poll(running, { timeout: 10_000 }).toBe(false);
  });

  it('refuses a value starting with "-" where the program reads options', async () => {
    const refused = await runner.api('POST', `/api/runs/${runId}/steps/member-option/run`, {
      stepHash: stepHash(runner, 'member-option', SLUG),
    });
    expect(refused.status, refused.body).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'RENDER_REFUSED', message: expect.stringContaining('{{dashed}}') });
  });

  it('runs a podSelector step in the one Running pod its label selector matches', async () => {
    const records = await run('in-labelled-pod');
    expect(outputOf(records)).toBe('where=inside-target-box\n');
    const started = records.find(({ event }) => event.type === 'step-started')?.event;
    expect(started).toMatchObject({ target: { kind: 'pod', pod: 'target-box', podSelector: 'run=target-box' } });
  });

  it('asks which pod when a selector matches several, and runs in the one chosen', async () => {
    const hash = stepHash(runner, 'in-chosen-member', SLUG);
    const ask = await runner.api('POST', `/api/runs/${runId}/steps/in-chosen-member/run`, { stepHash: hash });
    expect(ask.status, ask.body).toBe(409);
    expect(ask.json()).toMatchObject({
      code: 'CHOOSE_POD',
      details: { candidates: ['etcd-cp-1', 'etcd-cp-2', 'etcd-cp-3'] },
    });
    const wrong = await runner.api('POST', `/api/runs/${runId}/steps/in-chosen-member/run`, {
      stepHash: hash,
      pod: 'target-box',
    });
    expect(wrong.status).toBe(409);
    expect(wrong.json()).toMatchObject({
      code: 'CHOOSE_POD',
      message: expect.stringContaining('"target-box" is not one of them'),
    });
    const started = await runner.api('POST', `/api/runs/${runId}/steps/in-chosen-member/run`, {
      stepHash: hash,
      pod: 'etcd-cp-2',
    });
    expect(started.status, started.body).toBe(202);
    const records = await followEvents(runner, runId, finished('in-chosen-member'), { timeoutMs: 30_000 });
    const own = records.filter(({ event }) => 'stepId' in event && event.stepId === 'in-chosen-member');
    expect(outputOf(own)).toMatch(/etcdctl version: 3\.4/);
    expect(own.find(({ event }) => event.type === 'step-started')?.event).toMatchObject({
      target: { pod: 'etcd-cp-2' },
    });
  });

  it('refuses a podSelector step no Running pod matches', async () => {
    const refused = await runner.api('POST', `/api/runs/${runId}/steps/in-no-pod/run`, {
      stepHash: stepHash(runner, 'in-no-pod', SLUG),
    });
    expect(refused.status, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'NO_PODS',
      message: expect.stringContaining('app=nothing-here in default'),
    });
  });
});
