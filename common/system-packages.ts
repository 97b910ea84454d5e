import { spawnSync } from 'node:child_process';

export interface SystemPrerequisite {
  command: string;
  versionArgs: string[];
  debianPackage: string;
}

function isAvailable(prerequisite: SystemPrerequisite): boolean {
  return spawnSync(prerequisite.command, prerequisite.versionArgs, { stdio: 'ignore' }).status === 0;
}

// Installs what is missing with apt when running as root. Answers the one line that tells the
// operator what is still missing and the command that fixes it, or null when nothing is.
export function installMissingPackages(prerequisites: readonly SystemPrerequisite[]): string | null {
  const missing = prerequisites.filter((prerequisite) => !isAvailable(prerequisite));
  if (missing.length === 0) return null;
  const packages = [...new Set(missing.map((prerequisite) => prerequisite.debianPackage))];
  if (process.getuid?.() === 0) {
    const stdio = ['ignore', 'inherit', 'inherit'] as const;
    const update = spawnSync('apt-get', ['update'], { stdio: [...stdio] });
    const install = spawnSync('apt-get', ['install', '-y', ...packages], { stdio: [...stdio] });
    if (update.status === 0 && install.status === 0 && missing.every(isAvailable)) return null;
  }
  return `Missing ${missing.map((item) => item.command).join(', ')}. Install with: sudo apt-get install -y ${packages.join(' ')}`;
}
