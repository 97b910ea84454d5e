import type { Root, Yaml } from 'mdast';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { type RunbookFrontmatter, RunbookFrontmatterSchema } from '../../protocol/index.ts';
import type { Diagnostic } from './diagnostics.ts';
import { describeIssues } from './zod-issues.ts';

const FRONTMATTER_KEYS = Object.keys(RunbookFrontmatterSchema.shape);

export type FrontmatterResult = { ok: true; value: RunbookFrontmatter } | { ok: false; diagnostics: Diagnostic[] };

// Validates a runbook's frontmatter, pointing each problem at its own YAML line.
export function readFrontmatter(tree: Root, file: string): FrontmatterResult {
  const node = tree.children[0]?.type === 'yaml' ? (tree.children[0] as Yaml) : undefined;
  if (!node) {
    return fail([
      {
        code: 'invalid-frontmatter',
        file,
        line: 1,
        column: 1,
        message: 'the runbook has no frontmatter',
        hint: 'start the file with ---, then title:, summary: and system:, then ---',
      },
    ]);
  }
  const firstLine = (node.position?.start.line ?? 1) + 1;
  const lineCounter = new LineCounter();
  const document = parseDocument(node.value, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    return fail(
      document.errors.map((error) => ({
        code: 'invalid-frontmatter' as const,
        file,
        line: firstLine + (error.linePos?.[0].line ?? 1) - 1,
        column: error.linePos?.[0].col ?? 1,
        message: `the frontmatter is not valid YAML: ${error.message.split('\n')[0]}`,
        hint: 'check the indentation and quote values that contain ":" or "#"',
      })),
    );
  }
  const parsed = RunbookFrontmatterSchema.safeParse(document.toJS() ?? {}, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return fail(
    describeIssues(parsed.error, 'the frontmatter', FRONTMATTER_KEYS, 'key').map((issue) => {
      const target = findNode(document, issue.path);
      const offset = target?.range?.[0];
      const position = offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset);
      return {
        code: 'invalid-frontmatter' as const,
        file,
        line: firstLine + position.line - 1,
        column: position.col,
        message: issue.message.replace(/^the frontmatter needs /, 'the frontmatter needs the key '),
        hint: issue.hint.replace(/ to the frontmatter$/, '').replace(/="…"$/, ': …'),
      };
    }),
  );
}

function findNode(document: ReturnType<typeof parseDocument>, path: PropertyKey[]) {
  for (let length = path.length; length > 0; length--) {
    const found = document.getIn(path.slice(0, length) as (string | number)[], true);
    if (isNode(found)) return found;
    const pair = length === path.length ? findKey(document, path.slice(0, length)) : undefined;
    if (pair) return pair;
  }
  return undefined;
}

function findKey(document: ReturnType<typeof parseDocument>, path: PropertyKey[]) {
  const parent = path.length > 1 ? document.getIn(path.slice(0, -1) as (string | number)[], true) : document.contents;
  if (!parent || !('items' in (parent as object))) return undefined;
  const items = (parent as { items: { key?: unknown }[] }).items;
  const key = String(path[path.length - 1]);
  const pair = items.find((item) => isNode(item.key) && String((item.key as { value?: unknown }).value) === key);
  return pair && isNode(pair.key) ? pair.key : undefined;
}

function fail(diagnostics: Diagnostic[]): FrontmatterResult {
  return { ok: false, diagnostics };
}
