import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunnerError } from '../../../../runner/errors.ts';
import { renderScript } from '../../../../runner/execution/render-script.ts';
import { runTemplate } from '../../../helpers/run-script.ts';

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
      const run = await runTemplate(template, { v: value }, {}, { mayStartWithDash: new Set(['v']) });
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
      "printf '%s' \"{{v}}\" > value.txt; cat /proc/$$/cmdline /proc/$$/environ | tr '\\0' '\\n'",
      { v: 'top-secret-value' },
    );
    expect(run.stderr.toString()).toBe('');
    expect(run.exitCode).toBe(0);
    expect(await readFile(path.join(run.cwd, 'value.txt'), 'utf8')).toBe('top-secret-value');
    const seen = run.stdout.toString();
    expect(seen).toMatch(/^bash$/m);
    expect(seen).toMatch(/^PATH=/m);
    expect(seen).not.toContain('top-secret-value');
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

const OPTION_LIKE = ['-rf', '--kubeconfig=/tmp/evil', '-', '--', '-1', '-n'];
const DATA_LIKE = ['pod-1', 'a-b', ' -x', '', '1'];

// Templates where {{x}} begins a word a program parses for options.
const OPTION_POSITIONS = [
  'kubectl get pod {{x}}',
  'ls "{{x}}"',
  "ls '{{x}}'",
  "ls $'{{x}}'",
  'ls {{x}}.txt',
  'ls "{{x}}"/sub',
  'ls ""{{x}}',
  'ls {{empty}}{{x}}',
  'rm -f {{x}}',
  'kubectl logs -f {{x}}',
  'kubectl -n {{x}} get pods',
  'sudo -u root {{x}}',
  'kubectl exec {{x}} -- ls',
  'y=$(ls {{x}})',
  'echo "$(ls {{x}})"',
  'if grep {{x}} file; then :; fi',
  'ls a | grep -e {{x}}',
  'ls && cat {{x}} || true',
  'export {{x}}',
  'find . -name {{x}}',
  'f() { ls {{x}}; }',
  'p={{x}}; kubectl get pod "$p"',
  'f() { local p="{{x}}"; ls $p; }',
  `for p in {{x}}; do ls "\${p}"; done`,
  'export P={{x}}; ls "$P"',
];

// Templates where a value beginning with "-" is data, not an option.
const DATA_POSITIONS = [
  'ls -- {{x}}',
  'rm -rf -- a {{x}}',
  'kubectl --namespace={{x}} get pods',
  'helm upgrade r c --set key={{x}}',
  'ls a{{x}}',
  'ls {{word}}{{x}}',
  'y={{x}}',
  'X={{x}} env',
  'declare y={{x}}',
  'echo ok > {{x}}',
  'cat <<EOF\n{{x}}\nEOF',
  "cat <<'EOF'\n{{x}}\nEOF",
  'cat <<< {{x}}',
  '[[ {{x}} == -* ]]',
  '[ {{x}} = y ]',
  'case {{x}} in -*) ;; esac',
  'for i in {{x}}; do :; done',
  '# ls {{x}}',
  'p={{x}}; ls -- "$p"',
  'p={{x}}; echo "a$p"',
  'p=a{{x}}; ls $p',
  `p={{x}}; ls "\${p#-}"`,
];

const render = (template: string, x: string, mayStartWithDash: string[] = []) =>
  renderScript(
    template,
    new Map([
      ['x', x],
      ['empty', ''],
      ['word', 'w'],
    ]),
    {
      stepId: 'restart-pod',
      mayStartWithDash: new Set(mayStartWithDash),
    },
  );

describe('a value is never an option by surprise', () => {
  describe.each(OPTION_POSITIONS)('%s', (template) => {
    it.each(OPTION_LIKE)('refuses %j, naming the variable, the step and what to do', async (value) => {
      const failure = await render(template, value).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RunnerError);
      expect(failure).toMatchObject({
        code: 'RENDER_REFUSED',
        details: { variable: 'x', stepId: 'restart-pod' },
        message: expect.stringMatching(
          /^step "restart-pod": the value of \{\{x\}\}(?: \(as \$\w+\))? begins with "-".*mayStartWithDash/,
        ),
      });
      expect((failure as RunnerError).message).not.toContain(value.length > 2 ? value : '\0');
    });

    it.each(DATA_LIKE)('renders %j', async (value) => {
      await expect(render(template, value)).resolves.toMatchObject({ variables: expect.arrayContaining(['x']) });
    });

    it('renders a value beginning with "-" when the variable declares mayStartWithDash', async () => {
      await expect(render(template, '--kubeconfig=/tmp/evil', ['x'])).resolves.toBeDefined();
    });
  });

  describe.each(DATA_POSITIONS)('%s', (template) => {
    it.each([...OPTION_LIKE, ...DATA_LIKE])('renders %j', async (value) => {
      await expect(render(template, value)).resolves.toMatchObject({ variables: expect.arrayContaining(['x']) });
    });
  });

  it('lets arithmetic take negative integers', async () => {
    const run = await runTemplate('echo $(( {{n}} - 1 )); (( {{n}} < 0 )) && echo negative', { n: '-1' });
    expect(run.stdout.toString()).toBe('-2\nnegative\n');
  });

  it('refuses before bash runs, and after "--" the value reaches the program as a file name', async () => {
    await expect(runTemplate('touch {{x}}', { x: '-rf' })).rejects.toMatchObject({ code: 'RENDER_REFUSED' });
    const run = await runTemplate('touch -- {{x}} && ls -- "{{x}}"', { x: '--kubeconfig=evil' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString()).toBe('--kubeconfig=evil\n');
    expect(existsSync(path.join(run.cwd, '--kubeconfig=evil'))).toBe(true);
  });

  it('passes a declared value to the program, where it is an option as the author meant', async () => {
    const run = await runTemplate('ls {{flags}} .', { flags: '-a' }, {}, { mayStartWithDash: new Set(['flags']) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout.toString().split('\n')).toContain('..');
  });
});
