import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../../../../runner/execution/run-process.ts';
import { tempDir } from '../../../helpers/run-script.ts';

const request = { valuesPayload: new Uint8Array(), timeoutMs: 5000, idleTimeoutMs: null, graceMs: 100 };

describe('a step whose bash cannot start', () => {
  it('reports the spawn error, with no exit code and no process group', async () => {
    const cwd = path.join(await tempDir(), 'gone');
    const result = await runProcess({ ...request, program: 'true', cwd, env: {}, onOutput: () => undefined });
    expect(result.spawnError).toBeInstanceOf(Error);
    expect(result.exitCode).toBeNull();
    expect(result.pgid).toBeNull();
  });

  it('reports a script too long for the kernel as a spawn error instead of throwing', async () => {
    const program = `: ${'x'.repeat(4 * 1024 * 1024)}`;
    const result = await runProcess({ ...request, program, cwd: await tempDir(), env: {}, onOutput: () => undefined });
    expect(result.spawnError).toBeInstanceOf(Error);
    expect(result.exitCode).toBeNull();
  });
});
