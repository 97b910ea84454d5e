import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDrill } from '../helpers/drill-cli.ts';
import { tempDir } from '../helpers/run-script.ts';

/** The base64 of "tutorial-", the start of getting-started's generated password. */
const PASSWORD_BASE64_PREFIX = 'dHV0b3JpYWwt';

let stateDir: string;
beforeAll(async () => {
  stateDir = await tempDir('drillbook-drill-');
});
const drill = (args: string[], env: Record<string, string> = {}) => runDrill(stateDir, args, env);

const ALL = ['run', 'getting-started', '--param', 'slowSeconds=1', '--choose', 'releaseName=etcd-new'];

describe('npm run drill -- run getting-started', () => {
  it('runs every step: choose, manual answer, --yes for the destructive step; the record is masked', async () => {
    const record = path.join(await tempDir('drillbook-record-'), 'run.json');
    const result = await drill([...ALL, '--param', 'ticketId=OPS-42', '--yes', '--record', record]);
    expect(result.code, result.stderr).toBe(0);
    for (const id of ['inspect-kernel', 'list-releases', 'read-password', 'wait-for-ready', 'clean-up'])
      expect(result.stdout).toContain(`✔ ${id} succeeded`);
    expect(result.stdout).toContain('chose {{releaseName}} = etcd-new');
    expect(result.stdout).toContain('hello: release etcd-new listens on port 8080');
    expect(result.stdout).toContain('(record-ticket) done by hand: {{ticketId}} = OPS-42');
    expect(result.stdout).toContain('cleaned up for OPS-42');
    expect(result.stdout).toContain('Run completed.');
    expect(result.stdout).toMatch(/the whole log: \/.*\/logs\/long-output.1.log/);
    expect(result.stdout).not.toContain(PASSWORD_BASE64_PREFIX);
    const text = await readFile(record, 'utf8');
    const exported = JSON.parse(text) as { summary: { outcome: string } };
    expect(exported.summary.outcome).toBe('completed');
    expect(text).toContain('rootPassword');
    expect(text).toContain('read-password');
    expect(text).not.toContain(PASSWORD_BASE64_PREFIX);
    expect(text).not.toMatch(/tutorial-[0-9a-f]{12}/);
  });

  it('writes the record as Markdown when the file ends in .md, masked too', async () => {
    const record = path.join(await tempDir('drillbook-record-'), 'run.md');
    const result = await drill([...ALL, '--ack', 'record-ticket=OPS-7', '--yes', '--record', record]);
    expect(result.code, result.stderr).toBe(0);
    const text = await readFile(record, 'utf8');
    expect(text).toContain('# ');
    expect(text).toContain('OPS-7');
    expect(text).not.toContain(PASSWORD_BASE64_PREFIX);
  });

  it('stops at an operator-picked capture without --choose and lists the candidates', async () => {
    const result = await drill(['run', 'getting-started', '--param', 'ticketId=OPS-1', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/step "list-releases" found several candidates for \{\{releaseName\}\}/);
    expect(result.stderr).toContain('--choose releaseName=VALUE');
    expect(result.stderr).toMatch(/^ {2}etcd$/m);
    expect(result.stderr).toMatch(/^ {2}etcd-new$/m);
    expect(result.stdout).not.toContain('▶ [4/10]');
  });

  it('refuses a --choose value that is not a candidate', async () => {
    const result = await drill(['run', 'getting-started', '--choose', 'releaseName=etcd-old', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--choose releaseName: not a candidate');
  });

  it('fails clearly when a manual step has no answer', async () => {
    const result = await drill([...ALL, '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('step "record-ticket" (Open a change ticket) is done by hand');
    expect(result.stderr).toContain('--param ticketId=VALUE');
    expect(result.stdout).not.toContain('▶ [10/10]');
  });

  it('does not run a destructive step without --yes', async () => {
    const result = await drill([...ALL, '--param', 'ticketId=OPS-1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'step "clean-up" (Delete the tutorial\'s scratch files) is destructive: pass --yes',
    );
    expect(result.stdout).not.toContain('cleaned up for');
  });

  it('exits non-zero at the first failed step, saying which step and why', async () => {
    const bin = await tempDir('drillbook-fake-bin-');
    await writeFile(path.join(bin, 'uname'), '#!/bin/sh\necho "uname: broken" >&2\nexit 3\n');
    await chmod(path.join(bin, 'uname'), 0o755);
    const result = await drill([...ALL, '--yes'], { PATH: `${bin}:${process.env.PATH}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('uname: broken');
    expect(result.stderr).toMatch(/step "inspect-kernel" \(Read the kernel release\) failed: exited with code 3/);
    expect(result.stderr).toContain('failed checks: exit code is 0');
    expect(result.stdout).not.toContain('▶ [2/10]');
  });

  it('names a failed capture', async () => {
    const bin = await tempDir('drillbook-fake-bin-');
    await writeFile(path.join(bin, 'uname'), '#!/bin/sh\necho "no version here"\n');
    await chmod(path.join(bin, 'uname'), 0o755);
    const result = await drill([...ALL, '--yes'], { PATH: `${bin}:${process.env.PATH}` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/step "inspect-kernel" .* failed: .*kernelVersion/);
  });

  it('--skip passes over steps (a destructive one needs no --yes then), records why, and runs the rest', async () => {
    const record = path.join(await tempDir('drillbook-record-'), 'run.json');
    const result = await drill([
      ...ALL,
      '--param',
      'ticketId=OPS-9',
      '--skip',
      'long-output=not needed here',
      '--skip',
      'clean-up',
      '--record',
      record,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('- long-output skipped: not needed here');
    expect(result.stdout).toContain('- clean-up skipped: skipped with --skip');
    expect(result.stdout).not.toContain('▶ [9/10]');
    expect(result.stdout).not.toContain('cleaned up for');
    expect(result.stdout).toContain('(record-ticket) done by hand');
    const exported = JSON.parse(await readFile(record, 'utf8')) as { summary: { outcome: string } };
    expect(exported.summary.outcome).toBe('completed');
    const unknown = await drill([...ALL, '--skip', 'no-such-step']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no step "no-such-step" in getting-started');
  });

  it('--dry-run prints the rendered script and runs nothing', async () => {
    const result = await drill(['run', 'getting-started', '--dry-run', '--param', 'greeting=salut']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('(dry-run)');
    expect(result.stdout).toContain('uname -sr');
    expect(result.stdout).toContain('rm -f -- heartbeats.log');
    expect(result.stdout).toContain('salut');
    expect(result.stdout).not.toContain('▶');
    expect(result.stdout).not.toMatch(/^Linux /m);
  });

  it('rejects a wrong command line with the usage', async () => {
    const result = await drill(['run', 'getting-started', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: npm run drill -- run SLUG');
    const unknown = await drill(['run', 'no-such-runbook']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no runbook "no-such-runbook"');
    expect((await drill(['run', '../README'])).stderr).toContain('no runbook "../README"');
  });

  it('pins the run to the --context it is given, and refuses one the kubeconfig lacks', async () => {
    const result = await drill(['run', 'getting-started', '--context', 'no-such-context'], {
      KUBECONFIG: '/nonexistent/kubeconfig',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no-such-context');
  });
});
