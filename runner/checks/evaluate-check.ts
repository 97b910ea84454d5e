import { jsonpath } from 'json-p3';
import {
  type CheckResult,
  type CheckSpec,
  compilePattern,
  type JsonPathComparison,
  type JsonPathQuantifier,
} from '../../protocol/index.ts';
import { type StepOutput, stringifyJsonValue } from '../capture/extract-capture.ts';

export type { CheckResult };

// Evaluates one check against a finished step. `resolve` fills {{name}} references in expected values.
export function evaluateCheck(check: CheckSpec, output: StepOutput, resolve: (text: string) => string): CheckResult {
  const { assert } = check;
  const result = (passed: boolean, detail: string): CheckResult => ({ label: check.label, passed, detail });
  switch (assert.kind) {
    case 'exit-code':
      return result(output.exitCode === assert.equals, `exit code ${output.exitCode ?? 'none'}`);
    case 'regex': {
      let pattern: RegExp;
      try {
        pattern = compilePattern(assert.pattern, { flags: `${assert.flags}m`, fill: resolve });
      } catch (error) {
        return result(
          false,
          `the regular expression /${assert.pattern}/ does not compile: ${(error as Error).message}`,
        );
      }
      const found = pattern.test(output[assert.stream]);
      return result(found === assert.present, found ? `${assert.stream} matches` : `${assert.stream} does not match`);
    }
    case 'jsonpath': {
      let values: unknown[];
      try {
        values = jsonpath.query(assert.path, JSON.parse(output[assert.stream]) as never).values();
      } catch (error) {
        return result(false, `${assert.stream} is not JSON: ${(error as Error).message}`);
      }
      let passed: boolean;
      try {
        passed = compare(values, assert.comparison, assert.quantifier, resolve);
      } catch (error) {
        return result(false, (error as Error).message);
      }
      const shown = values.slice(0, 5).map(stringifyJsonValue).join(', ');
      return result(passed, `${assert.path} → [${shown}${values.length > 5 ? ', …' : ''}] (${values.length})`);
    }
  }
}

function compare(
  values: unknown[],
  comparison: JsonPathComparison,
  quantifier: JsonPathQuantifier,
  resolve: (text: string) => string,
): boolean {
  if (comparison.op === 'count') return values.length === comparison.value;
  if (comparison.op === 'exists') return values.length > 0;
  if (values.length === 0) return false;
  const pattern = comparison.op === 'matches' ? compilePattern(comparison.value, { fill: resolve }) : undefined;
  const test = (value: unknown): boolean => {
    switch (comparison.op) {
      case 'equals':
        return looselyEqual(value, comparison.value, resolve);
      case 'not-equals':
        return !looselyEqual(value, comparison.value, resolve);
      case 'matches':
        return pattern?.test(stringifyJsonValue(value)) === true;
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
