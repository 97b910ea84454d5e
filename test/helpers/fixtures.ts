import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CompileResult, compileRunbookSource } from '../../site/compiler/compile-runbook.ts';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
export const ROOT = path.resolve(FIXTURES, '../..');

export async function readFixture(relative: string): Promise<string> {
  return readFile(path.join(FIXTURES, relative), 'utf8');
}

export async function compileFixture(relative: string): Promise<CompileResult> {
  return compileRunbookSource(await readFixture(relative), path.basename(relative));
}

export const FRONTMATTER = '---\ntitle: Test\nsummary: A test runbook.\nsystem: etcd\n---\n\n';

// Compiles a runbook written inline in a test, with a valid frontmatter in front.
export function compileInline(body: string, file = 'inline.mdx'): Promise<CompileResult> {
  return compileRunbookSource(FRONTMATTER + body, file);
}

export function stepBlock(script: string, props = 'id="s" title="S" risk="read"', extra = ''): string {
  return `<Step ${props}>\n\n\`\`\`bash\n${script}\n\`\`\`\n\n${extra}\n</Step>\n`;
}
