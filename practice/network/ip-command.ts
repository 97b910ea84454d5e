import { writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { PracticeError } from '../errors.ts';

/** Where `ip netns` keeps a named namespace; nsenter --net= takes this path. */
export const NETNS_DIR = '/run/netns';

export function runIp(args: string[]): Promise<void> {
  return runCommand('ip', args);
}

// Several `ip` commands in one process: `options` (e.g. -n NAMESPACE) apply to each.
export function runIpBatch(options: string[], commands: string[]): Promise<void> {
  return runCommand('ip', [...options, '-batch', '-'], `${commands.join('\n')}\n`);
}

// Lets a link of the current network namespace carry and forward 127.0.0.0/8 addresses: the
// practice cluster's subnets are loopback addresses, set on our own links only.
export async function enableLocalnet(link: string): Promise<void> {
  for (const setting of ['route_localnet', 'forwarding']) {
    await writeFile(`/proc/sys/net/ipv4/conf/${link}/${setting}`, '1\n');
  }
}

export async function runCommand(file: string, args: string[], input?: string): Promise<void> {
  const result = await execa(file, args, { reject: false, ...(input === undefined ? { stdin: 'ignore' } : { input }) });
  if (result.exitCode !== 0) {
    throw new PracticeError(
      'COMMAND_FAILED',
      `${file} ${args.join(' ')} failed: ${result.stderr.trim() || `exit ${result.exitCode}`} (networks need root and iproute2)`,
    );
  }
}
