import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';
import { fixtureManifest, outputOfRecords, runStepRecords, stepFinishOf } from '../helpers/runner-http.ts';
import { type SshServer, startSshServer } from '../helpers/ssh-server.ts';

const SLUG = 'ssh-targets';
const PWNED = '/tmp/drillbook-ssh-pwned';
const HOSTILE = `it's "$(touch ${PWNED})" \`touch ${PWNED}\` ; -x\nsecond line`;
const TOKEN = 'tok-ssh-5be2c7d1';

// target="node" off the practice cluster: the operator's OpenSSH client against a real sshd.
describe('node steps over SSH', () => {
  let sshd: SshServer;
  let runner: RunnerApi;
  let runId: string;

  beforeAll(async () => {
    sshd = await startSshServer();
    const { file } = await fixtureManifest('target-runbooks');
    runner = await startApp({
      manifestFile: file,
      env: { PATH: `${sshd.binDir}:${process.env.PATH}`, HOME: sshd.home, LANG: 'C.UTF-8' },
    });
    const created = await runner.api('POST', '/api/runs', {
      runbook: SLUG,
      operator: 'ana',
      params: { word: 'plain', token: TOKEN },
    });
    expect(created.status, created.body).toBe(201);
    runId = (created.json() as { id: string }).id;
  }, 60_000);
  afterAll(async () => {
    await runner?.stop();
    await sshd?.stop();
  });

  const run = (stepId: string, whileRunning?: () => Promise<void>) =>
    runStepRecords(runner, runId, SLUG, stepId, whileRunning);
  const outputOf = outputOfRecords;
  const finishedOf = stepFinishOf;

  it('runs the script on the node, a hostile value arriving as data, a secret masked', async () => {
    // A param is one line; an override may carry any text, so the hostile value comes that way.
    const override = { value: HOSTILE, reason: 'hostile value' };
    expect((await runner.api('POST', `/api/runs/${runId}/values/word/override`, override)).status).toBe(204);
    const records = await run('over-ssh');
    const output = outputOf(records);
    expect(output).toContain(`arg=[${HOSTILE}]\n`);
    expect(output).toContain('user=root');
    expect(output).not.toContain(TOKEN);
    expect(existsSync(PWNED)).toBe(false);
    expect(finishedOf(records)).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
  });

  it('records the remote exit code', async () => {
    const records = await run('ssh-fails');
    expect(outputOf(records)).toContain('before\n');
    expect(finishedOf(records)).toMatchObject({ outcome: 'failed', exitCode: 7 });
  });

  it('ends the remote script on Cancel, although sshd sends no SIGHUP without a TTY', async () => {
    const sleeping = async () => (await execa('ps', ['-eo', 'args'])).stdout.includes('sleep 4545');
    const records = await run('ssh-sleeps', async () => {
      await expect.poll(sleeping, { timeout: 10_000 }).toBe(true);
      const canceled = await runner.api('POST', `/api/runs/${runId}/steps/ssh-sleeps/cancel`, {});
      expect(canceled.status).toBe(204);
    });
    expect(finishedOf(records)).toMatchObject({ outcome: 'canceled' });
    await expect.poll(sleeping, { timeout: 10_000 }).toBe(false);
  });

  it('checks before the first step that each node answers, and refuses an unknown host key, asking nothing', async () => {
    const view = (await runner.api('GET', `/api/runs/${runId}`)).json() as {
      preflight: { id: string; passed: boolean; detail: string; steps: string[] }[];
    };
    const nodes = view.preflight.filter((item) => item.id.startsWith('node:'));
    expect(nodes).toEqual([
      expect.objectContaining({
        id: 'node:drillbook-ssh-test',
        passed: true,
        steps: ['over-ssh', 'ssh-fails', 'ssh-sleeps'],
      }),
      expect.objectContaining({
        id: 'node:drillbook-ssh-unknown',
        passed: false,
        detail: expect.stringContaining('Host key verification failed'),
        steps: ['ssh-unknown-host'],
      }),
    ]);
    const blocked = await runner.api('POST', `/api/runs/${runId}/steps/ssh-unknown-host/run`, {
      stepHash: stepHash(runner, 'ssh-unknown-host', SLUG),
    });
    expect(blocked.status, blocked.body).toBe(409);
    expect(blocked.json()).toMatchObject({ code: 'PREFLIGHT_FAILED' });
    const overridden = await runner.api('POST', `/api/runs/${runId}/preflight/override`, {
      itemId: 'node:drillbook-ssh-unknown',
      reason: 'to see ssh refuse it',
    });
    expect(overridden.status, overridden.body).toBe(204);
    const records = await run('ssh-unknown-host');
    expect(outputOf(records)).toMatch(/Host key verification failed/);
    expect(outputOf(records)).not.toContain('never');
    expect(finishedOf(records)).toMatchObject({ outcome: 'failed', exitCode: 255 });
  });
});
