import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { encodeRemoteValues } from '../../../../runner/execution/remote-program.ts';
import { sshArgv } from '../../../../runner/execution/ssh-command.ts';

const rendered = { script: 'printf "[%s]" "$DRILLBOOK_VAR_v" "$DRILLBOOK_VAR_w"; echo end', variables: ['v', 'w'] };

describe('the ssh command of a node step', () => {
  it('never prompts, checks the host key, has no TTY and keeps the host from being an option', () => {
    const argv = sshArgv({ host: 'cp-1.example', user: 'ops' }, rendered);
    expect(argv.slice(0, -1)).toEqual([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-T',
      '-l',
      'ops',
      '--',
      'cp-1.example',
    ]);
    expect(sshArgv({ host: '-oProxyCommand=x' }, rendered).slice(6, 8)).toEqual(['--', '-oProxyCommand=x']);
  });

  it("gives the remote login shell the launcher and script, quoted, and the values only as stdin's data", async () => {
    const hostile = "a'\"$(id)\"\n`x` '\\'";
    const remote = sshArgv({ host: 'h' }, rendered).at(-1) as string;
    expect(remote).not.toContain('$(id)');
    // What sshd does with the command: the user's shell runs it with -c. Like ssh, stdin stays
    // open while the step runs (its end means Cancel), so it is closed only once the shell exited.
    const shell = spawn('sh', ['-c', remote]);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    shell.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    shell.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    shell.stdin.write(
      encodeRemoteValues(
        rendered.variables,
        new Map([
          ['v', hostile],
          ['w', ''],
        ]),
      ),
    );
    const [status] = (await once(shell, 'close')) as [number | null];
    shell.stdin.destroy();
    expect(Buffer.concat(stderr).toString()).toBe('');
    expect(Buffer.concat(stdout).toString()).toBe(`[${hostile}][]end\n`);
    expect(status).toBe(0);
  });
});
