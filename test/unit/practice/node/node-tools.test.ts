import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1PodList } from '@kubernetes/client-node';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { listNodeContainers } from '../../../../practice/node/crictl/list-containers.ts';
import { NODE_TOOLS_DIR } from '../../../../practice/node/node-shell.ts';
import { tempDir } from '../../../helpers/run-script.ts';

const SUDO = path.join(NODE_TOOLS_DIR, 'sudo');

describe("a practice node's sudo", () => {
  it('looks programs up through secure_path, so one only in /usr/local/bin-like folders is not found', async () => {
    const dir = await tempDir('drillbook-sudo-');
    await mkdir(path.join(dir, 'bin'));
    await writeFile(path.join(dir, 'bin', 'only-here'), '#!/bin/sh\necho ran\n');
    await chmod(path.join(dir, 'bin', 'only-here'), 0o755);
    const env = { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` };
    const byName = await execa(SUDO, ['-n', 'only-here'], { env, reject: false });
    expect(byName.exitCode).toBe(1);
    expect(byName.stderr).toBe('sudo: only-here: command not found');
    const byPath = await execa(SUDO, ['-n', path.join(dir, 'bin', 'only-here')], { env, reject: false });
    expect(byPath.stdout).toBe('ran');
    const environment = await execa(SUDO, ['-n', 'env'], { env, reject: false });
    expect(environment.stdout).toContain('PATH=/sbin:/bin:/usr/sbin:/usr/bin\n');
    const other = await execa(SUDO, ['-n', '-u', 'nobody', 'true'], { reject: false });
    expect(other.exitCode).toBe(1);
  });
});

describe("a practice node's crictl", () => {
  it('lists the current run of each container and the one before it, newest first', () => {
    const pods = {
      items: [
        {
          metadata: { name: 'etcd-cp-1', namespace: 'kube-system', uid: 'ab-cd' },
          status: {
            containerStatuses: [
              {
                name: 'etcd',
                image: 'registry.k8s.io/etcd:3.4.23-0',
                containerID: 'containerd://new',
                restartCount: 1,
                ready: true,
                state: { running: { startedAt: new Date('2026-01-01T00:02:00Z') } },
                lastState: {
                  terminated: {
                    exitCode: 1,
                    containerID: 'containerd://old',
                    startedAt: new Date('2026-01-01T00:01:00Z'),
                  },
                },
              },
            ],
          },
        },
      ],
    } as unknown as V1PodList;
    const containers = listNodeContainers(pods);
    expect(containers.map((item) => [item.id, item.state, item.attempt, item.previous, item.podId])).toEqual([
      ['new', 'Running', 1, false, 'abcd'],
      ['old', 'Exited', 0, true, 'abcd'],
    ]);
  });
});
