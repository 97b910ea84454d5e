import { constants } from 'node:fs';
import { type FileHandle, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Response } from 'express';
import { SLUG_SOURCE } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';
import { escapeTerminalControls, incompleteTail } from '../export/terminal-safe.ts';

const LOG_NAME = new RegExp(`^${SLUG_SOURCE}\\.[1-9][0-9]*(\\.poll[1-9][0-9]*)?\\.log$`);
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

function notALog(name: string): RunnerError {
  return new RunnerError('NOT_FOUND', `"${name}" is not a log this run wrote`);
}

// Opens a step log the runner wrote, and nothing else: a log name, inside the run's own logs
// folder (no symlinked folder on the way), not a link, a regular file with one name.
export async function openRunLog(logDir: string, name: string): Promise<FileHandle> {
  if (!LOG_NAME.test(name)) throw notALog(name);
  const runsRoot = path.dirname(path.dirname(logDir));
  const expectedDir = path.join(await realpath(runsRoot), path.relative(runsRoot, logDir));
  const realDir = await realpath(logDir).catch(() => undefined);
  if (realDir !== expectedDir) throw notALog(name);
  const handle = await open(path.join(realDir, name), OPEN_FLAGS).catch(() => undefined);
  if (!handle) throw notALog(name);
  const stats = await handle.stat();
  if (!stats.isFile() || stats.nlink !== 1 || stats.uid !== process.getuid?.()) {
    await handle.close();
    throw notALog(name);
  }
  return handle;
}

// Sends a log as plain text with every terminal control but colours made visible.
export async function sendRunLog(handle: FileHandle, response: Response): Promise<void> {
  response.status(200).type('text/plain; charset=utf-8');
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of handle.createReadStream({ autoClose: false })) {
      const text = pending + decoder.write(chunk as Buffer);
      const keep = incompleteTail(text);
      pending = text.slice(text.length - keep);
      const ready = escapeTerminalControls(text.slice(0, text.length - keep));
      if (!response.write(ready)) await drainedOrClosed(response);
      if (response.destroyed) return;
    }
    response.end(escapeTerminalControls(pending + decoder.end()));
  } finally {
    await handle.close();
  }
}

function drainedOrClosed(response: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}
