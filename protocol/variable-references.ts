// The one variable syntax, `{{name}}`, shared by commands, prose and props. No dependencies, so
// the browser can use it without bundling a schema library.
export const VARIABLE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

const REFERENCE_PATTERN = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export interface VariableReference {
  name: string;
  /** Offset of the opening `{{` in the text. */
  start: number;
  /** Offset just past the closing `}}`. */
  end: number;
}

export function findVariableReferences(text: string): VariableReference[] {
  return [...text.matchAll(REFERENCE_PATTERN)].map((match) => ({
    name: match[1] as string,
    start: match.index,
    end: match.index + match[0].length,
  }));
}

// Replaces every {{name}} in a text; `replace` gets the name and the reference as written.
export function replaceVariableReferences(text: string, replace: (name: string, written: string) => string): string {
  return text.replace(REFERENCE_PATTERN, (written, name: string) => replace(name, written));
}

export function listVariableNames(text: string): string[] {
  return [...new Set(findVariableReferences(text).map((reference) => reference.name))];
}

// Rebuilds a text from its pieces: each literal run and each {{name}} reference, mapped apart.
export function mapVariableReferences(
  text: string,
  mapLiteral: (literal: string) => string,
  mapReference: (reference: VariableReference) => string,
): string {
  let result = '';
  let cursor = 0;
  for (const reference of findVariableReferences(text)) {
    result += mapLiteral(text.slice(cursor, reference.start)) + mapReference(reference);
    cursor = reference.end;
  }
  return result + mapLiteral(text.slice(cursor));
}
