import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, usePracticeCluster } from '../helpers/practice-cluster.ts';

// kubectl logs, exec and cp with the real kubectl, through the API server to the pod's kubelet.
const practice = usePracticeCluster('pod-exec');

async function runningPod(name: string, command: string): Promise<void> {
  await practice().kubectlOk(['run', name, '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', command]);
  await eventually(async () => {
    const phase = await practice().kubectlOk(['get', 'pod', name, '-o', 'jsonpath={.status.phase}']);
    if (phase !== 'Running') throw new Error(`pod ${name} is ${phase}`);
  }, 30_000);
}

describe('pods/log, pods/exec and kubectl cp', () => {
  it('streams the container log, with --tail', async () => {
    await runningPod('talker', 'echo first; echo second; echo third; sleep 3600');
    await eventually(async () => {
      expect(await practice().kubectlOk(['logs', 'talker'])).toBe('first\nsecond\nthird');
    });
    expect(await practice().kubectlOk(['logs', 'talker', '--tail=1'])).toBe('third');
  });

  it('runs a command, with its stdout, stderr, exit code and stdin', async () => {
    await runningPod('shell', 'sleep 3600');
    const failing = await practice().kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(failing.exitCode).toBe(3);
    expect(failing.stdout).toBe('out');
    expect(failing.stderr).toContain('err');
    expect(failing.stderr).toContain('command terminated with exit code 3');
    const hostile = `$(touch /tmp/pwned) 'x' "y"`;
    const fed = await practice().kubectl(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; echo "[$1]"', 'sh', hostile], {
      input: 'from stdin\n',
    });
    expect(fed.exitCode, fed.stderr).toBe(0);
    expect(fed.stdout).toBe(`from stdin\n[${hostile}]`);
  });

  it('copies files into and out of a container with kubectl cp', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'drillbook-cp-'));
    await writeFile(path.join(dir, 'snapshot.db'), 'etcd snapshot bytes\n');
    await practice().kubectlOk(['cp', path.join(dir, 'snapshot.db'), 'default/shell:/tmp/snapshot.db']);
    expect(await practice().kubectlOk(['exec', 'shell', '--', 'cat', '/tmp/snapshot.db'])).toBe('etcd snapshot bytes');
    await practice().kubectlOk(['exec', 'shell', '--', 'sh', '-c', 'echo made inside > /tmp/inside.txt']);
    await practice().kubectlOk(['cp', 'default/shell:/tmp/inside.txt', path.join(dir, 'inside.txt')]);
    expect(await readFile(path.join(dir, 'inside.txt'), 'utf8')).toBe('made inside\n');
  });

  it('answers as a real cluster does for what it cannot do', async () => {
    const noContainer = await practice().kubectl(['exec', 'shell', '-c', 'nope', '--', 'true']);
    expect(noContainer.stderr).toContain('container nope is not valid for pod shell');
    const viewer = await practice().kubectl(['exec', 'shell', '--', 'true'], { context: 'viewer' });
    expect(viewer.exitCode).not.toBe(0);
    expect(viewer.stderr).toContain('cannot create resource "pods/exec"');
    const distroless = await practice().kubectl(['exec', '-n', 'kube-system', 'etcd-cp-1', '--', 'sh', '-c', 'true']);
    expect(distroless.exitCode).not.toBe(0);
    expect(distroless.stderr).toContain('executable file not found');
  });
});
