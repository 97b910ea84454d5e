import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sshArgv, sshInput } from '../../../../runner/execution/ssh-command.ts';

describe('the ssh command of a node step', () => {
  it('never prompts, checks the host key, has no TTY and keeps the host from being an option', () => {
    expect(sshArgv({ host: 'cp-1.example', user: 'ops' })).toEqual([
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
      'bash --noprofile --norc -s',
    ]);
    expect(sshArgv({ host: '-oProxyCommand=x' })).toEqual([
      'ssh',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-T',
      '--',
      '-oProxyCommand=x',
      'bash --noprofile --norc -s',
    ]);
  });

  it('gives bash -s the values as data before the script, which cannot read the rest of its stdin', () => {
    const hostile = 'a\'"$(id)"\n`x`';
    const input = sshInput(
      { script: 'printf "[%s]" "$DRILLBOOK_VAR_v" "$DRILLBOOK_VAR_w"; cat; echo end', variables: ['v', 'w'] },
      new Map([
        ['v', hostile],
        ['w', ''],
      ]),
    );
    const ran = spawnSync('bash', ['--noprofile', '--norc', '-s'], { input });
    expect(ran.stdout.toString()).toBe(`[${hostile}][]end\n`);
    expect(ran.status).toBe(0);
  });
});
