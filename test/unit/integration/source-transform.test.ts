import { describe, expect, it } from 'vitest';
import { transformRunbookSource } from '../../../site/integration/source-transform.ts';
import { FRONTMATTER } from '../../helpers/fixtures.ts';

describe('the runbook source transform', () => {
  it('turns {{name}} in prose into a <Var> placeholder', () => {
    const out = transformRunbookSource(`${FRONTMATTER}The release is {{release}}.\n`, 'demo');
    expect(out).toContain('The release is <Var name="release" />.');
  });

  it('keeps inline code literal around placeholders', () => {
    const out = transformRunbookSource(`${FRONTMATTER}Run \`kubectl -n {{ns}} get *pods*\` now.\n`, 'demo');
    expect(out).toContain('Run <code>{"kubectl -n "}<Var name="ns" />{" get *pods*"}</code> now.');
  });

  it('replaces a step script with <StepScript> and keeps every line number', () => {
    const source = `${FRONTMATTER}<Step id="save" title="Save" risk="read">\n\n\`\`\`bash\necho {{a}}\necho two\n\`\`\`\n\n</Step>\n\nAfter {{a}}.\n`;
    const out = transformRunbookSource(source, 'demo');
    expect(out).toContain('<StepScript runbook="demo" step="save" />');
    expect(out).not.toContain('echo two');
    expect(out.split('\n').length).toBe(source.split('\n').length);
    const afterLine = source.split('\n').findIndex((line) => line.startsWith('After'));
    expect(out.split('\n')[afterLine]).toBe('After <Var name="a" />.');
  });

  it('leaves code blocks outside steps and non-bash blocks alone', () => {
    const source = `${FRONTMATTER}\`\`\`yaml\nname: {{a}}\n\`\`\`\n`;
    expect(transformRunbookSource(source, 'demo')).toBe(source);
  });
});
