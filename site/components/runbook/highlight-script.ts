import { codeToHtml } from 'shiki';
import { findVariableReferences } from '../../../protocol/index.ts';
import { varPlaceholderHtml } from './var-placeholder.ts';

const SENTINEL = (index: number) => `DRILLBOOKVAR${index}X`;

// Highlights a step's script and turns each {{name}} into a placeholder element. References are
// swapped for plain identifiers first, so the highlighter never splits a reference across tokens.
export async function highlightScript(script: string): Promise<string> {
  const references = findVariableReferences(script);
  let withSentinels = '';
  let cursor = 0;
  references.forEach((reference, index) => {
    withSentinels += script.slice(cursor, reference.start) + SENTINEL(index);
    cursor = reference.end;
  });
  withSentinels += script.slice(cursor);
  const html = await codeToHtml(withSentinels, {
    lang: 'bash',
    themes: { light: 'github-light', dark: 'github-dark' },
  });
  return references.reduce(
    (result, reference, index) => result.replace(SENTINEL(index), varPlaceholderHtml(reference.name)),
    html,
  );
}
