import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { isRunning, type PidRecord, readPidRecord } from '../../process/daemon.ts';
import { processGroupMembers, readProcessStat, signalProcessGroup } from '../../process/process-table.ts';
import type { SandboxCommand } from './sandbox.ts';

export interface ProcessExit {
  exitCode: number;
  /** The signal that ended it, if any (exit code 128+n, as a runtime reports it). */
  signal: NodeJS.Signals | null;
}

export interface ContainerProcess {
  pid: number;
  record: PidRecord;
  exited: Promise<ProcessExit>;
}

export interface StartProcessOptions {
  command: SandboxCommand;
  env: Record<string, string>;
  logFile: string;
  recordFile: string;
}

// Starts a container's process in its own process group (a session of its own), its output
// appended to its log file, and records its pid beside the kubelet's other containers.
export async function startContainerProcess(options: StartProcessOptions): Promise<ContainerProcess> {
  await mkdir(path.dirname(options.logFile), { recursive: true });
  await mkdir(path.dirname(options.recordFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command.file, options.command.args, {
      stdio: ['ignore', log, log],
      detached: true,
      env: options.env,
    });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<ProcessExit>((resolve) => {
    child.on('error', () => resolve({ exitCode: 128, signal: null }));
    child.on('exit', (code, signal) => {
      if (child.pid !== undefined) signalProcessGroup(child.pid, 'SIGKILL');
      resolve({ exitCode: code ?? 128 + signalNumber(signal), signal });
    });
  });
  const pid = child.pid ?? 0;
  const record = { pid, startTime: readProcessStat(pid)?.startTime ?? '', command: options.command.args.at(-1) ?? '' };
  if (pid > 0) await writeFile(options.recordFile, `${JSON.stringify(record)}\n`);
  return { pid, record, exited };
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return signal ? (numbers[signal] ?? 0) : 0;
}

// SIGTERM to the container's group, SIGKILL after the grace period, as a runtime stops a container.
export async function stopContainerProcess(container: ContainerProcess, graceMs: number): Promise<ProcessExit> {
  signalProcessGroup(container.pid, 'SIGTERM');
  const exit = await Promise.race([container.exited, delay(graceMs, null)]);
  if (exit) return exit;
  signalProcessGroup(container.pid, 'SIGKILL');
  return container.exited;
}

// Ends every container a previous kubelet left behind (after a crash) and forgets its record.
export async function sweepContainerRecords(containersDir: string): Promise<number[]> {
  const names = await readdir(containersDir).catch(() => [] as string[]);
  const killed: number[] = [];
  for (const name of names.filter((item) => item.endsWith('.pid'))) {
    const file = path.join(containersDir, name);
    const record = await readPidRecord(file);
    if (record && isRunning(record)) {
      signalProcessGroup(record.pid, 'SIGKILL');
      killed.push(record.pid);
    }
    await rm(file, { force: true });
  }
  const deadline = Date.now() + 2000;
  while (killed.some((pid) => processGroupMembers(pid).length > 0) && Date.now() < deadline) await delay(20);
  return killed;
}
