import { jsonpath } from 'json-p3';
import { type CheckSpec, type JsonPathComparison, replaceVariableReferences } from '../../protocol/index.ts';
import { escapeRegExp } from '../../protocol/regexp.ts';
import { type StepOutput, stringifyJsonValue } from '../capture/extract-capture.ts';

export interface CheckResult {
  label: string;
  passed: boolean;
  detail: string;
}

// Evaluates one check against a finished step. `resolve` fills {{name}} references in expected values.
export function evaluateCheck(check: CheckSpec, output: StepOutput, resolve: (text: string) => string): CheckResult {
  const { assert } = check;
  const result = (passed: boolean, detail: string): CheckResult => ({ label: check.label, passed, detail });
  switch (assert.kind) {
    case 'exit-code':
      return result(output.exitCode === assert.equals, `exit code ${output.exitCode ?? 'none'}`);
    case 'regex': {
      const found = new RegExp(resolveLiteral(assert.pattern, resolve), assert.flags).test(output[assert.stream]);
      return result(found === assert.present, found ? `${assert.stream} matches` : `${assert.stream} does not match`);
    }
    case 'jsonpath': {
      let values: unknown[];
      try {
        values = jsonpath.query(assert.path, JSON.parse(output[assert.stream]) as never).values();
      } catch (error) {
        return result(false, `${assert.stream} is not JSON: ${(error as Error).message}`);
      }
      const passed = compare(values, assert.comparison, assert.quantifier, resolve);
      const shown = values.slice(0, 5).map(stringifyJsonValue).join(', ');
      return result(passed, `${assert.path} → [${shown}${values.length > 5 ? ', …' : ''}] (${values.length})`);
    }
  }
}

function compare(
  values: unknown[],
  comparison: JsonPathComparison,
  quantifier: 'all' | 'any',
  resolve: (text: string) => string,
): boolean {
  if (comparison.op === 'count') return values.length === comparison.value;
  if (comparison.op === 'exists') return values.length > 0;
  if (values.length === 0) return false;
  const test = (value: unknown): boolean => {
    switch (comparison.op) {
      case 'equals':
        return looselyEqual(value, comparison.value, resolve);
      case 'not-equals':
        return !looselyEqual(value, comparison.value, resolve);
      case 'matches':
        return new RegExp(resolveLiteral(comparison.value, resolve), 'u').test(stringifyJsonValue(value));
      case 'at-least':
        return Number(value) >= comparison.value;
      case 'at-most':
        return Number(value) <= comparison.value;
    }
  };
  return quantifier === 'all' ? values.every(test) : values.some(test);
}

function looselyEqual(
  actual: unknown,
  expected: string | number | boolean,
  resolve: (text: string) => string,
): boolean {
  if (typeof expected === 'string') return stringifyJsonValue(actual) === resolve(expected);
  return actual === expected || stringifyJsonValue(actual) === String(expected);
}

// Fills {{name}} in a regular expression with the value escaped, so the value matches literally.
function resolveLiteral(pattern: string, resolve: (text: string) => string): string {
  return replaceVariableReferences(pattern, (_name, written) => escapeRegExp(resolve(written)));
}
