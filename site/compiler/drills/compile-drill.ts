import path from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import {
  DrillFileSchema,
  type DrillSpec,
  DrillSpecSchema,
  type Manifest,
  SLUG_PATTERN,
} from '../../../protocol/index.ts';
import { AUTHORING_DOCS, type Diagnostic } from '../diagnostics.ts';
import { describeIssues } from '../zod-issues.ts';
import { lintDrillRunbooks } from './drill-runbooks.ts';

export type DrillCompileResult = { ok: true; drill: DrillSpec } | { ok: false; diagnostics: Diagnostic[] };

const DRILL_KEYS = Object.keys(DrillFileSchema.shape);

// Validates one drill file against its schema and the runbooks it names, with file:line errors.
export function compileDrillSource(
  source: string,
  file: string,
  manifest: Pick<Manifest, 'runbooks'>,
): DrillCompileResult {
  const name = path.basename(file).replace(/\.ya?ml$/, '');
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  const at = (keyPath: readonly PropertyKey[]) => {
    const node = keyPath.length === 0 ? document.contents : document.getIn(keyPath as unknown[], true);
    const offset = isNode(node) ? node.range?.[0] : undefined;
    const position = lineCounter.linePos(offset ?? 0);
    return { line: position.line, column: position.col };
  };
  const report = (
    keyPath: readonly PropertyKey[],
    message: string,
    hint: string,
    code: Diagnostic['code'] = 'invalid-drill',
  ) => diagnostics.push({ code, file, ...at(keyPath), message, hint });

  if (!SLUG_PATTERN.test(name)) {
    report(
      [],
      `the file name "${path.basename(file)}" is not a valid drill name`,
      'name drill files in lowercase words joined by "-"',
    );
  }
  for (const error of document.errors) {
    const position = error.linePos?.[0];
    diagnostics.push({
      code: 'invalid-drill',
      file,
      line: position?.line ?? 1,
      column: position?.col ?? 1,
      message: `the file is not valid YAML: ${error.message.split('\n')[0]}`,
      hint: 'check the indentation and quote values that contain ": "',
    });
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const parsed = DrillFileSchema.safeParse(document.toJS(), { reportInput: true });
  if (!parsed.success) {
    for (const issue of describeIssues(parsed.error, 'the drill', DRILL_KEYS, 'key')) {
      report(trimToExisting(document, issue.path), issue.message, `${issue.hint}; see ${AUTHORING_DOCS}`);
    }
    return { ok: false, diagnostics };
  }
  for (const problem of lintDrillRunbooks(parsed.data, manifest)) report(problem.path, problem.message, problem.hint);
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, drill: DrillSpecSchema.parse({ ...parsed.data, name, sourcePath: file }) };
}

// The deepest part of an issue's path that the file has, so a missing key points at its parent.
function trimToExisting(document: ReturnType<typeof parseDocument>, keyPath: readonly PropertyKey[]): PropertyKey[] {
  const trimmed = [...keyPath];
  while (trimmed.length > 0 && !document.hasIn(trimmed as unknown[])) trimmed.pop();
  return trimmed;
}
