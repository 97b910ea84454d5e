import { spawnSync } from 'node:child_process';

interface Prerequisite {
  command: string;
  versionArgs: string[];
  debianPackage: string;
}

// What the suites need from the system, beyond npm packages.
const PREREQUISITES: Prerequisite[] = [
  { command: 'bash', versionArgs: ['--version'], debianPackage: 'bash' },
  { command: '/usr/bin/chromium', versionArgs: ['--version'], debianPackage: 'chromium' },
  { command: '/usr/bin/etcd', versionArgs: ['--version'], debianPackage: 'etcd-server' },
  { command: '/usr/bin/etcdctl', versionArgs: ['version'], debianPackage: 'etcd-client' },
  { command: 'openssl', versionArgs: ['version'], debianPackage: 'openssl' },
  { command: 'unzip', versionArgs: ['-v'], debianPackage: 'unzip' },
];

function isAvailable(prerequisite: Prerequisite): boolean {
  return spawnSync(prerequisite.command, prerequisite.versionArgs, { stdio: 'ignore' }).status === 0;
}

// Installs what is missing with apt when running as root; otherwise names the one command to run.
export function checkPrerequisites(): string[] {
  const missing = PREREQUISITES.filter((prerequisite) => !isAvailable(prerequisite));
  if (missing.length === 0) return [];
  const packages = missing.map((prerequisite) => prerequisite.debianPackage);
  if (process.getuid?.() === 0) {
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    const install = spawnSync('apt-get', ['install', '-y', ...packages], { stdio: 'inherit' });
    if (update.status === 0 && install.status === 0 && missing.every(isAvailable)) return [];
  }
  return [
    `Missing ${missing.map((item) => item.command).join(', ')}. Install with: sudo apt-get install -y ${packages.join(' ')}`,
  ];
}
