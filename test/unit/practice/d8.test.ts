import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ensureTools } from '../../../practice/tools/pinned-tools.ts';

// `practice env` puts .tools/bin on PATH: the Deckhouse runbooks' `d8 k` is the pinned kubectl there.
describe('the practice d8', () => {
  it('runs `d8 k` as the pinned kubectl and refuses what needs Deckhouse', async () => {
    const { binDir } = await ensureTools();
    const env = { PATH: `${binDir}:/usr/bin:/bin` };
    const client = await execa(path.join(binDir, 'd8'), ['k', 'version', '--client', '-o', 'json'], { env });
    expect(JSON.parse(client.stdout).clientVersion.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    const backup = await execa(path.join(binDir, 'd8'), ['backup', 'etcd', './etcd.db'], { env, reject: false });
    expect(backup.exitCode).toBe(1);
    expect(backup.stderr).toContain('d8 backup: not available on the practice cluster');
  }, 60_000);
});
