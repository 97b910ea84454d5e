import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type RunbookSpec, SLUG_PATTERN } from '../../protocol/index.ts';
import { buildRunbookSpec } from './build-runbook-spec.ts';
import type { Diagnostic } from './diagnostics.ts';
import { extractBlocks } from './extract-runbook.ts';
import { readFrontmatter } from './frontmatter.ts';
import { lintDuplicateIds } from './lint/duplicate-ids.ts';
import { lintFanOut } from './lint/fan-out.ts';
import { lintNoShell } from './lint/no-shell.ts';
import { lintReferences } from './lint/references.ts';
import { lintScripts } from './lint/scripts.ts';
import { MdxSyntaxError, parseMdx } from './parse-mdx.ts';

export type CompileResult = { ok: true; runbook: RunbookSpec } | { ok: false; diagnostics: Diagnostic[] };

// Compiles one runbook source: parse, validate every block and rule, then build its manifest entry.
export async function compileRunbookSource(source: string, file: string): Promise<CompileResult> {
  const slug = path.basename(file).replace(/\.mdx$/, '');
  if (!SLUG_PATTERN.test(slug)) {
    return fail({
      code: 'invalid-frontmatter',
      file,
      line: 1,
      column: 1,
      message: `the file name "${path.basename(file)}" is not a valid runbook slug`,
      hint: 'name runbook files in lowercase words joined by "-", for example etcd-backup.mdx',
    });
  }
  let tree: ReturnType<typeof parseMdx>;
  try {
    tree = parseMdx(source);
  } catch (error) {
    if (!(error instanceof MdxSyntaxError)) throw error;
    return fail({
      code: 'mdx-syntax',
      file,
      ...error.position,
      message: `the file is not valid MDX: ${error.message}`,
      hint: 'check that every <Block> is closed and that a literal { or < in prose is escaped as \\{ or \\<',
    });
  }
  const frontmatter = readFrontmatter(tree, file);
  const extracted = extractBlocks(tree, file);
  const diagnostics = [...(frontmatter.ok ? [] : frontmatter.diagnostics), ...extracted.diagnostics];
  const blocks = { file, blocks: extracted.blocks, proseReferences: extracted.proseReferences };
  diagnostics.push(
    ...lintDuplicateIds(blocks),
    ...lintFanOut(blocks),
    ...lintNoShell(blocks),
    ...lintReferences(blocks),
    ...(await lintScripts(blocks)),
  );
  if (!frontmatter.ok || diagnostics.length > 0) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };
  return { ok: true, runbook: buildRunbookSpec({ ...blocks, slug, source, frontmatter: frontmatter.value }) };
}

export async function compileRunbookFile(absolutePath: string, displayPath: string): Promise<CompileResult> {
  return compileRunbookSource(await readFile(absolutePath, 'utf8'), displayPath);
}

function fail(diagnostic: Diagnostic): CompileResult {
  return { ok: false, diagnostics: [diagnostic] };
}

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}
