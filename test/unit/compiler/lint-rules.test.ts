import { describe, expect, it } from 'vitest';
import { compileFixture, compileInline, stepBlock } from '../../helpers/fixtures.ts';

// One bad fixture per rule: each must fail with its code, at its line, with a useful hint.
const CASES = [
  {
    fixture: 'unknown-prop',
    code: 'invalid-props',
    line: 7,
    message: /<Step> has no prop "timout"/,
    hint: /did you mean "timeout"/,
  },
  {
    fixture: 'invalid-risk',
    code: 'invalid-props',
    line: 7,
    message: /risk is "reed", expected one of "read", "change", "destructive"/,
    hint: /did you mean "read"/,
  },
  {
    fixture: 'wrong-prop-type',
    code: 'invalid-props',
    line: 7,
    message: /timeout is boolean true/,
    hint: /string or a number/,
  },
  {
    fixture: 'capture-without-extractor',
    code: 'invalid-props',
    line: 13,
    message: /say how to extract the value/,
    hint: /authoring reference/,
  },
  {
    fixture: 'secret-default',
    code: 'invalid-props',
    line: 7,
    message: /secret param cannot have a default/,
    hint: /Param/,
  },
  {
    fixture: 'invalid-frontmatter',
    code: 'invalid-frontmatter',
    line: 4,
    message: /no key "tagz"/,
    hint: /did you mean "tags"/,
  },
  {
    fixture: 'fan-out-capture',
    code: 'fan-out-capture',
    line: 13,
    message: /step "one" runs once per node \(nodeSelector=\), so <Capture> in it has no single output/,
    hint: /capture in a step that runs on one node/,
  },
  {
    fixture: 'no-shell-command',
    code: 'no-shell-command',
    line: 10,
    message: /shell="none": "\|" needs a shell/,
    hint: /runs one program with its arguments/,
  },
  {
    fixture: 'no-shell-secret',
    code: 'no-shell-secret',
    line: 12,
    message: /\{\{password\}\} is secret/,
    hint: /audit logs/,
  },
  {
    fixture: 'duplicate-explain',
    code: 'invalid-explain',
    line: 15,
    message: /step "one" already has an <Explain> on line 9/,
    hint: /merge them/,
  },
  {
    fixture: 'duplicate-step-id',
    code: 'duplicate-id',
    line: 15,
    message: /"snapshot" is already used on line 7/,
    hint: /its own id/,
  },
  {
    fixture: 'undefined-variable',
    code: 'undefined-variable',
    line: 13,
    message: /\{\{namespce\}\} is not defined/,
    hint: /did you mean "namespace"/,
  },
  {
    fixture: 'variable-before-definition',
    code: 'variable-before-definition',
    line: 10,
    message: /\{\{release\}\} is used here but only step "find" on line 21/,
    hint: /move this step after/,
  },
  {
    fixture: 'duplicate-variable',
    code: 'duplicate-variable',
    line: 15,
    message: /\{\{release\}\} is already defined by <Param name="release"> on line 7/,
    hint: /defined once/,
  },
  {
    fixture: 'bash-syntax',
    code: 'bash-syntax',
    line: 12,
    message: /not valid bash: syntax error near unexpected token `done'/,
    hint: /bash -n/,
  },
  {
    fixture: 'kubectl-watch',
    code: 'interactive-command',
    line: 11,
    message: /kubectl get --watch` never ends/,
    hint: /<Check wait=/,
  },
  {
    fixture: 'kubectl-exec-tty',
    code: 'interactive-command',
    line: 10,
    message: /kubectl exec` asks for a terminal/,
    hint: /drop -i\/-t/,
  },
  {
    fixture: 'read-builtin',
    code: 'interactive-command',
    line: 10,
    message: /`read` waits for input/,
    hint: /<Param>/,
  },
  {
    fixture: 'ssh-interactive',
    code: 'interactive-command',
    line: 10,
    message: /`ssh` without a command/,
    hint: /target="node"/,
  },
  {
    fixture: 'sh-c-double-evaluation',
    code: 'double-evaluation',
    line: 12,
    message: /\{\{snapshot\}\} is passed through `sh -c`/,
    hint: /sh -c '… "\$1" …' _ \{\{snapshot\}\}/,
  },
  {
    fixture: 'kubectl-exec-bash-c',
    code: 'double-evaluation',
    line: 12,
    message: /\{\{key\}\} is passed through `bash -c`/,
    hint: /"\$1"/,
  },
  {
    fixture: 'ssh-double-evaluation',
    code: 'double-evaluation',
    line: 12,
    message: /\{\{dataDir\}\} is passed through `ssh`/,
    hint: /target="node"/,
  },
  {
    fixture: 'eval-double-evaluation',
    code: 'double-evaluation',
    line: 12,
    message: /passed through `eval`/,
    hint: /remove eval/,
  },
  {
    fixture: 'wrapped-shell-double-evaluation',
    code: 'double-evaluation',
    line: 12,
    message: /\{\{snapshot\}\} is passed through `sh -c`/,
    hint: /sh -c '… "\$1" …' _ \{\{snapshot\}\}/,
  },
  {
    fixture: 'source-double-evaluation',
    code: 'double-evaluation',
    line: 12,
    message: /\{\{endpoint\}\} is passed through `source <\(…\)`/,
    hint: /in the step itself/,
  },
  {
    fixture: 'kubectl-global-flags',
    code: 'interactive-command',
    line: 10,
    message: /kubectl exec` asks for a terminal/,
    hint: /drop -i\/-t/,
  },
  {
    fixture: 'missing-script',
    code: 'missing-script',
    line: 7,
    message: /step "empty" has no bash code block/,
    hint: /<Manual>/,
  },
  {
    fixture: 'unknown-block',
    code: 'unknown-block',
    line: 7,
    message: /<Stepp> is not a runbook block/,
    hint: /did you mean "Step"/,
  },
  {
    fixture: 'misplaced-capture',
    code: 'misplaced-block',
    line: 15,
    message: /<Capture> is outside a <Step>/,
    hint: /inside the <Step>/,
  },
  {
    fixture: 'dynamic-expression',
    code: 'dynamic-expression',
    line: 15,
    message: /\{40 \+ 2\} is code/,
    hint: /\{\{name\}\}/,
  },
  {
    fixture: 'mdx-syntax',
    code: 'mdx-syntax',
    line: 7,
    message: /Expected a closing tag for `<Step>`/,
    hint: /closed/,
  },
] as const;

describe('lint rules', () => {
  it.each(CASES)('$fixture fails with $code on line $line', async ({ fixture, code, line, message, hint }) => {
    const result = await compileFixture(`bad-runbooks/${fixture}.mdx`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const diagnostic = result.diagnostics.find((item) => item.code === code && message.test(item.message));
    expect(diagnostic, JSON.stringify(result.diagnostics, null, 2)).toBeDefined();
    expect(diagnostic?.file).toBe(`${fixture}.mdx`);
    expect(diagnostic?.line).toBe(line);
    expect(diagnostic?.message).toMatch(message);
    expect(diagnostic?.hint).toMatch(hint);
  });

  it('has a fixture for every case and a case for every fixture', async () => {
    const { readdir } = await import('node:fs/promises');
    const { FIXTURES } = await import('../../helpers/fixtures.ts');
    const files = (await readdir(`${FIXTURES}/bad-runbooks`)).map((file) => file.replace(/\.mdx$/, '')).sort();
    expect(files).toEqual(CASES.map((item) => item.fixture).sort());
  });
});

describe('frontmatter', () => {
  it('reports a missing key at the frontmatter and an unknown key on its own line', async () => {
    const result = await compileFixture('bad-runbooks/invalid-frontmatter.mdx');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map(({ line, message }) => ({ line, message }))).toEqual([
      { line: 2, message: 'the frontmatter needs the key summary' },
      { line: 4, message: 'the frontmatter has no key "tagz"' },
    ]);
  });
});

describe('{{values}} in capture and check patterns', () => {
  const param = '<Param name="member" label="Member" default="etcd-0" />\n\n';
  const step = (extra: string) => stepBlock('etcdctl member list', 'id="list" title="List" risk="read"', extra);
  const codes = async (body: string) => {
    const result = await compileInline(body);
    return result.ok ? [] : result.diagnostics.map((diagnostic) => diagnostic.code);
  };

  it.each([
    '<Capture name="id" regex="(\\w+), started, {{member}}," />',
    '<Capture name="id" column="ID" where="NAME={{member}}" />',
    '<Capture name="id" whole pattern="^{{member}}$" />',
    '<Check regex="{{member}} is healthy" />',
  ])('accepts %s with the variable defined earlier', async (block) => {
    expect(await codes(param + step(block))).toEqual([]);
  });

  it.each([
    ['<Capture name="id" regex="(\\w+), started, {{membr}}," />', 'undefined-variable'],
    ['<Capture name="id" column="ID" where="NAME={{membr}}" />', 'undefined-variable'],
    ['<Capture name="id" whole pattern="^{{id}}$" />', 'variable-before-definition'],
    ['<Capture name="id" regex="[{{member}}]+" />', 'invalid-props'],
    ['<Capture name="id" jsonpath="$.members[?@.name==\'{{member}}\'].ID" />', 'invalid-props'],
    ['<Check regex="a\\-b" />', 'invalid-props'],
  ])('rejects %s', async (block, code) => {
    expect(await codes(param + step(block))).toContain(code);
  });
});
