import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { findProcessesByMarker } from '../../../../runner/execution/process-group.ts';
import { readProcess } from '../../../../runner/execution/process-table.ts';
import { runProcess } from '../../../../runner/execution/run-process.ts';
import { runTemplate, type ScriptRun, tempDir } from '../../../helpers/run-script.ts';

const TIMEOUT_MS = 800;
const GRACE_MS = 300;

// Ways a step's child leaves its process group while keeping stdout open. Each prints the pids
// to check, one per line, after "pids:".
const ESCAPES: Record<string, string> = {
  'setsid in the background': 'setsid sleep 600 &\necho "pids: $!"',
  'setsid in the foreground': `setsid bash -c 'echo "pids: $$"; exec sleep 600'`,
  'setsid in the foreground writing to /dev/stdout': `setsid bash -c 'echo "pids: $$"; exec sleep 600' > /dev/stdout`,
  'nohup setsid': 'nohup setsid sleep 600 &\necho "pids: $!"',
  'a subshell running setsid': '( setsid sleep 600 & echo "pids: $!" )',
  'a double fork and setsid': '( ( setsid sleep 600 & echo "pids: $!" ) & )',
  'setsid --fork': 'setsid --fork bash -c \'echo "pids: $$"; exec sleep 600\'',
  'a new session that ignores SIGTERM': `setsid bash -c "trap '' TERM; echo \\"pids: \\$\\$\\"; sleep 600; true" &`,
  'a new session with its environment scrubbed': 'setsid env -i sleep 600 &\necho "pids: $!"',
  'a scrubbed process whose parent left early': '( setsid env -i sleep 600 & echo "pids: $!" ) &',
  'a scrubbed process that closed the pipes after its parent left': `( setsid env -i bash -c 'exec >/dev/null 2>&1; sleep 600' & echo "pids: $!"; sleep 0.5 ) &`,
};

const BACKGROUND_ESCAPES = Object.entries(ESCAPES)
  .filter(([name]) => !name.includes('foreground'))
  .map(([, leaving]) => leaving);

function pidsOf(run: ScriptRun): number[] {
  return [...run.stdout.toString().matchAll(/pids: (\d+)/g)].map((match) => Number(match[1]));
}

function isAlive(pid: number): boolean {
  const entry = readProcess(pid);
  return entry !== null && !entry.zombie;
}

async function expectNoneLeft(run: ScriptRun, marker: string, expectedPids: number): Promise<void> {
  const pids = pidsOf(run);
  expect(pids).toHaveLength(expectedPids);
  expect(pids.filter(isAlive)).toEqual([]);
  expect(await findProcessesByMarker(marker)).toEqual([]);
}

describe('a step whose processes leave its group', () => {
  for (const [name, leaving] of Object.entries(ESCAPES)) {
    it(`times out on time and ends ${name}`, async () => {
      const marker = `escape-timeout-${Date.now()}-${Math.random()}`;
      const run = await runTemplate(`${leaving}\nsleep 600`, {}, { marker, timeoutMs: TIMEOUT_MS, graceMs: GRACE_MS });
      expect(run.timedOut).toBe(true);
      expect(run.exitCode).toBeNull();
      expect(run.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS);
      expect(run.durationMs).toBeLessThan(TIMEOUT_MS + GRACE_MS + 1500);
      await expectNoneLeft(run, marker, 1);
    });
  }

  it('is canceled on time and ends everything it started', async () => {
    const controller = new AbortController();
    const marker = `escape-cancel-${Date.now()}`;
    const script = BACKGROUND_ESCAPES.join('\n');
    const run = await runTemplate(
      `${script}\nsleep 600`,
      {},
      {
        marker,
        signal: controller.signal,
        graceMs: GRACE_MS,
        onSpawn: () => setTimeout(() => controller.abort(), 800),
      },
    );
    expect(run.canceled).toBe(true);
    expect(run.durationMs).toBeLessThan(800 + GRACE_MS + 1500);
    await expectNoneLeft(run, marker, BACKGROUND_ESCAPES.length);
  });

  it('ends when bash exits, though a process it left holds stdout', async () => {
    const marker = `escape-exit-${Date.now()}`;
    const script = BACKGROUND_ESCAPES.join('\n');
    const run = await runTemplate(`${script}\necho done`, {}, { marker, graceMs: GRACE_MS });
    expect(run.exitCode).toBe(0);
    expect(run.timedOut).toBe(false);
    expect(run.stdout.toString()).toContain('done\n');
    expect(run.durationMs).toBeLessThan(GRACE_MS + 2000);
    await expectNoneLeft(run, marker, BACKGROUND_ESCAPES.length);
  });

  it('gives bash real pipes, which /dev/stdout and /dev/stderr can name', async () => {
    const run = await runTemplate('echo out > /dev/stdout\necho err > /dev/stderr\necho both | tee /dev/stderr');
    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString()).toBe('out\nboth\n');
    expect(run.stderr.toString()).toBe('err\nboth\n');
  });

  it('keeps what a background process writes just after bash exits', async () => {
    const run = await runTemplate("setsid bash -c 'sleep 0.1; echo late' &\necho early", {}, { graceMs: GRACE_MS });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString()).toBe('early\nlate\n');
    expect(run.pipesAbandoned).toBe(false);
  });

  it('delivers all the output a slow consumer has not read yet when bash exits', async () => {
    const chunks: Buffer[] = [];
    const run = await runProcess({
      program: "head -c 150000 /dev/zero | tr '\\0' x",
      valuesPayload: new Uint8Array(),
      cwd: await tempDir(),
      env: { PATH: process.env.PATH },
      timeoutMs: 30_000,
      idleTimeoutMs: null,
      graceMs: GRACE_MS,
      onOutput: async (_stream, chunk) => {
        chunks.push(chunk);
        await new Promise((resolve) => setTimeout(resolve, 700));
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.pipesAbandoned).toBe(false);
    expect(Buffer.concat(chunks).toString()).toBe('x'.repeat(150_000));
  });

  it('stops reading the pipes when a process out of its reach holds them', async () => {
    // A process the runner may not signal (another user's, say) is simulated by refusing signals to it.
    const unreachable = 'sleep 7.25';
    const kill = process.kill.bind(process);
    const spy = vi.spyOn(process, 'kill').mockImplementation((pid, signal) => {
      if (readCommandLine(pid) === unreachable) throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      return kill(pid, signal);
    });
    let run: ScriptRun | undefined;
    try {
      run = await runTemplate(`setsid ${unreachable} &\necho "pids: $!"\necho finished`, {}, { graceMs: GRACE_MS });
    } finally {
      spy.mockRestore();
      for (const pid of run ? pidsOf(run) : []) kill(pid, 'SIGKILL');
    }
    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString()).toContain('finished\n');
    expect(run.pipesAbandoned).toBe(true);
    expect(run.durationMs).toBeLessThan(GRACE_MS + 4000);
  });
});

function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}
