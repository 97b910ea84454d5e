import { describe, expect, it } from 'vitest';
import type { RunnerError } from '../../../../runner/errors.ts';
import { stepBlock } from '../../../helpers/fixtures.ts';
import { scriptedExecutor, serviceFor } from '../../../helpers/run-service.ts';

const RUNBOOK = `<Param name="word" label="Word" default="one" />

${stepBlock('echo {{word}}', 'id="say" title="Say" risk="read"')}
${stepBlock('echo two', 'id="other" title="Other" risk="read"')}
${stepBlock('echo {{word}}', 'id="poll" title="Poll" risk="read"', '<Check regex="ready" wait="10s" interval="50ms" />')}
`;

const codeOf = (outcome: PromiseSettledResult<unknown>) =>
  outcome.status === 'rejected' ? (outcome.reason as RunnerError).code : 'ACCEPTED';

describe('one step, one attempt', () => {
  for (const count of [3, 10]) {
    it(`accepts one of ${count} simultaneous Run requests on a fresh run and spawns once`, async () => {
      const executor = scriptedExecutor(() => new Promise((resolve) => setTimeout(() => resolve({}), 50)));
      const { service, start, hashOf } = await serviceFor(RUNBOOK, { executor });
      const runId = await start();
      const outcomes = await Promise.allSettled(
        Array.from({ length: count }, () => service.runStep(runId, 'say', hashOf('say'))),
      );
      expect(outcomes.map(codeOf).sort()).toEqual(['ACCEPTED', ...Array(count - 1).fill('STEP_BUSY')]);
      await service.get(runId).running?.done;
      expect(executor.runs).toHaveLength(1);
      expect(service.get(runId).state.steps.get('say')?.attempt).toBe(1);
    });
  }

  it('answers a replayed idempotency key with the first answer and runs nothing again', async () => {
    const executor = scriptedExecutor(() => new Promise((resolve) => setTimeout(() => resolve({}), 30)));
    const { service, start, hashOf } = await serviceFor(RUNBOOK, { executor });
    const runId = await start();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => service.runStep(runId, 'say', hashOf('say'), 'click-1')),
    );
    expect(answers).toEqual(Array(10).fill({ attempt: 1 }));
    await service.get(runId).running?.done;
    expect(await service.runStep(runId, 'say', hashOf('say'), 'click-1')).toEqual({ attempt: 1 });
    expect(executor.runs).toHaveLength(1);
    await expect(service.runStep(runId, 'other', hashOf('other'), 'click-1')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await service.runStep(runId, 'say', hashOf('say'), 'click-2')).toEqual({ attempt: 2 });
    await service.get(runId).running?.done;
    expect(executor.runs).toHaveLength(2);
  });

  it('uses the values it started with on every poll of a wait, whatever is overridden meanwhile', async () => {
    let override = async () => {};
    const executor = scriptedExecutor(async (request, run) => {
      if (run === 1) await override();
      if (run === 3) await request.onOutput('stdout', Buffer.from('ready\n'));
      return {};
    });
    const { service, start, hashOf } = await serviceFor(RUNBOOK, { executor });
    const runId = await start({ word: 'first' });
    override = () => service.override(runId, 'word', 'changed', 'typo');
    await service.runStep(runId, 'poll', hashOf('poll'));
    await service.get(runId).running?.done;
    expect(service.get(runId).state.steps.get('poll')?.status).toBe('succeeded');
    expect(service.get(runId).value('word')).toBe('changed');
    const payloads = executor.runs.map((request) => Buffer.from(request.valuesPayload).toString('utf8'));
    expect(payloads).toHaveLength(3);
    expect(new Set(payloads).size).toBe(1);
    expect(payloads[0]).toContain('first');
  });
});
