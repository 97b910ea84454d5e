import type { Nodes } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import { findVariableReferences } from '../../protocol/index.ts';
import { expressionReference, SCRIPT_LANGUAGES } from '../compiler/mdx-conventions.ts';
import { parseMdx } from '../compiler/parse-mdx.ts';

interface Edit {
  start: number;
  end: number;
  text: string;
}

// Rewrites a (validated) runbook before MDX compiles it: `{{name}}` in prose becomes a <Var>
// placeholder, and each step's bash block becomes a <StepScript> rendered from the manifest.
// Line breaks are kept so that positions in MDX errors still match the author's file.
export function transformRunbookSource(source: string, slug: string): string {
  const edits: Edit[] = [];
  const visit = (node: Nodes, stepId: string | undefined) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return;
    switch (node.type) {
      case 'mdxTextExpression':
      case 'mdxFlowExpression': {
        const reference = expressionReference(node.value);
        if (reference) edits.push({ start, end, text: varElement(reference) });
        return;
      }
      case 'inlineCode':
        if (findVariableReferences(node.value).length > 0) {
          edits.push({ start, end, text: `<code>${templateChildren(node.value)}</code>` });
        }
        return;
      case 'code':
        if (stepId !== undefined && SCRIPT_LANGUAGES.has(node.lang ?? '')) {
          const lineBreaks = '\n'.repeat(source.slice(start, end).split('\n').length - 1);
          edits.push({ start, end, text: `<StepScript runbook="${slug}" step="${stepId}" />${lineBreaks}` });
        }
        return;
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement': {
        const id = node.name === 'Step' ? readStringAttribute(node as MdxJsxFlowElement, 'id') : stepId;
        for (const child of node.children) visit(child, id);
        return;
      }
      default:
        if ('children' in node) for (const child of node.children) visit(child, stepId);
    }
  };
  visit(parseMdx(source), undefined);
  return applyEdits(source, edits);
}

function varElement(name: string): string {
  return `<Var name="${name}" />`;
}

// JSX children for text with references: literal parts as string expressions, so that
// Markdown and JSX characters inside stay literal.
function templateChildren(text: string): string {
  let cursor = 0;
  let result = '';
  for (const reference of findVariableReferences(text)) {
    if (reference.start > cursor) result += `{${JSON.stringify(text.slice(cursor, reference.start))}}`;
    result += varElement(reference.name);
    cursor = reference.end;
  }
  if (cursor < text.length) result += `{${JSON.stringify(text.slice(cursor))}}`;
  return result;
}

function readStringAttribute(node: MdxJsxFlowElement, name: string): string | undefined {
  for (const attribute of node.attributes) {
    if (attribute.type === 'mdxJsxAttribute' && attribute.name === name && typeof attribute.value === 'string') {
      return attribute.value;
    }
  }
  return undefined;
}

function applyEdits(source: string, edits: Edit[]): string {
  let result = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}
