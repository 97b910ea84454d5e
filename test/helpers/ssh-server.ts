import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { tempDir } from './run-script.ts';

export interface SshServer {
  /** The Host alias the client's ~/.ssh/config maps to the server (key, port, user root). */
  alias: string;
  /** An alias for the same server whose host key the client does not know. */
  unknownAlias: string;
  /** HOME for the client: ~/.ssh holds its key, config and known_hosts. */
  home: string;
  /** Put first on PATH: `ssh` there is the real client reading that config (OpenSSH finds ~ through
   * the password database, not $HOME, so the config is given with -F). */
  binDir: string;
  stop(): Promise<void>;
}

// A real OpenSSH server on loopback, as root, for node steps over SSH: its own host key,
// the client's key authorized, nothing of the machine's ssh configuration used.
export async function startSshServer(): Promise<SshServer> {
  const dir = await tempDir('drillbook-sshd-');
  const home = await tempDir('drillbook-ssh-home-');
  const sshDir = path.join(home, '.ssh');
  await mkdir(sshDir, { mode: 0o700 });
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = path.join(dir, 'host_key');
  const clientKey = path.join(sshDir, 'id_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  const port = await freePort();
  const { readFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, 'authorized_keys'), await readFile(`${clientKey}.pub`));
  const config = path.join(dir, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const hostPub = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  await writeFile(path.join(sshDir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`, { mode: 0o600 });
  const alias = 'drillbook-ssh-test';
  const unknownAlias = 'drillbook-ssh-unknown';
  const hostBlock = (name: string, knownHosts: string) =>
    [
      `Host ${name}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User root',
      `  IdentityFile ${clientKey}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
    ].join('\n');
  await writeFile(
    path.join(sshDir, 'config'),
    `${hostBlock(alias, path.join(sshDir, 'known_hosts'))}\n${hostBlock(unknownAlias, '/dev/null')}\n`,
    { mode: 0o600 },
  );
  const binDir = path.join(home, 'bin');
  await mkdir(binDir);
  const sshPath = (await execa('sh', ['-c', 'command -v ssh'])).stdout.trim();
  await writeFile(path.join(binDir, 'ssh'), `#!/bin/sh\nexec ${sshPath} -F ${path.join(sshDir, 'config')} "$@"\n`, {
    mode: 0o755,
  });
  const daemon = execa('/usr/sbin/sshd', ['-D', '-e', '-f', config], { reject: false });
  const ready = Date.now() + 15_000;
  for (;;) {
    const probe = await execa(path.join(binDir, 'ssh'), ['-o', 'BatchMode=yes', alias, 'true'], { reject: false });
    if (probe.exitCode === 0) break;
    if (Date.now() > ready) {
      daemon.kill('SIGTERM');
      throw new Error(`sshd did not accept the test key: ${probe.stderr}\n${(await daemon).stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    alias,
    unknownAlias,
    home,
    binDir,
    stop: async () => {
      daemon.kill('SIGTERM');
      await daemon;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
