import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellLiteral } from '../../../../runner/export/runbook-script.ts';

const SAMPLES = [
  '',
  'plain',
  "it's",
  `'"\`$(id)\${HOME}\\`,
  'two\nlines\n',
  'tab\there',
  '\u001b]52;c;ZXZpbA==\u0007',
  'cr\rover',
  'bidi \u202e gnp.exe',
  'c1 \u009b31m',
  'ünïcödé ✓ 🙂',
  '\\x41 \\u0041',
];

function randomValue(): string {
  const length = Math.floor(Math.random() * 24);
  let value = '';
  for (let index = 0; index < length; index++) {
    const pick = Math.random();
    value +=
      pick < 0.2
        ? String.fromCharCode(1 + Math.floor(Math.random() * 31))
        : pick < 0.3
          ? `'"\\$\`\u202e\u0085`[Math.floor(Math.random() * 8)]
          : String.fromCodePoint(32 + Math.floor(Math.random() * 0x2ff));
  }
  return value;
}

describe('shellLiteral', () => {
  it('means exactly the value to bash, whatever it holds', () => {
    const values = [...SAMPLES, ...Array.from({ length: 200 }, randomValue)];
    const script = values.map((value) => `printf '%s\\0' ${shellLiteral(value)}`).join('\n');
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(values);
  });

  it('never writes a control or bidi character into the script', () => {
    for (const value of [...SAMPLES, ...Array.from({ length: 200 }, randomValue)]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a literal must not carry
      expect(shellLiteral(value)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    }
  });
});
