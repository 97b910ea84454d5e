import { describe, expect, it } from 'vitest';
import {
  containerArgv,
  missingProgram,
  parseImageReference,
  resolveImage,
} from '../../../../practice/kubelet/images.ts';

describe('the kubelet image table', () => {
  it('reads image references as a runtime does', () => {
    expect(parseImageReference('busybox')).toEqual({
      registry: 'docker.io',
      repository: 'library/busybox',
      tag: 'latest',
    });
    expect(parseImageReference('registry.k8s.io/etcd:3.5.9-0')).toEqual({
      registry: 'registry.k8s.io',
      repository: 'etcd',
      tag: '3.5.9-0',
    });
    expect(parseImageReference('localhost:5000/bitnami/etcd:3.5.21-debian-12-r5@sha256:abc')).toEqual({
      registry: 'localhost:5000',
      repository: 'bitnami/etcd',
      tag: '3.5.21-debian-12-r5',
    });
  });

  it('runs real etcd for the etcd images, a shell for shell images, and nothing else', () => {
    expect(resolveImage('registry.k8s.io/etcd:3.5.9-0')?.kind).toBe('kubeadm-etcd');
    expect(resolveImage('bitnami/etcd:3.5.21-debian-12-r5')?.kind).toBe('bitnami-etcd');
    expect(resolveImage('urco-docker.pkg.dev/deephaven/images/bitnami/etcd:3.5.21')?.kind).toBe('bitnami-etcd');
    expect(resolveImage('registry.deckhouse.io/deckhouse/ce@sha256:0123')?.kind).toBe('deckhouse-etcd');
    for (const image of ['busybox:1.36', 'docker.io/library/debian:12', 'alpine', 'ubuntu:24.04', 'bash:5']) {
      expect(resolveImage(image)?.kind).toBe('shell');
    }
    expect(resolveImage('nginx:1.27')).toBeNull();
    expect(resolveImage('example.com/busybox')).toBeNull();
    expect(resolveImage('someone/etcd')).toBeNull();
  });

  it('has no shell in the distroless etcd image, whose own programs still run', () => {
    const etcd = resolveImage('registry.k8s.io/etcd:3.5.9-0');
    if (!etcd) throw new Error('etcd image unknown');
    expect(missingProgram(etcd, 'sh')).toBe('exec: "sh": executable file not found in $PATH');
    expect(missingProgram(etcd, '/bin/sh')).toContain('executable file not found');
    expect(missingProgram(etcd, 'etcdctl')).toBeNull();
    expect(missingProgram(etcd, '/usr/local/bin/etcd')).toBeNull();
    expect(missingProgram(resolveImage('registry.deckhouse.io/deckhouse/ce@sha256:1') ?? etcd, 'sh')).toBeNull();
  });

  it('lets command replace the entrypoint and args replace the cmd', () => {
    const bitnami = resolveImage('bitnami/etcd');
    if (!bitnami) throw new Error('bitnami image unknown');
    expect(containerArgv(bitnami, undefined, undefined)).toEqual([
      '/opt/bitnami/scripts/etcd/entrypoint.sh',
      '/opt/bitnami/scripts/etcd/run.sh',
    ]);
    expect(containerArgv(bitnami, undefined, ['sleep', '1'])).toEqual([
      '/opt/bitnami/scripts/etcd/entrypoint.sh',
      'sleep',
      '1',
    ]);
    expect(containerArgv(bitnami, ['/bin/sh', '-c'], ['sleep 96h'])).toEqual(['/bin/sh', '-c', 'sleep 96h']);
  });
});
