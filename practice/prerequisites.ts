import { spawnSync } from 'node:child_process';
import { PracticeError } from './errors.ts';

interface Prerequisite {
  command: string;
  versionArgs: string[];
  debianPackage: string;
}

// What the practice cluster needs from the system, beyond npm packages.
export const PRACTICE_PREREQUISITES: readonly Prerequisite[] = [
  { command: '/usr/bin/etcd', versionArgs: ['--version'], debianPackage: 'etcd-server' },
  { command: '/usr/bin/etcdctl', versionArgs: ['version'], debianPackage: 'etcd-client' },
  { command: 'openssl', versionArgs: ['version'], debianPackage: 'openssl' },
  { command: 'unzip', versionArgs: ['-v'], debianPackage: 'unzip' },
];

function isAvailable(prerequisite: Prerequisite): boolean {
  return spawnSync(prerequisite.command, prerequisite.versionArgs, { stdio: 'ignore' }).status === 0;
}

// Installs what is missing with apt when running as root; otherwise fails with the one command
// that fixes it.
export function ensurePrerequisites(): void {
  const missing = PRACTICE_PREREQUISITES.filter((prerequisite) => !isAvailable(prerequisite));
  if (missing.length === 0) return;
  const packages = missing.map((prerequisite) => prerequisite.debianPackage);
  if (process.getuid?.() === 0) {
    const update = spawnSync('apt-get', ['update'], { stdio: ['ignore', 'inherit', 'inherit'] });
    const install = spawnSync('apt-get', ['install', '-y', ...packages], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (update.status === 0 && install.status === 0 && missing.every(isAvailable)) return;
  }
  throw new PracticeError(
    'MISSING_PREREQUISITE',
    `Missing ${missing.map((item) => item.command).join(', ')}. Install with: sudo apt-get install -y ${packages.join(' ')}`,
  );
}
