import { describe, expect, it } from 'vitest';
import { checkTool, readVersion } from '../../../runner/preflight/check-tools.ts';

describe('tool versions', () => {
  it.each([
    ['Client Version: v1.32.3\nKustomize Version: v5.5.0', '1.32.3'],
    ['base64 (GNU coreutils) 9.1\nCopyright (C) 2022', '9.1.0'],
    ['GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)', '5.2.15'],
    ['v3.17.2+gcc0c9f4', '3.17.2'],
    ['etcdctl version: 3.5.16\nAPI version: 3.5', '3.5.16'],
  ])('reads %j as %s', (text, version) => {
    expect(readVersion(text)?.version).toBe(version);
  });

  it('finds a tool on PATH, compares its range, and says when it is missing', async () => {
    const env = { PATH: process.env.PATH };
    expect(await checkTool({ name: 'bash' }, env)).toMatchObject({ passed: true });
    expect(await checkTool({ name: 'bash', version: '>=4' }, env)).toMatchObject({ passed: true });
    expect(await checkTool({ name: 'bash', version: '>=99' }, env)).toMatchObject({
      passed: false,
      detail: expect.stringMatching(/^version \d+\.\d+\.\d+ does not satisfy >=99$/),
    });
    expect(await checkTool({ name: 'drillbook-no-such-tool' }, env)).toMatchObject({
      passed: false,
      detail: 'not found on PATH',
    });
  });
});
