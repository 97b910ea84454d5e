import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileDigest } from '../../protocol/index.ts';

const MAX_FILES = 500;

// The files a run left behind (its working folder: snapshots, manifests; its logs), each with
// size and sha256, so a record can prove which file it speaks of. A missing folder has none.
export async function digestFolder(folder: string): Promise<FileDigest[]> {
  const names = await listFiles(folder, '');
  const digests: FileDigest[] = [];
  for (const name of names.sort().slice(0, MAX_FILES)) {
    const file = path.join(folder, name);
    const { size } = await stat(file);
    digests.push({ name, size, sha256: await sha256OfFile(file) });
  }
  return digests;
}

async function listFiles(folder: string, prefix: string): Promise<string[]> {
  const entries = await readdir(path.join(folder, prefix), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  const names: string[] = [];
  for (const entry of entries) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile()) names.push(name);
    else if (entry.isDirectory()) names.push(...(await listFiles(folder, name)));
  }
  return names;
}

function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
