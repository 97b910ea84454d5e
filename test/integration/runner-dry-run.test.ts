import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunPlan } from '../../protocol/index.ts';
import { tempDir } from '../helpers/run-script.ts';
import { type RunnerApi, startApp, stepHash } from '../helpers/runner-app.ts';

let runner: RunnerApi;

beforeAll(async () => {
  runner = await startApp();
});
afterAll(() => runner.stop());

async function createDryRun(runbook: string, params: Record<string, string>): Promise<string> {
  const response = await runner.api('POST', '/api/runs', { runbook, operator: 'ana', mode: 'dry-run', params });
  expect(response.status, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

async function journalEventTypes(runId: string): Promise<string[]> {
  const files = execFileSync('find', [runner.stateDir, '-name', '*.jsonl'], { encoding: 'utf8' }).trim().split('\n');
  const journal = files.find((file) => file.includes(runId)) as string;
  const lines = (await readFile(journal, 'utf8')).trim().split('\n');
  return lines.map((line) => (JSON.parse(line) as { record: { event: { type: string } } }).record.event.type);
}

const plan = async (runId: string) => (await runner.api('GET', `/api/runs/${runId}/plan`)).json() as DryRunPlan;

describe('a dry run', () => {
  it('executes nothing: every Run is refused and no step is started or spawned', async () => {
    const marker = path.join(await tempDir('drillbook-dry-'), 'marker');
    const runId = await createDryRun('runner-fixture', { markerFile: marker });
    for (const step of runner.manifest.runbooks.find((item) => item.slug === 'runner-fixture')?.steps ?? []) {
      if (step.kind !== 'command') continue;
      const response = await runner.api('POST', `/api/runs/${runId}/steps/${step.id}/run`, {
        stepHash: stepHash(runner, step.id),
      });
      expect(response.status, step.id).toBe(409);
      expect((response.json() as { code: string }).code).toBe('DRY_RUN');
    }
    expect(existsSync(marker)).toBe(false);
    const types = await journalEventTypes(runId);
    expect(types).toContain('run-created');
    expect(types.filter((type) => type.startsWith('step-') || type === 'output')).toEqual([]);
  });

  it('renders every step with the values it knows and marks values only a live run captures', async () => {
    const runId = await createDryRun('dry-run-fixture', { label: "it's $(id)", token: 'tok-s3cret-value' });
    let steps = (await plan(runId)).steps;
    expect(steps.map((step) => step.id)).toEqual(['write-label', 'pick-zone', 'use-values']);
    expect(steps[0]?.command).toBe(`printf 'label=%s\\n' 'it'\\''s $(id)' | tee label.txt`);
    expect(steps[0]?.liveOnly).toEqual([]);
    expect(steps[2]).toMatchObject({ liveOnly: ['written'], missing: ['zone'] });

    const acknowledged = await runner.api('POST', `/api/runs/${runId}/steps/pick-zone/acknowledge`, { value: 'eu-1' });
    expect(acknowledged.status, acknowledged.body).toBe(204);
    const overridden = await runner.api('POST', `/api/runs/${runId}/values/written/override`, {
      value: 'by hand',
      reason: 'known from the last live run',
    });
    expect(overridden.status, overridden.body).toBe(204);
    steps = (await plan(runId)).steps;
    expect(steps[2]).toMatchObject({ liveOnly: [], missing: [] });
    expect(steps[2]?.command).toBe(`printf 'written=%s zone=%s\\n' 'by hand' "eu-1"`);
  });

  it('exports the whole runbook as a script that runs with the same values, secrets left out', async () => {
    const label = `a 'quoted' $(touch pwned) \`x\` \\ "end"\nsecond line\u001b]52;c;evil\u0007`;
    const runId = await createDryRun('dry-run-fixture', { label: 'plain', token: 'tok-s3cret-value' });
    // A param refuses control characters; an override still can carry them into the script.
    const overridden = await runner.api('POST', `/api/runs/${runId}/values/label/override`, {
      value: label,
      reason: 'hostile',
    });
    expect(overridden.status, overridden.body).toBe(204);
    const response = await runner.api('GET', `/api/runs/${runId}/export.sh`);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toContain(`drillbook-${runId}.sh`);
    const script = response.body;
    expect(script).not.toContain('tok-s3cret-value');
    expect(script).not.toContain('\u001b');
    expect(script).toContain(': "${DRILLBOOK_VAR_written:?export DRILLBOOK_VAR_written: captured by step write-label');

    const dir = await tempDir('drillbook-script-');
    const file = path.join(dir, 'runbook.sh');
    await writeFile(file, script);
    execFileSync('bash', ['-n', file]);
    // Without the captured value the script stops at the step that needs it, after the first ran.
    const partial = runScript(file, dir, {});
    expect(partial.status).not.toBe(0);
    expect(partial.stderr).toContain('DRILLBOOK_VAR_written: captured by step write-label in a live run');
    expect(await readFile(path.join(dir, 'label.txt'), 'utf8')).toBe(`label=${label}\n`);
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false);

    const full = runScript(file, dir, { DRILLBOOK_VAR_written: 'w $(x)', DRILLBOOK_VAR_zone: 'eu-1' });
    expect(full.stderr).toContain('Manual step pick-zone');
    expect(full.status, full.stderr).toBe(0);
    expect(full.stdout).toContain('written=w $(x) zone=eu-1\n');
  });
});

function runScript(file: string, cwd: string, env: Record<string, string>) {
  return spawnSync('bash', [file], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
}
