import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/fixtures.ts';

// Every module specifier a file imports, statically or with import().
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map(
    (match) => match[1] as string,
  );
}

async function sourceFiles(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|astro|mjs)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('the layers', () => {
  it.each([
    ['runner', 'site'],
    ['site', 'runner'],
    ['protocol', 'runner'],
    ['protocol', 'site'],
  ])('nothing in %s/ imports %s/', async (from, forbidden) => {
    const crossings: string[] = [];
    for (const file of await sourceFiles(from)) {
      for (const specifier of await importsOf(file)) {
        if (!specifier.startsWith('.')) continue;
        const target = path.relative(ROOT, path.resolve(path.dirname(file), specifier));
        if (target.split(path.sep)[0] === forbidden) crossings.push(`${path.relative(ROOT, file)} → ${target}`);
      }
    }
    expect(crossings).toEqual([]);
  });
});
