import { jsonpath } from 'json-p3';
import { type CaptureSpec, compilePattern } from '../../protocol/index.ts';
import { parseTable } from './parse-table.ts';
import { applyTransforms, TransformError } from './transforms.ts';

export interface StepOutput {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

export type CaptureOutcome =
  | { kind: 'value'; value: string }
  | { kind: 'candidates'; candidates: string[] }
  | { kind: 'failed'; message: string };

const EXCERPT_LENGTH = 400;

// Applies one capture to a finished step's output: extract every candidate, transform, validate,
// then keep one by the capture's rule (or hand the candidates to the operator). `resolve` fills
// {{name}} references (as written) in the capture's patterns and its where="COLUMN=value".
export function extractCapture(
  capture: CaptureSpec,
  output: StepOutput,
  resolve: (text: string) => string,
): CaptureOutcome {
  const source = capture.source === 'exitCode' ? String(output.exitCode ?? '') : output[capture.source];
  let candidates: string[];
  let pattern: RegExp | undefined;
  try {
    pattern =
      capture.validate.pattern === undefined ? undefined : compilePattern(capture.validate.pattern, { fill: resolve });
    candidates = extractCandidates(capture, source, resolve).map((raw) => applyTransforms(raw, capture.transforms));
  } catch (error) {
    const reason =
      error instanceof TransformError ? error.message : `could not read the output: ${(error as Error).message}`;
    return fail(capture, source, reason);
  }
  const valid = candidates.filter(
    (value) => (capture.validate.allowEmpty || value !== '') && (!pattern || pattern.test(value)),
  );
  if (valid.length === 0) {
    const expected = pattern
      ? ` matching /${capture.validate.pattern}/`
      : capture.validate.allowEmpty
        ? ''
        : ' that is not empty';
    return fail(capture, source, `${describeExtract(capture)} found no value${expected}`);
  }
  const unique = [...new Set(valid)];
  if (unique.length === 1) return { kind: 'value', value: unique[0] as string };
  switch (capture.pick) {
    case 'first':
      return { kind: 'value', value: valid[0] as string };
    case 'last':
      return { kind: 'value', value: valid.at(-1) as string };
    case 'latest':
      return { kind: 'value', value: [...unique].sort(naturalCompare).at(-1) as string };
    case 'only':
      return fail(
        capture,
        source,
        `${describeExtract(capture)} found ${unique.length} values where exactly one was expected`,
      );
    case 'operator':
      return { kind: 'candidates', candidates: unique };
  }
}

function extractCandidates(capture: CaptureSpec, source: string, resolve: (text: string) => string): string[] {
  const { extract } = capture;
  switch (extract.kind) {
    case 'whole':
      return [source.trim()];
    case 'regex': {
      // Output is read line by line, as grep reads it: ^ and $ match at every line.
      const pattern = compilePattern(extract.pattern, { flags: `${extract.flags}m`, global: true, fill: resolve });
      return [...source.matchAll(pattern)].flatMap((match) => {
        const value = typeof extract.group === 'number' ? match[extract.group] : match.groups?.[extract.group];
        return value === undefined ? [] : [value];
      });
    }
    case 'jsonpath': {
      const document = JSON.parse(source) as unknown;
      return jsonpath
        .query(extract.path, document as never)
        .values()
        .map(stringifyJsonValue);
    }
    case 'table-column': {
      const table = parseTable(source);
      if (!table.headers.includes(extract.column)) {
        throw new Error(`the table has no column ${extract.column} (columns: ${table.headers.join(', ') || 'none'})`);
      }
      return table.rows
        .filter((row) => !extract.where || row[extract.where.column] === resolve(extract.where.equals))
        .map((row) => row[extract.column] ?? '');
    }
  }
}

export function stringifyJsonValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function describeExtract(capture: CaptureSpec): string {
  const { extract } = capture;
  switch (extract.kind) {
    case 'whole':
      return `the whole ${capture.source}`;
    case 'regex':
      return `/${extract.pattern}/ on ${capture.source}`;
    case 'jsonpath':
      return `${extract.path} on ${capture.source}`;
    case 'table-column':
      return `column ${extract.column}${extract.where ? ` where ${extract.where.column}=${extract.where.equals}` : ''} on ${capture.source}`;
  }
}

// The message shows what came, except for a secret capture, whose output may hold the secret
// in a form the masker does not know yet.
function fail(capture: CaptureSpec, source: string, reason: string): CaptureOutcome {
  if (capture.secret) {
    return {
      kind: 'failed',
      message: `capture {{${capture.name}}}: ${reason}. (Output not shown: the capture is secret.)`,
    };
  }
  const excerpt = source.length > EXCERPT_LENGTH ? `${source.slice(0, EXCERPT_LENGTH)}…` : source;
  return {
    kind: 'failed',
    message: `capture {{${capture.name}}}: ${reason}. The ${capture.source} began: ${JSON.stringify(excerpt)}`,
  };
}

const collator = new Intl.Collator('en', { numeric: true });
function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}
