import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../../protocol/index.ts';
import { MASK } from '../../../../runner/secrets/masker.ts';
import { stepBlock } from '../../../helpers/fixtures.ts';
import { serviceFor } from '../../../helpers/run-service.ts';

const events = (harness: { service: { get: (id: string) => { records: { event: RunEvent }[] } } }, runId: string) =>
  harness.service.get(runId).records.map((record) => record.event);
const shown = (list: RunEvent[], stepId: string) =>
  list.map((event) => (event.type === 'output' && event.stepId === stepId ? event.text : '')).join('');

async function stateFiles(stateDir: string): Promise<string> {
  const texts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(file);
      else texts.push(`${file}\n${await readFile(file, 'utf8')}`);
    }
  };
  await walk(stateDir);
  return texts.join('\n');
}

describe('output of a step that captures a secret', () => {
  it('logs held output past the memory cap, masked, and leaves no spill file', async () => {
    const harness = await serviceFor(
      stepBlock(
        't=$(printf "tk-77-%s" secret-value)\nprintf "token=%s\\n" "$t"\nhead -c 300000 < <(yes "stderr line $t") >&2',
        'id="read" title="Read" risk="read"',
        '<Capture name="token" regex="token=(\\S+)" secret />',
      ),
    );
    const runId = await harness.start();
    await harness.run(runId, 'read');
    const log = await readFile(path.join(harness.stateDir, 'runs', runId, 'logs', 'read.1.log'), 'utf8');
    expect(log.split('\n').filter((line) => line === `stderr line ${MASK}`).length).toBe(9677);
    expect(harness.service.get(runId).state.steps.get('read')?.status).toBe('succeeded');
    const files = await stateFiles(harness.stateDir);
    expect(files).not.toContain('tk-77-secret-value');
    expect(files).not.toContain('.held-');
  });

  it('masks the secret in the output of an attempt that failed before its capture was taken', async () => {
    const harness = await serviceFor(
      stepBlock(
        "printf 'password=%s-%s\\n' hunter 2024\nexit 3",
        'id="read" title="Read" risk="read"',
        '<Capture name="password" regex="password=(\\S+)" secret />',
      ),
    );
    const runId = await harness.start();
    await harness.run(runId, 'read');
    expect(harness.service.get(runId).state.steps.get('read')).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(shown(events(harness, runId), 'read')).toBe(`password=${MASK}\n`);
    expect(await stateFiles(harness.stateDir)).not.toContain('hunter-2024');
  });

  it('withholds a stream too long to find the secret in, and says so', async () => {
    const harness = await serviceFor(
      stepBlock(
        "printf 'password=%s-%s\\n' hunter 2024\nhead -c 200000 < <(yes filler)",
        'id="read" title="Read" risk="read"',
        '<Capture name="password" regex="password=(\\S+)" secret />',
      ),
    );
    const runId = await harness.start();
    await harness.run(runId, 'read');
    const list = events(harness, runId);
    expect(list).toContainEqual(
      expect.objectContaining({ type: 'capture-failed', message: expect.stringContaining('kept in memory') }),
    );
    expect(shown(list, 'read')).toMatch(/bytes of stdout withheld: .*the secret \{\{password\}\}/);
    expect(await stateFiles(harness.stateDir)).not.toContain('hunter-2024');
  });
});

describe('captures and checks on output longer than what is kept', () => {
  it('fail the capture with a clear message instead of reading part of the output', async () => {
    const harness = await serviceFor(
      stepBlock(
        "head -c 100000 < <(yes filler)\nprintf 'value=%s\\n' end",
        'id="read" title="Read" risk="read"',
        '<Capture name="value" regex="value=(\\w+)" />',
      ),
    );
    const runId = await harness.start();
    await harness.run(runId, 'read');
    const list = events(harness, runId);
    expect(list).toContainEqual(
      expect.objectContaining({ type: 'capture-failed', message: expect.stringContaining('stdout was longer than') }),
    );
    expect(harness.service.get(runId).state.steps.get('read')?.status).toBe('failed');
  });
});

describe('the polls of a wait', () => {
  it('share one event budget, and each names its own full log', async () => {
    const harness = await serviceFor(
      stepBlock(
        'echo beat >> beats\nhead -c 3000 < <(yes noise)\nprintf "\\nbeats=%d\\n" "$(wc -l < beats)"',
        'id="poll" title="Poll" risk="read"',
        '<Check regex="beats=3" wait="20s" interval="50ms" />',
      ),
      { limits: { wireBytes: 1000 } },
    );
    const runId = await harness.start();
    await harness.run(runId, 'poll');
    const list = events(harness, runId);
    expect(Buffer.byteLength(shown(list, 'poll'))).toBe(1000);
    const truncated = list.flatMap((event) => (event.type === 'output-truncated' ? [event.logFile] : []));
    expect(truncated).toEqual(['poll.1.log', 'poll.1.poll2.log', 'poll.1.poll3.log']);
    const logs = await readdir(path.join(harness.stateDir, 'runs', runId, 'logs'));
    for (const file of truncated) expect(logs).toContain(file);
    expect(harness.service.get(runId).state.steps.get('poll')?.status).toBe('succeeded');
  });
});

describe('checks', () => {
  it('fail the step unless advisory, keeping the exit code and naming the check', async () => {
    const harness = await serviceFor(
      `${stepBlock('echo "status: degraded"', 'id="gated" title="Gated" risk="read"', '<Check regex="status: healthy" label="the cluster is healthy" />')}
${stepBlock('echo "status: degraded"', 'id="informs" title="Informs" risk="read"', '<Check regex="status: healthy" advisory />')}`,
    );
    const runId = await harness.start();
    await harness.run(runId, 'gated');
    await harness.run(runId, 'informs');
    const steps = harness.service.get(runId).state.steps;
    expect(steps.get('gated')).toMatchObject({
      status: 'failed',
      exitCode: 0,
      message: expect.stringContaining('"the cluster is healthy"'),
    });
    expect(steps.get('informs')).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(steps.get('informs')?.checks).toEqual([expect.objectContaining({ passed: false })]);
  });
});

describe('a secret too short to mask', () => {
  it('gets a warning when given as a param, overridden, entered or captured', async () => {
    const harness = await serviceFor(`<Param name="pin" label="PIN" secret />

${stepBlock("printf 'code=%s\\n' ab", 'id="read" title="Read" risk="read"', '<Capture name="code" regex="code=(\\w+)" secret />')}

<Manual id="enter" title="Enter" value="otp" secret>
Type it.
</Manual>
`);
    const runId = await harness.start({ pin: '123' });
    await harness.service.override(runId, 'pin', 'x9', 'shorter');
    await harness.service.acknowledge(runId, 'enter', '42');
    await harness.run(runId, 'read');
    await harness.service.override(runId, 'pin', 'long-enough', 'fixed');
    const warned = events(harness, runId).flatMap((event) => (event.type === 'warning' ? [event.name] : []));
    expect(warned).toEqual(['pin', 'pin', 'otp', 'code']);
  });
});
