import { type CriterionResult, formatDuration } from '../../protocol/index.ts';

// The grade as terminal lines: one per criterion, then the verdict against the time limit.
export function formatGrade(results: readonly CriterionResult[], elapsedMs: number, timeLimitMs: number): string {
  const passed = results.filter((result) => result.passed).length;
  const lines = [
    'Success criteria:',
    ...results.map((result) => `  ${result.passed ? '✔ PASS' : '✘ FAIL'} ${result.label}: ${result.detail}`),
    `Drill ${passed === results.length ? 'PASSED' : 'FAILED'}: ${passed} of ${results.length} criteria met, in ${formatDuration(elapsedMs)} (time limit ${formatDuration(timeLimitMs)}${elapsedMs > timeLimitMs ? ', exceeded' : ''}).`,
  ];
  return `${lines.join('\n')}\n`;
}
