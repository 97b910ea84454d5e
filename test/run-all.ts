// `npm test`: every suite, in the order CI runs them, then one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { checkPrerequisites } from './prerequisites.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
mkdirSync(results, { recursive: true });

interface Tally {
  passed: number;
  failed: number;
  /** The failed tests' names, printed again at the end so the tail of a CI log says what broke. */
  failures?: string[];
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

interface PlaywrightSuite {
  title: string;
  specs?: { title: string; ok: boolean; tests: { results: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}

function run(command: string, args: string[]): number {
  console.log(`\n▶ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  return result.status ?? 1;
}

// A static check counts as one test: it passes at zero warnings or it fails.
function runCheck(command: string, args: string[]): Tally {
  return run(command, args) === 0
    ? { passed: 1, failed: 0 }
    : { passed: 0, failed: 1, failures: [`${command} ${args.join(' ')} (see its output above)`] };
}

function runVitest(): Tally {
  const report = path.join(results, 'vitest.json');
  const status = run('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as VitestReport;
    // A file that failed outside any test (its setup, an import) counts as one failure of its own.
    const brokenFiles = json.testResults.filter(
      (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
    );
    const failures = [
      ...json.testResults.flatMap((file) =>
        file.assertionResults
          .filter((test) => test.status === 'failed')
          .map(
            (test) => `${path.relative(root, file.name)} > ${test.fullName}\n    ${firstLine(test.failureMessages[0])}`,
          ),
      ),
      ...brokenFiles.map(
        (file) => `${path.relative(root, file.name)} (the file failed)\n    ${firstLine(file.message)}`,
      ),
    ];
    const counted = json.numFailedTests + brokenFiles.length;
    const failed = counted + (status !== 0 && counted === 0 ? 1 : 0);
    return { passed: json.numPassedTests, failed, failures };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

// Playwright runs against a fresh build of the real runbooks, served by the real runner.
function runEndToEnd(): Tally {
  if (run('astro', ['build']) !== 0) return { passed: 0, failed: 1, failures: ['astro build (see its output above)'] };
  const report = path.join(results, 'playwright.json');
  const status = run('playwright', ['test']);
  try {
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      stats: { expected: number; unexpected: number; flaky: number };
      suites: PlaywrightSuite[];
    };
    const failed = json.stats.unexpected + (status !== 0 && json.stats.unexpected === 0 ? 1 : 0);
    return { passed: json.stats.expected + json.stats.flaky, failed, failures: playwrightFailures(json.suites, []) };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

function playwrightFailures(suites: PlaywrightSuite[], titles: string[]): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? [])
      .filter((spec) => !spec.ok)
      .map((spec) => {
        const error = spec.tests.flatMap((test) => test.results).find((result) => result.error)?.error?.message;
        return `${[...titles, suite.title, spec.title].join(' > ')}\n    ${firstLine(error)}`;
      }),
    ...playwrightFailures(suite.suites ?? [], [...titles, suite.title]),
  ]);
}

function firstLine(message: string | undefined): string {
  return (
    stripVTControlCharacters(message ?? '')
      .split('\n')
      .find((line) => line.trim() !== '') ?? ''
  );
}

const tallies: Tally[] = [];
const missing = checkPrerequisites();
if (missing.length > 0) {
  for (const problem of missing) console.error(problem);
  tallies.push({ passed: 0, failed: 1 });
} else {
  tallies.push(runCheck('biome', ['check', '--error-on-warnings', '.']));
  tallies.push(runCheck('astro', ['check', '--minimumFailingSeverity', 'warning']));
  tallies.push(runVitest());
  tallies.push(runEndToEnd());
}

const total = tallies.reduce(
  (sum, tally) => ({ passed: sum.passed + tally.passed, failed: sum.failed + tally.failed }),
  { passed: 0, failed: 0 },
);
const failures = tallies.flatMap((tally) => tally.failures ?? []);
if (failures.length > 0) {
  console.log('\nFailed:');
  for (const failure of failures) console.log(`  ${failure}`);
}
const summary = `${total.passed} passed, ${total.failed} failed`;
writeFileSync(path.join(results, 'summary.txt'), `${summary}\n`);
console.log(`\n${summary}`);
process.exit(total.failed === 0 ? 0 : 1);
