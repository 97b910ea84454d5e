import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

// Opens the page through a private redirect file, so the token never appears in a command line
// (where other users could read it from the process list).
export async function openBrowser(stateDir: string, url: string, log: (message: string) => void): Promise<void> {
  const file = path.join(stateDir, 'open.html');
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  await writeFile(
    file,
    `<!doctype html><meta http-equiv="refresh" content="0;url=${escaped}"><title>Drillbook</title>\n`,
    { mode: 0o600 },
  );
  const opener = spawn('xdg-open', [file], { stdio: 'ignore', detached: true });
  opener.on('error', () => log('could not open a browser (no xdg-open); open the address above'));
  opener.unref();
}
