import { spawnSync } from 'node:child_process';

export interface BashSyntaxError {
  /** 1-based line inside the script. */
  line: number;
  message: string;
}

// `bash -n` is the authority on what bash will accept; a regex or a second grammar is not.
export function checkBashSyntax(script: string): BashSyntaxError | undefined {
  const result = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8', timeout: 10_000 });
  if (result.error) throw new Error(`could not run bash -n: ${result.error.message}`, { cause: result.error });
  if (result.status === 0) return undefined;
  const lines = result.stderr.trim().split('\n');
  const first = lines.find((line) => /line \d+:/.test(line)) ?? lines[0] ?? 'syntax error';
  const match = /line (\d+): (.*)$/.exec(first);
  return { line: match ? Number(match[1]) : 1, message: (match?.[2] ?? first).trim() };
}
