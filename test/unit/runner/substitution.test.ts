import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunnerError } from '../../../runner/errors.ts';
import { renderScript } from '../../../runner/execution/render-script.ts';
import { runTemplate } from '../../helpers/run-script.ts';

const HOSTILE_VALUES: [string, string][] = [
  ['command substitution', '$(touch pwned)'],
  ['backticks', '`touch pwned`'],
  ['single quote', "it's'; touch pwned; echo '"],
  ['double quote', '"; touch pwned; echo "'],
  ['semicolon', '; touch pwned'],
  ['newlines', 'line one\ntouch pwned\n\n'],
  ['glob', '*'],
  ['option-like', '--kubeconfig=/x'],
  ['leading dash', '-n'],
  ['unicode', 'é 🦄 \u202e ✓'],
  ['variable syntax', ['$', '{HOME} $PATH {{other}}'].join('')],
  ['heredoc delimiter', 'EOF\ntouch pwned\nEOF'],
  ['backslashes', 'C:\\temp\\n\\'],
];

// Each template writes the value (or a string around it) to out.txt, in one quoting context.
const CONTEXTS: [string, string, (value: string) => string][] = [
  ['unquoted', "printf '%s' {{v}} > out.txt", (value) => value],
  ['double-quoted', 'printf \'%s\' "<{{v}}>" > out.txt', (value) => `<${value}>`],
  ['single-quoted', "printf '%s' '<{{v}}>' > out.txt", (value) => `<${value}>`],
  ['ansi-c', "printf '%s' $'<{{v}}>\\t' > out.txt", (value) => `<${value}>\t`],
  ['heredoc', 'cat > out.txt <<EOF\n<{{v}}> $HOME\nEOF', (value) => `<${value}> ${process.env.HOME}\n`],
  ['quoted heredoc', "cat > out.txt <<'EOF'\n<{{v}}> $HOME `x`\nEOF", (value) => `<${value}> $HOME \`x\`\n`],
  [
    'command substitution',
    'x="$(printf \'%s\' {{v}})"; printf \'%s\' "$x" > out.txt',
    (value) => value.replace(/\n+$/, ''),
  ],
  ['assignment', 'x={{v}}; printf \'%s\' "$x" > out.txt', (value) => value],
];

describe('substitution never splices a value into shell text', () => {
  for (const [contextName, template, expected] of CONTEXTS) {
    it.each(HOSTILE_VALUES)(`${contextName}: %s arrives byte for byte and runs nothing`, async (_name, value) => {
      const run = await runTemplate(template, { v: value });
      expect(run.stderr.toString()).toBe('');
      expect(run.exitCode).toBe(0);
      expect(await readFile(path.join(run.cwd, 'out.txt'), 'utf8')).toBe(expected(value));
      expect(existsSync(path.join(run.cwd, 'pwned'))).toBe(false);
    });
  }

  it('passes a 1 MB value intact', async () => {
    const value = `${'a1$`\'"\n'.repeat(150_000)}end`;
    const run = await runTemplate("printf '%s' {{v}} > out.txt; printf '%s' \"{{v}}\" | wc -c", { v: value });
    expect(run.exitCode).toBe(0);
    expect(await readFile(path.join(run.cwd, 'out.txt'), 'utf8')).toBe(value);
    expect(Number(run.stdout.toString().trim())).toBe(Buffer.byteLength(value));
  });

  it('keeps values out of argv and the environment', async () => {
    const run = await runTemplate(
      'cat /proc/$$/cmdline /proc/$$/environ | tr "\\0" "\\n"; printf "%s" {{v}} >/dev/null',
      {
        v: 'top-secret-value',
      },
    );
    expect(run.stdout.toString()).not.toContain('top-secret-value');
  });

  it('rejects NUL and names the values that are missing', async () => {
    await expect(renderScript('echo {{v}}', new Map([['v', 'a\0b']]))).rejects.toMatchObject({ code: 'INVALID_VALUE' });
    const failure = await renderScript('echo {{a}} {{b}} {{a}}', new Map([['b', '1']])).catch(
      (error: RunnerError) => error,
    );
    expect(failure).toBeInstanceOf(RunnerError);
    expect(failure).toMatchObject({ code: 'MISSING_VALUES', details: { missing: ['a'] } });
  });

  it('allows only integers where bash evaluates arithmetic', async () => {
    const ok = await runTemplate('echo $(( {{n}} + 1 ))', { n: '41' });
    expect(ok.stdout.toString()).toBe('42\n');
    for (const template of [
      'echo $(( {{n}} + 1 ))',
      '(( {{n}} > 1 ))',
      'a[{{n}}]=1',
      '[[ {{n}} -eq 1 ]]',
      'let x={{n}}',
    ]) {
      await expect(renderScript(template, new Map([['n', 'x[$(touch pwned)]']]))).rejects.toMatchObject({
        code: 'RENDER_REFUSED',
      });
    }
  });

  it('keeps bash line numbers equal to the template lines', async () => {
    const run = await runTemplate('true\ntrue\nfalse_command_that_does_not_exist', { v: 'x' });
    expect(run.exitCode).toBe(127);
    expect(run.stderr.toString()).toMatch(/line 3: false_command_that_does_not_exist: command not found/);
  });

  it('runs with errexit and pipefail', async () => {
    const errexit = await runTemplate('false\necho not reached');
    expect(errexit.exitCode).toBe(1);
    expect(errexit.stdout.toString()).toBe('');
    const pipefail = await runTemplate('false | true\necho not reached');
    expect(pipefail.exitCode).toBe(1);
  });
});
