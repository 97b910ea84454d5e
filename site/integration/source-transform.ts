import MagicString from 'magic-string';
import type { Nodes } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { findVariableReferences, mapVariableReferences } from '../../protocol/index.ts';
import { expressionReference, SCRIPT_LANGUAGES } from '../compiler/mdx-conventions.ts';
import { parseMdx } from '../compiler/parse-mdx.ts';

// Rewrites a (validated) runbook before MDX compiles it: `{{name}}` in prose becomes a <Var>
// placeholder, and each step's bash block becomes a <StepScript> rendered from the manifest.
// Line breaks are kept so that positions in MDX errors still match the author's file.
export function transformRunbookSource(source: string, slug: string): string {
  const edited = new MagicString(source);
  const visit = (node: Nodes, stepId: string | undefined) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return;
    switch (node.type) {
      case 'mdxTextExpression':
      case 'mdxFlowExpression': {
        const reference = expressionReference(node.value);
        if (reference) edited.overwrite(start, end, varElement(reference));
        return;
      }
      case 'inlineCode':
        if (findVariableReferences(node.value).length > 0) {
          edited.overwrite(start, end, `<code>${templateChildren(node.value)}</code>`);
        }
        return;
      case 'code':
        if (stepId !== undefined && SCRIPT_LANGUAGES.has(node.lang ?? '')) {
          const lineBreaks = '\n'.repeat(source.slice(start, end).split('\n').length - 1);
          edited.overwrite(start, end, `<StepScript runbook="${slug}" step="${stepId}" />${lineBreaks}`);
        }
        return;
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement': {
        // A bash block in an <Explain> is an illustration, not the step's script.
        const id =
          node.name === 'Step'
            ? readStringAttribute(node as MdxJsxFlowElement, 'id')
            : node.name === 'Explain'
              ? undefined
              : stepId;
        for (const child of node.children) visit(child, id);
        return;
      }
      default:
        if ('children' in node) for (const child of node.children) visit(child, stepId);
    }
  };
  visit(parseMdx(source), undefined);
  return edited.toString();
}

function varElement(name: string): string {
  return `<Var name="${name}" />`;
}

// JSX children for text with references: literal parts as string expressions, so that
// Markdown and JSX characters inside stay literal.
function templateChildren(text: string): string {
  return mapVariableReferences(
    text,
    (literal) => (literal === '' ? '' : `{${JSON.stringify(literal)}}`),
    (reference) => varElement(reference.name),
  );
}

function readStringAttribute(node: MdxJsxFlowElement, name: string): string | undefined {
  for (const attribute of node.attributes) {
    if (attribute.type === 'mdxJsxAttribute' && attribute.name === name && typeof attribute.value === 'string') {
      return attribute.value;
    }
  }
  return undefined;
}
