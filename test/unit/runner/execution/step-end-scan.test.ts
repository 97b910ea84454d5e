import { describe, expect, it } from 'vitest';
import { findProcessesByMarker } from '../../../../runner/execution/process-group.ts';
import { readProcess } from '../../../../runner/execution/process-table.ts';
import { runTemplate } from '../../../helpers/run-script.ts';

// Once both output pipes reached their end, the runner looks for what is left by the marker
// alone (in processes born since the step's bash): a process that left the session and the
// group and let go of the pipes must still be found.
describe('the scan at the end of a step', () => {
  it('ends a process that left the session and closed the pipes, by its marker', async () => {
    const marker = `end-scan-${Date.now()}`;
    const run = await runTemplate(
      `setsid bash -c 'exec >/dev/null 2>&1; sleep 600' &\necho "pid: $!"\nsleep 0.1`,
      {},
      { marker, graceMs: 300 },
    );
    const pid = Number(/pid: (\d+)/.exec(run.stdout.toString())?.[1]);
    expect(run.exitCode).toBe(0);
    expect(run.pipesAbandoned).toBe(false);
    const entry = readProcess(pid);
    expect(entry === null || entry.zombie).toBe(true);
    expect(await findProcessesByMarker(marker)).toEqual([]);
  });
});
