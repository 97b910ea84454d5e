import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type DrillAttempt, DrillAttemptSchema } from '../../protocol/index.ts';

// Where a drill's attempts live in the state folder: one folder per attempt, holding its record
// (attempt.json) and the files the trainee was given (a snapshot, a chart package).
export function drillsDir(stateDir: string): string {
  return path.join(stateDir, 'drills');
}

export function attemptDir(stateDir: string, attemptId: string): string {
  return path.join(drillsDir(stateDir), attemptId);
}

// A sortable, unique attempt id: the start time, then a few random characters.
export function newAttemptId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'z')
    .toLowerCase();
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

// Written whole and renamed into place, so a reader never sees half a record.
export async function saveAttempt(stateDir: string, attempt: DrillAttempt): Promise<void> {
  const folder = attemptDir(stateDir, attempt.id);
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, 'attempt.json');
  await writeFile(`${file}.tmp`, `${JSON.stringify(DrillAttemptSchema.parse(attempt), null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

// Every attempt recorded in the state folder, newest first; a damaged record is left out.
export async function listAttempts(stateDir: string): Promise<DrillAttempt[]> {
  const entries = await readdir(drillsDir(stateDir)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const attempts: DrillAttempt[] = [];
  for (const entry of entries) {
    const text = await readFile(path.join(drillsDir(stateDir), entry, 'attempt.json'), 'utf8').catch(() => null);
    const parsed = text === null ? null : DrillAttemptSchema.safeParse(safeJson(text));
    if (parsed?.success) attempts.push(parsed.data);
  }
  return attempts.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// One attempt by id, or null when there is none (or its record is damaged).
export async function readAttempt(stateDir: string, attemptId: string): Promise<DrillAttempt | null> {
  const text = await readFile(path.join(attemptDir(stateDir, attemptId), 'attempt.json'), 'utf8').catch(() => null);
  const parsed = text === null ? null : DrillAttemptSchema.safeParse(safeJson(text));
  return parsed?.success ? parsed.data : null;
}
