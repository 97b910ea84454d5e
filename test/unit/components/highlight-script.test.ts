import { describe, expect, it } from 'vitest';
import { highlightScript } from '../../../site/components/runbook/highlight-script.ts';
import { templateToHtml } from '../../../site/components/runbook/var-placeholder.ts';

describe('script highlighting', () => {
  it('renders every reference as one placeholder element, in any quoting context', async () => {
    const html = await highlightScript(`kubectl get pods -n {{ns}} -l 'app={{app}}' -o "jsonpath={{path}}"`);
    for (const name of ['ns', 'app', 'path']) {
      expect(html).toContain(
        `<var class="db-var" data-var="${name}" data-state="unknown" title="Not known yet">{{${name}}}</var>`,
      );
    }
    expect(html).not.toContain('DRILLBOOKVAR');
  });

  it('escapes HTML in commands', async () => {
    const html = await highlightScript('echo "<script>alert(1)</script>" > out.txt');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#x3C;script>alert(1)&#x3C;/script>');
  });
});

describe('templates in props', () => {
  it('escapes text and renders references', () => {
    expect(templateToHtml('pod <{{pod}}> & co')).toBe(
      'pod &#60;<var class="db-var" data-var="pod" data-state="unknown" title="Not known yet">{{pod}}</var>&#62; &#38; co',
    );
  });
});
