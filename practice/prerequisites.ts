import { installMissingPackages, type SystemPrerequisite } from '../common/system-packages.ts';
import { PracticeError } from './errors.ts';

// What the practice cluster needs from the system, beyond npm packages.
export const PRACTICE_PREREQUISITES: readonly SystemPrerequisite[] = [
  { command: '/usr/bin/etcd', versionArgs: ['--version'], debianPackage: 'etcd-server' },
  { command: '/usr/bin/etcdctl', versionArgs: ['version'], debianPackage: 'etcd-client' },
  { command: 'openssl', versionArgs: ['version'], debianPackage: 'openssl' },
  { command: 'ip', versionArgs: ['-V'], debianPackage: 'iproute2' },
  { command: 'unzip', versionArgs: ['-v'], debianPackage: 'unzip' },
];

// Installs what is missing when running as root; otherwise fails with the one command that fixes it.
export function ensurePrerequisites(): void {
  const problem = installMissingPackages(PRACTICE_PREREQUISITES);
  if (problem) throw new PracticeError('MISSING_PREREQUISITE', problem);
}
