// What a container runs, decided by its image. The practice cluster has no registry and no image
// store: each image it knows is a row of this table, backed by programs of this machine (Debian's
// etcd 3.4, /bin/sh) and, where the image's own files matter, a small folder of ours copied into
// the container's writable layer. Any other image fails to pull, as it would offline. README.md
// ("Images") lists the rows.
import path from 'node:path';
import { ETCDCTL_BINARY } from '../etcd/etcdctl.ts';
import { ETCD_BINARY } from '../etcd/member-command.ts';

const IMAGES_DIR = path.join(import.meta.dirname, 'images');
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ImageBehaviour {
  /** The row's name, for messages and the README. */
  kind: 'kubeadm-etcd' | 'bitnami-etcd' | 'deckhouse-etcd' | 'shell';
  /** Files of the image (its scripts), copied into the container's writable layer at start. */
  rootfs: string | null;
  /** Paths of the image that are this machine's programs: container path → program. */
  links: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  /** The programs a distroless image holds; null when the image has a full userland with a shell. */
  programs: readonly string[] | null;
}

export interface ImageReference {
  registry: string;
  repository: string;
  tag: string;
}

const SHELL_IMAGES = new Set(['busybox', 'debian', 'alpine', 'ubuntu', 'bash']);
const KUBEADM_ETCD_REGISTRIES = new Set(['registry.k8s.io', 'k8s.gcr.io', 'gcr.io', 'quay.io']);

// registry/repository:tag@digest as a container runtime reads it (docker.io/library by default).
export function parseImageReference(image: string): ImageReference {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const hasTag = colon > slash;
  const name = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(colon + 1) : 'latest';
  const [first, ...rest] = name.split('/');
  const isRegistry = rest.length > 0 && first !== undefined && /[.:]|^localhost$/.test(first);
  const registry = isRegistry ? first : 'docker.io';
  const path = isRegistry ? rest.join('/') : name;
  const repository = registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  return { registry, repository, tag };
}

// The behaviour of a known image; null means the image cannot be pulled here.
export function resolveImage(image: string): ImageBehaviour | null {
  const { registry, repository } = parseImageReference(image);
  const segments = repository.split('/');
  const last = segments.at(-1) ?? '';
  if (repository === 'bitnami/etcd' || repository.endsWith('/bitnami/etcd')) return BITNAMI_ETCD;
  if (registry.includes('deckhouse') && repository.includes('deckhouse')) return DECKHOUSE_ETCD;
  if (last === 'etcd' && (KUBEADM_ETCD_REGISTRIES.has(registry) || repository.endsWith('coreos/etcd'))) {
    return KUBEADM_ETCD;
  }
  const isLibrary = registry === 'docker.io' && segments.length === 2 && segments[0] === 'library';
  if (isLibrary && SHELL_IMAGES.has(last)) return { ...SHELL, cmd: [last === 'busybox' ? 'sh' : 'bash'] };
  return null;
}

const KUBEADM_ETCD: ImageBehaviour = {
  kind: 'kubeadm-etcd',
  rootfs: null,
  links: { '/usr/local/bin/etcd': ETCD_BINARY, '/usr/local/bin/etcdctl': ETCDCTL_BINARY },
  entrypoint: [],
  cmd: ['/usr/local/bin/etcd'],
  env: { PATH: DEFAULT_PATH },
  programs: ['etcd', 'etcdctl'],
};

const DECKHOUSE_ETCD: ImageBehaviour = { ...KUBEADM_ETCD, kind: 'deckhouse-etcd', programs: null };

const BITNAMI_ETCD: ImageBehaviour = {
  kind: 'bitnami-etcd',
  rootfs: path.join(IMAGES_DIR, 'bitnami-etcd'),
  links: { '/opt/bitnami/etcd/bin/etcd': ETCD_BINARY, '/opt/bitnami/etcd/bin/etcdctl': ETCDCTL_BINARY },
  entrypoint: ['/opt/bitnami/scripts/etcd/entrypoint.sh'],
  cmd: ['/opt/bitnami/scripts/etcd/run.sh'],
  env: {
    PATH: `/opt/bitnami/etcd/bin:/opt/bitnami/common/bin:${DEFAULT_PATH}`,
    BITNAMI_APP_NAME: 'etcd',
    ETCDCTL_API: '3',
  },
  programs: null,
};

const SHELL: ImageBehaviour = {
  kind: 'shell',
  rootfs: null,
  links: {},
  entrypoint: [],
  cmd: ['sh'],
  env: { PATH: DEFAULT_PATH },
  programs: null,
};

// The argv a container starts with: the pod's command replaces the image's entrypoint (and then its
// cmd), the pod's args replace the image's cmd, as in the container runtime.
export function containerArgv(
  image: ImageBehaviour,
  command: string[] | undefined,
  args: string[] | undefined,
): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args && args.length > 0 ? args : image.cmd)];
}

// Why a distroless image cannot run a program, in the runtime's words; null when it can.
export function missingProgram(image: ImageBehaviour, program: string): string | null {
  if (image.programs === null || image.programs.includes(path.basename(program))) return null;
  return `exec: "${program}": executable file not found in $PATH`;
}
