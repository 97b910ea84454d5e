import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRemoteValues, remoteCommand } from '../../../../runner/execution/remote-program.ts';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
});

const HOSTILE = `it's "$(touch /tmp/drillbook-pwned)" \`id\`\n\n\\n é -x`;

interface Ran {
  output: string;
  exitCode: number | null;
}

// Runs the remote argv here, as a container would: bash through the launcher, or dash given the
// program directly (a container without bash). `whileRunning` gets stdin once the script printed.
function runRemote(
  shell: 'bash' | 'dash',
  script: string,
  variables: string[],
  values: Map<string, string>,
  whileRunning?: (stdin: NodeJS.WritableStream, output: () => string) => Promise<void>,
): Promise<Ran> {
  const argv = remoteCommand({ script, variables });
  const [file, ...args] = shell === 'bash' ? argv : ['dash', '-c', argv[4] as string, 'drillbook-step'];
  const child = spawn(file as string, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  if (child.pid) started.push(child.pid);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stdin.write(encodeRemoteValues(variables, values));
  const closed = new Promise<Ran>((resolve) => child.on('close', (exitCode) => resolve({ output, exitCode })));
  void (whileRunning ? whileRunning(child.stdin, () => output) : Promise.resolve()).then(() => {
    if (!whileRunning) child.stdin.end('\n', () => undefined);
  });
  return closed;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.each(['bash', 'dash'] as const)('the remote program under %s', (shell) => {
  it('gives the script each value as data, its exit code as the exit code', async () => {
    const ran = await runRemote(
      shell,
      'printf "[%s]" "$DRILLBOOK_VAR_a" "$DRILLBOOK_VAR_b"; read -r line || echo "stdin is empty"; exit 3',
      ['a', 'b'],
      new Map([
        ['a', HOSTILE],
        ['b', ''],
      ]),
      async (stdin, output) => {
        await expect.poll(output).toContain('stdin is empty');
        stdin.write('more\n');
      },
    );
    expect(ran.output).toBe(`[${HOSTILE}][]stdin is empty\n`);
    expect(ran.exitCode).toBe(3);
  }, 10_000);

  it('kills the script and what it started when its stdin ends', async () => {
    const ran = await runRemote(
      shell,
      'sleep 4243 & echo "child=$!"; sleep 4244',
      [],
      new Map(),
      async (stdin, output) => {
        await expect.poll(output).toMatch(/child=\d+/);
        stdin.end();
      },
    );
    const child = Number(/child=(\d+)/.exec(ran.output)?.[1]);
    expect(ran.exitCode).not.toBe(0);
    await expect.poll(() => alive(child), { timeout: 5000 }).toBe(false);
  }, 10_000);
});
