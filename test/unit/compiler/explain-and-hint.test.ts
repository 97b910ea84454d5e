import { describe, expect, it } from 'vitest';
import type { CommandStepSpec } from '../../../protocol/index.ts';
import { transformRunbookSource } from '../../../site/integration/source-transform.ts';
import { compileInline, FRONTMATTER, stepBlock } from '../../helpers/fixtures.ts';

const EXPLAIN = '<Explain>\n\nLists the members. Look for **three** lines that say `started`.\n\n</Explain>\n';

async function compileStep(extra: string, before = ''): Promise<CommandStepSpec> {
  const result = await compileInline(before + stepBlock('echo hi', undefined, extra));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  const step = result.runbook.steps[0];
  if (step?.kind !== 'command') throw new Error('no command step');
  return step;
}

async function diagnosticsOf(body: string) {
  const result = await compileInline(body);
  if (result.ok) throw new Error('compiled, expected diagnostics');
  return result.diagnostics;
}

describe('<Explain> inside a step', () => {
  it('puts its plain text into the manifest as the step explanation', async () => {
    const step = await compileStep(EXPLAIN);
    expect(step.explanation).toBe('Lists the members. Look for three lines that say started.');
    expect(step.script).toBe('echo hi');
  });

  it('leaves steps without one unchanged (no explanation key, same hash as before)', async () => {
    const plain = await compileStep('');
    expect(plain).not.toHaveProperty('explanation');
    const explained = await compileStep(EXPLAIN);
    expect(explained.hash).not.toBe(plain.hash);
  });

  it('reports a second <Explain>, an empty one, and blocks inside one, at their lines', async () => {
    const twice = await diagnosticsOf(stepBlock('echo hi', undefined, `${EXPLAIN}\n${EXPLAIN}`));
    expect(twice).toEqual([
      expect.objectContaining({
        code: 'invalid-explain',
        line: 19,
        message: expect.stringMatching(/already has an <Explain> on line 13/),
      }),
    ]);
    const empty = await diagnosticsOf(stepBlock('echo hi', undefined, '<Explain></Explain>'));
    expect(empty).toEqual([
      expect.objectContaining({ code: 'invalid-explain', message: expect.stringMatching(/is empty/) }),
    ]);
    const nested = await diagnosticsOf(
      stepBlock('echo hi', undefined, '<Explain>\n\nWhy.\n\n<Check exit={0} />\n\n</Explain>'),
    );
    expect(nested).toEqual([
      expect.objectContaining({ code: 'misplaced-block', message: '<Check> is inside an <Explain>' }),
    ]);
  });

  it('is refused outside a step and with an unknown prop', async () => {
    const outside = await diagnosticsOf(`${EXPLAIN}\n${stepBlock('echo hi')}`);
    expect(outside[0]).toMatchObject({ code: 'misplaced-block', line: 7, message: '<Explain> is outside a <Step>' });
    const prop = await diagnosticsOf(stepBlock('echo hi', undefined, '<Explain titel="x">\n\nWhy.\n\n</Explain>'));
    expect(prop[0]).toMatchObject({ code: 'invalid-props', message: expect.stringMatching(/no prop "titel"/) });
  });

  it('keeps a bash block inside an <Explain> as an illustration, not the script', async () => {
    const explainWithCode = '<Explain>\n\nLike this:\n\n```bash\necho example\n```\n\n</Explain>\n';
    const step = await compileStep(explainWithCode);
    expect(step.script).toBe('echo hi');
    const page = transformRunbookSource(FRONTMATTER + stepBlock('echo hi', undefined, explainWithCode), 'inline');
    expect(page.match(/<StepScript /g)).toHaveLength(1);
    expect(page).toContain('echo example');
  });

  it('checks the variables it mentions', async () => {
    const diagnostics = await diagnosticsOf(
      stepBlock('echo hi', undefined, '<Explain>\n\nShows {{nope}}.\n\n</Explain>'),
    );
    expect(diagnostics[0]).toMatchObject({ code: 'undefined-variable' });
  });
});

describe('hint on <Check>', () => {
  it('is kept in the check spec, and only when given', async () => {
    const step = await compileStep(
      '<Check regex="started" hint="Is the member running? Look at its log." />\n<Check exit={0} />',
    );
    expect(step.checks[0]?.hint).toBe('Is the member running? Look at its log.');
    expect(step.checks[1]).not.toHaveProperty('hint');
  });

  it('refuses an empty hint and an undefined variable in one, at the prop', async () => {
    const empty = await diagnosticsOf(stepBlock('echo hi', undefined, '<Check exit={0} hint=" " />'));
    expect(empty[0]).toMatchObject({ code: 'invalid-props', message: expect.stringMatching(/hint is empty/) });
    const undefinedName = await diagnosticsOf(
      stepBlock('echo hi', undefined, '<Check exit={0} hint="Read {{missing}}" />'),
    );
    expect(undefinedName[0]).toMatchObject({ code: 'undefined-variable', line: 13 });
  });
});
