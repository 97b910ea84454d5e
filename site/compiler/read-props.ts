import type { Expression, Program } from 'estree';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import type { SourcePosition } from './diagnostics.ts';

export type PropValue = string | number | boolean | null | PropValue[] | { [key: string]: PropValue };

export interface ReadProps {
  values: Record<string, PropValue>;
  positions: Record<string, SourcePosition>;
}

export class DynamicPropError extends Error {
  readonly code = 'DYNAMIC_PROP';
  readonly position: SourcePosition;

  constructor(message: string, position: SourcePosition) {
    super(message);
    this.name = 'DynamicPropError';
    this.position = position;
  }
}

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

// Reads a block's props as plain data. Runbooks are static documents: a prop is a string,
// a number, a boolean or a literal array/object, never code that runs at build time.
export function readProps(element: JsxElement): ReadProps {
  const values: Record<string, PropValue> = {};
  const positions: Record<string, SourcePosition> = {};
  const elementStart = startOf(element.position?.start);
  for (const attribute of element.attributes) {
    const position = startOf(attribute.position?.start) ?? elementStart ?? { line: 1, column: 1 };
    if (attribute.type === 'mdxJsxExpressionAttribute') {
      throw new DynamicPropError(`spread props ({...}) are not allowed on <${element.name}>`, position);
    }
    positions[attribute.name] = position;
    const { value } = attribute;
    if (value === null || value === undefined) {
      values[attribute.name] = true;
    } else if (typeof value === 'string') {
      values[attribute.name] = value;
    } else {
      values[attribute.name] = evaluateLiteral(value.data?.estree, attribute.name, value.value, position);
    }
  }
  return { values, positions };
}

function startOf(point: { line: number; column: number } | undefined): SourcePosition | undefined {
  return point ? { line: point.line, column: point.column } : undefined;
}

function evaluateLiteral(
  program: Program | null | undefined,
  name: string,
  source: string,
  position: SourcePosition,
): PropValue {
  const statement = program?.body[0];
  if (program?.body.length !== 1 || statement?.type !== 'ExpressionStatement') {
    throw new DynamicPropError(`${name}={${source}} is not a literal value`, position);
  }
  return toLiteral(statement.expression, name, source, position);
}

function toLiteral(node: Expression, name: string, source: string, position: SourcePosition): PropValue {
  switch (node.type) {
    case 'Literal':
      if (typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean') {
        return node.value;
      }
      if (node.value === null) return null;
      break;
    case 'UnaryExpression':
      if (node.operator === '-' && node.argument.type === 'Literal' && typeof node.argument.value === 'number') {
        return -node.argument.value;
      }
      break;
    case 'TemplateLiteral':
      if (node.expressions.length === 0) return node.quasis.map((quasi) => quasi.value.cooked ?? '').join('');
      break;
    case 'ArrayExpression':
      return node.elements.map((element) => {
        if (!element || element.type === 'SpreadElement') {
          throw new DynamicPropError(`${name}={${source}} is not a literal array`, position);
        }
        return toLiteral(element, name, source, position);
      });
    case 'ObjectExpression': {
      const result: Record<string, PropValue> = {};
      for (const property of node.properties) {
        if (property.type !== 'Property' || property.computed || property.value.type === 'AssignmentPattern') {
          throw new DynamicPropError(`${name}={${source}} is not a literal object`, position);
        }
        const key =
          property.key.type === 'Identifier' ? property.key.name : String((property.key as { value: unknown }).value);
        result[key] = toLiteral(property.value as Expression, name, source, position);
      }
      return result;
    }
  }
  throw new DynamicPropError(`${name}={${source}} is code, not a literal value`, position);
}
