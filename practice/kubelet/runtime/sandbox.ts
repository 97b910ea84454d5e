import { NODE_OVERLAID_DIRS } from '../../node/node-shell.ts';

export interface SandboxMount {
  /** A path on this machine (a volume's folder or file). */
  source: string;
  /** Where the container sees it. */
  target: string;
  readOnly: boolean;
}

export interface SandboxSpec {
  /** An empty folder on this machine; a tmpfs is mounted on it inside the sandbox only. */
  sandboxDir: string;
  nodeRoot: string;
  /** Overlay work folders for the node's /etc, /var/lib, /var/log, on the node root's filesystem. */
  overlayWorkDir: string;
  imageRootfs: string | null;
  /** Symbolic links made in the container's writable layer: container path → target. */
  links: Record<string, string>;
  mounts: SandboxMount[];
  workingDir: string;
  argv: string[];
  /** The pod's network namespace (nsenter --net=); null: the node's, where the kubelet runs. */
  netns: string | null;
}

// The container's root, built in a private mount namespace: an overlay of this machine's / whose
// writable layer is a tmpfs (so nothing a container writes outside its volumes reaches the host),
// the node's /etc, /var/lib and /var/log overlaid as in a node shell, the image's own files copied
// into the writable layer, fresh /tmp and /run, then each volume bind-mounted at its mountPath (the
// mount point is made inside the overlay, never on the host), and a chroot into it. Values travel
// as arguments of this fixed script, never as shell text.
const SCRIPT = `set -e
S=$1 N=$2 W=$3 IMAGE=$4 WD=$5; shift 5
mount -t tmpfs -o mode=0755 drillbook-sandbox "$S"
mkdir "$S/upper" "$S/work" "$S/root"
if [ -n "$IMAGE" ]; then cp -a "$IMAGE/." "$S/upper/"; fi
mount -t overlay drillbook-root -o "lowerdir=/,upperdir=$S/upper,workdir=$S/work" "$S/root"
R=$S/root
for d in ${NODE_OVERLAID_DIRS.join(' ')}; do
  w="$W/$(printf %s "$d" | tr / _)"; mkdir -p "$w" "$N$d"
  mount -t overlay drillbook-node -o "lowerdir=$d,upperdir=$N$d,workdir=$w" "$R$d"
done
mount --rbind /proc "$R/proc"; mount --rbind /dev "$R/dev"; mount --rbind /sys "$R/sys"
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"; mount -t tmpfs -o mode=0755 tmpfs "$R/run"
while [ "$1" != "--" ]; do
  if [ "$1" = link ]; then mkdir -p "$(dirname "$R$3")"; ln -sfn "$2" "$R$3"; shift 3; continue; fi
  if [ -d "$2" ]; then mkdir -p "$R$3"; else mkdir -p "$(dirname "$R$3")"; [ -e "$R$3" ] || : > "$R$3"; fi
  mount --bind "$2" "$R$3"
  if [ "$4" = ro ]; then mount -o remount,bind,ro "$R$3"; fi
  shift 4
done
shift
mkdir -p "$R$WD"
exec chroot "$R" /usr/bin/env -u SHLVL -u _ -u OLDPWD -u PWD --chdir="$WD" -- "$@"`;

export interface SandboxCommand {
  file: string;
  args: string[];
}

// The command that starts a container's process; its pid is the container's main process (every
// step execs), so signals and nsenter reach the container itself.
export function sandboxCommand(spec: SandboxSpec): SandboxCommand {
  const links = Object.entries(spec.links).flatMap(([target, program]) => ['link', program, target]);
  const mounts = spec.mounts.flatMap((mount) => ['mount', mount.source, mount.target, mount.readOnly ? 'ro' : 'rw']);
  const network = spec.netns ? ['nsenter', `--net=${spec.netns}`, '--'] : [];
  const [file = 'unshare', ...args] = [
    ...network,
    'unshare',
    '--mount',
    '--propagation',
    'private',
    '--',
    'bash',
    '-c',
    SCRIPT,
    'sandbox',
    spec.sandboxDir,
    spec.nodeRoot,
    spec.overlayWorkDir,
    spec.imageRootfs ?? '',
    spec.workingDir,
    ...links,
    ...mounts,
    '--',
    ...spec.argv,
  ];
  return { file, args };
}

// A command run inside a running container: its mount and network namespaces, root and working folder.
export function enterContainerCommand(pid: number, argv: string[]): SandboxCommand {
  return { file: 'nsenter', args: [`--target=${pid}`, '--mount', '--net', '--root', '--wd', '--', ...argv] };
}
