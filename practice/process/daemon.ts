import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { z } from 'zod';
import { PracticeError } from '../errors.ts';
import type { DaemonFiles } from '../layout.ts';
import { processGroupMembers, readProcessStat, signalProcessGroup } from './process-table.ts';

const PidRecordSchema = z.object({ pid: z.number().int().positive(), startTime: z.string(), command: z.string() });
export type PidRecord = z.infer<typeof PidRecordSchema>;

export interface DaemonSpec {
  file: string;
  args: string[];
  files: DaemonFiles;
  /** Added to our environment. */
  env?: Record<string, string>;
  cwd?: string;
}

// Starts a long-lived process in its own process group, detached from ours, output appended to
// its log, and records its pid (with its start time, so a reused pid is never mistaken for it).
export async function startDaemon(spec: DaemonSpec): Promise<PidRecord> {
  await mkdir(path.dirname(spec.files.pidFile), { recursive: true });
  // execa's types spell out file descriptors 0-9 only; any open descriptor is passed to the child.
  const log = openSync(spec.files.logFile, 'a') as 3;
  try {
    const subprocess = execa(spec.file, spec.args, {
      stdin: 'ignore',
      stdout: log,
      stderr: log,
      detached: true,
      cleanup: false,
      reject: false,
      cwd: spec.cwd ?? process.cwd(),
      env: spec.env ?? {},
    });
    const pid = subprocess.pid;
    if (pid === undefined) {
      const result = await subprocess;
      throw new PracticeError(
        'COMMAND_FAILED',
        `could not start ${spec.file}: ${result.shortMessage ?? result.exitCode}`,
        { cause: result },
      );
    }
    subprocess.nodeChildProcess.unref();
    const record = { pid, startTime: readProcessStat(pid)?.startTime ?? '', command: spec.file };
    await writeFile(spec.files.pidFile, `${JSON.stringify(record)}\n`);
    return record;
  } finally {
    closeSync(log);
  }
}

// The recorded process when it is still the one we started and still running; null otherwise.
export async function readRunningDaemon(pidFile: string): Promise<PidRecord | null> {
  const record = await readPidRecord(pidFile);
  return record && isRunning(record) ? record : null;
}

export async function readPidRecord(pidFile: string): Promise<PidRecord | null> {
  try {
    const parsed = PidRecordSchema.safeParse(JSON.parse(await readFile(pidFile, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function isRunning(record: PidRecord): boolean {
  const stat = readProcessStat(record.pid);
  return stat !== null && stat.state !== 'Z' && stat.startTime === record.startTime;
}

// SIGTERM to the daemon's group, SIGKILL to whatever is left after the grace period; then the
// pid file goes. Never by name: only the group we recorded.
export async function stopDaemon(pidFile: string, graceMs: number): Promise<void> {
  const record = await readPidRecord(pidFile);
  if (record && isRunning(record)) {
    signalProcessGroup(record.pid, 'SIGTERM');
    if (!(await waitForGroupExit(record.pid, graceMs))) {
      signalProcessGroup(record.pid, 'SIGKILL');
      if (!(await waitForGroupExit(record.pid, 2000))) {
        throw new PracticeError('STOP_FAILED', `process group ${record.pid} survived SIGKILL (${record.command})`);
      }
    }
  }
  await rm(pidFile, { force: true });
}

async function waitForGroupExit(processGroup: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processGroupMembers(processGroup).length > 0) {
    if (Date.now() >= deadline) return false;
    await delay(20);
  }
  return true;
}
