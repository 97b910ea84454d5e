import { installMissingPackages } from '../common/system-packages.ts';
import { PRACTICE_PREREQUISITES } from '../practice/prerequisites.ts';

// What the suites need from the system, beyond npm packages: bash, Chromium for the browser tests,
// OpenSSH for node steps over SSH, and what the practice cluster needs.
const PREREQUISITES = [
  { command: 'bash', versionArgs: ['--version'], debianPackage: 'bash' },
  { command: '/usr/bin/chromium', versionArgs: ['--version'], debianPackage: 'chromium' },
  // A real sshd on loopback for node steps over SSH (test/helpers/ssh-server.ts).
  { command: 'test', versionArgs: ['-x', '/usr/sbin/sshd'], debianPackage: 'openssh-server' },
  { command: 'ssh', versionArgs: ['-V'], debianPackage: 'openssh-client' },
  ...PRACTICE_PREREQUISITES,
];

// Installs what is missing with apt when running as root; otherwise names the one command to run.
export function checkPrerequisites(): string[] {
  const problem = installMissingPackages(PREREQUISITES);
  return problem ? [problem] : [];
}
