import { describe, expect, it } from 'vitest';
import { compileInline } from '../../helpers/fixtures.ts';

describe('prop problems, as an author reads them', () => {
  it('names a missing prop that takes one of a few values, and how to add it', async () => {
    const result = await compileInline(`<Step id="a" title="A">\n\n\`\`\`bash\necho hi\n\`\`\`\n\n</Step>\n`);
    if (result.ok) throw new Error('compiled, expected a problem with risk');
    const risk = result.diagnostics.find((diagnostic) => /risk/.test(diagnostic.message));
    expect(risk?.message).toBe('<Step> needs risk, one of "read", "change", "destructive"');
    expect(risk?.hint).toBe('add risk="read" (or another of the listed values) to <Step>');
    expect(result.diagnostics.map((diagnostic) => diagnostic.message).join('\n')).not.toContain('undefined');
  });
});
