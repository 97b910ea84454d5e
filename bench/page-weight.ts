import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 30;

// The JavaScript a page loads (its module scripts and everything they import), gzipped.
function pageScriptBytes(distDir: string, html: string): number {
  const seen = new Set<string>();
  const queue = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1] as string);
  let total = 0;
  while (queue.length > 0) {
    const url = queue.shift() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    const source = readFileSync(path.join(distDir, url));
    total += gzipSync(source).length;
    for (const match of source.toString().matchAll(/(?:import|from)\s*["']\.\/([^"']+\.js)["']/g)) {
      queue.push(path.posix.join(path.posix.dirname(url), match[1] as string));
    }
  }
  return total;
}

export function benchPageWeight(distDir: string): string {
  const runbooksDir = path.join(distDir, 'runbooks');
  if (!existsSync(runbooksDir)) return 'page weight: no build found; run npm run build first';
  const pages = readdirSync(runbooksDir).map((slug) => ({
    slug,
    bytes: pageScriptBytes(distDir, readFileSync(path.join(runbooksDir, slug, 'index.html'), 'utf8')),
  }));
  const heaviest = pages.reduce((max, page) => (page.bytes > max.bytes ? page : max));
  const kb = heaviest.bytes / 1024;
  return `page weight: ${kb.toFixed(1)} KB of gzipped JavaScript on the heaviest runbook page (${heaviest.slug}) (target ≤ ${BUDGET_KB} KB) ${kb <= BUDGET_KB ? 'ok' : 'MISSED'}`;
}
