import type { Code, Nodes, Root } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { type CheckSpec, findVariableReferences } from '../../protocol/index.ts';
import { BLOCK_NAMES, BLOCKS, type BlockName, isBlockName } from './blocks.ts';
import type { Diagnostic, DiagnosticCode, SourcePosition } from './diagnostics.ts';
import { expressionReference, SCRIPT_LANGUAGES } from './mdx-conventions.ts';
import { DynamicPropError, readProps } from './read-props.ts';
import type { BlockDraft, CommandStepDraft, Located, ManualStepDraft, ReferenceSite } from './runbook-draft.ts';
import { describeIssues as describePropIssues, suggest } from './zod-issues.ts';

interface Scope {
  step?: CommandStepDraft;
  manual?: ManualStepDraft;
  /** Inside an <Explain>: prose only. */
  explain?: boolean;
}

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

// Walks a parsed runbook in document order and reads out its blocks, reporting every problem.
export function extractBlocks(
  tree: Root,
  file: string,
): { blocks: BlockDraft[]; proseReferences: ReferenceSite[]; diagnostics: Diagnostic[] } {
  const blocks: BlockDraft[] = [];
  const proseReferences: ReferenceSite[] = [];
  const diagnostics: Diagnostic[] = [];

  const report = (code: DiagnosticCode, position: SourcePosition, message: string, hint: string) => {
    diagnostics.push({ code, file, line: position.line, column: position.column, message, hint });
  };

  const addReferences = (text: string, at: SourcePosition, scope: Scope) => {
    const sites = findVariableReferences(text).map((reference) => ({ name: reference.name, position: at }));
    if (scope.manual) scope.manual.references.push(...sites);
    else proseReferences.push(...sites);
  };

  const visitChildren = (node: Nodes, scope: Scope) => {
    if ('children' in node) for (const child of node.children) visit(child, scope);
  };

  const visit = (node: Nodes, scope: Scope): void => {
    const at = positionOf(node);
    switch (node.type) {
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement':
        visitElement(node, scope);
        return;
      case 'code':
        visitCode(node, scope);
        return;
      case 'inlineCode':
        addReferences(node.value, at, scope);
        return;
      case 'mdxFlowExpression':
      case 'mdxTextExpression': {
        const reference = expressionReference(node.value);
        if (reference) addReferences(`{{${reference}}}`, at, scope);
        else if (!isComment(node)) {
          report(
            'dynamic-expression',
            at,
            `the expression {${node.value.trim()}} is code; runbooks are static documents`,
            'write {{name}} to show a variable; escape a literal brace as \\{',
          );
        }
        return;
      }
      case 'mdxjsEsm':
        report(
          'dynamic-expression',
          at,
          'imports and exports are not allowed in a runbook',
          `remove the line; ${BLOCK_NAMES.join(', ')} are available without an import`,
        );
        return;
      default:
        visitChildren(node, scope);
    }
  };

  const visitCode = (node: Code, scope: Scope) => {
    const at = positionOf(node);
    const step = scope.step;
    if (!step || !SCRIPT_LANGUAGES.has(node.lang ?? '')) {
      addReferences(node.value, at, scope);
      return;
    }
    if (step.script) {
      report(
        'missing-script',
        at,
        `step "${step.value.id}" has a second bash code block`,
        'a step runs one script: merge the blocks, or split the step in two',
      );
      return;
    }
    step.script = { text: node.value, firstLine: at.line + 1, column: at.column };
  };

  const visitElement = (node: JsxElement, scope: Scope) => {
    const at = positionOf(node);
    const name = node.name;
    if (name === null || /^[a-z]/.test(name)) {
      visitChildren(node, scope);
      return;
    }
    if (!isBlockName(name)) {
      const known = suggest(name, BLOCK_NAMES);
      report('unknown-block', at, `<${name}> is not a runbook block`, known ?? `blocks are ${BLOCK_NAMES.join(', ')}`);
      return;
    }
    if (scope.explain) {
      report(
        'misplaced-block',
        at,
        `<${name}> is inside an <Explain>`,
        'an <Explain> holds prose only: close it first',
      );
      return;
    }
    const inStep = scope.step !== undefined || scope.manual !== undefined;
    const placement = BLOCKS[name].placement;
    if (placement === 'step' && !scope.step) {
      report(
        'misplaced-block',
        at,
        `<${name}> is outside a <Step>`,
        `put <${name}> inside the <Step> whose output it reads`,
      );
      return;
    }
    if (placement === 'page' && name !== 'Callout' && inStep) {
      report('misplaced-block', at, `<${name}> is inside another step`, `close the enclosing step before <${name}>`);
      return;
    }
    const located = parseBlockProps(name, node);
    if (!located) {
      // Keep walking so that problems inside are reported too, without blaming their placement.
      visitChildren(node, name === 'Step' ? { step: detachedStep(at) } : scope);
      return;
    }
    switch (name) {
      case 'Param':
        blocks.push({ kind: 'param', ...(located as Located<never>) });
        return;
      case 'Step': {
        const step: CommandStepDraft = {
          kind: 'command',
          ...(located as Located<never>),
          script: undefined,
          captures: [],
          checks: [],
          kube: [],
        };
        blocks.push(step);
        visitChildren(node, { step });
        if (!step.script) {
          report(
            'missing-script',
            at,
            `step "${step.value.id}" has no bash code block`,
            'put the command in a fenced ```bash block inside the <Step>, or use <Manual> for work done by hand',
          );
        }
        return;
      }
      case 'Manual': {
        const manual: ManualStepDraft = {
          kind: 'manual',
          ...(located as Located<never>),
          instruction: toPlainText(node).trim(),
          references: [],
        };
        blocks.push(manual);
        visitChildren(node, { manual });
        return;
      }
      case 'Capture':
        scope.step?.captures.push(located as Located<never>);
        return;
      case 'Check': {
        const check = located as Located<CheckSpec>;
        scope.step?.checks.push(check);
        if (check.value.hint) addReferences(check.value.hint, check.propPositions.hint ?? at, {});
        return;
      }
      case 'Explain':
        if (scope.step) readExplanation(node, scope.step);
        return;
      case 'SecretKey':
      case 'WaitForPods':
        scope.step?.kube.push(located as Located<never>);
        return;
      case 'Callout':
        visitChildren(node, scope);
        return;
    }
  };

  const readExplanation = (node: JsxElement, step: CommandStepDraft) => {
    const at = positionOf(node);
    const text = toPlainText(node).trim();
    if (step.explanation) {
      const first = step.explanation.position.line;
      report(
        'invalid-explain',
        at,
        `step "${step.value.id}" already has an <Explain> on line ${first}`,
        'merge them into one <Explain>',
      );
    } else if (text === '') {
      report(
        'invalid-explain',
        at,
        `the <Explain> of step "${step.value.id}" is empty`,
        'say what the step is for and what to look for in its output, or remove it',
      );
    } else step.explanation = { text, position: at };
    visitChildren(node, { explain: true });
  };

  const parseBlockProps = (name: BlockName, node: JsxElement): Located<unknown> | undefined => {
    const at = positionOf(node);
    let props: ReturnType<typeof readProps>;
    try {
      props = readProps(node);
    } catch (error) {
      if (!(error instanceof DynamicPropError)) throw error;
      report(
        'dynamic-expression',
        error.position,
        error.message,
        'write the prop as name="text", name={42} or name={true}',
      );
      return undefined;
    }
    const definition = BLOCKS[name];
    const parsed = definition.schema.safeParse(props.values, { reportInput: true });
    if (parsed.success) return { value: parsed.data, position: at, propPositions: props.positions };
    for (const issue of describePropIssues(parsed.error, `<${name}>`, definition.props)) {
      const key = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
      report('invalid-props', (key && props.positions[key]) || at, issue.message, issue.hint);
    }
    return undefined;
  };

  visit(tree, {});
  return { blocks, proseReferences, diagnostics };
}

function detachedStep(position: SourcePosition): CommandStepDraft {
  const value = {
    id: 'invalid',
    title: '',
    risk: 'read',
    timeoutMs: 1,
    idleTimeoutMs: null,
    target: { kind: 'local' },
    runsOn: 'operator',
  } as const;
  return { kind: 'command', value, position, propPositions: {}, script: undefined, captures: [], checks: [], kube: [] };
}

function positionOf(node: Nodes): SourcePosition {
  const start = node.position?.start;
  return { line: start?.line ?? 1, column: start?.column ?? 1 };
}

function isComment(node: Nodes): boolean {
  const estree = (node.data as { estree?: { body: unknown[] } } | undefined)?.estree;
  return estree !== undefined && estree.body.length === 0;
}

// Plain text of a block's children, with variable references kept as {{name}}.
export function toPlainText(node: Nodes): string {
  switch (node.type) {
    case 'mdxFlowExpression':
    case 'mdxTextExpression':
      return `{${node.value}}`;
    case 'text':
    case 'inlineCode':
    case 'code':
      return node.value;
    default:
      if (!('children' in node)) return '';
      return node.children
        .map((child) => toPlainText(child))
        .join(node.type === 'root' || node.type === 'mdxJsxFlowElement' ? '\n\n' : '');
  }
}
