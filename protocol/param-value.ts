// What an operator may type as a param or a manual step's value: one line of text. Newlines,
// other control characters (C0, DEL, C1) and the Unicode line and paragraph separators are
// refused, since a value is pasted into shell scripts and the record.
const CONTROL_CHARACTER = /[\p{Cc}\u2028\u2029]/u;

// The first control character in a value, described for the operator; null when there is none.
export function describeControlCharacter(value: string): string | null {
  const match = CONTROL_CHARACTER.exec(value);
  if (!match) return null;
  const code = (match[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
  const name = CONTROL_NAMES[match[0]] ?? 'a control character';
  return `contains ${name} (U+${code}) at position ${match.index + 1}; a value is one line of text without control characters`;
}

const CONTROL_NAMES: Record<string, string> = {
  '\0': 'a NUL byte',
  '\t': 'a tab',
  '\n': 'a newline',
  '\r': 'a carriage return',
  '\u001b': 'an escape character',
  '\u007f': 'a DEL character',
  '\u2028': 'a line separator',
  '\u2029': 'a paragraph separator',
};

// A declared pattern is matched against the whole value, as an HTML form's pattern attribute is:
// /^\/.+/ does not accept "/etc" followed by a second line.
export function matchesWholeValue(pattern: string, value: string): boolean {
  return new RegExp(`^(?:${pattern})$`, 'u').test(value);
}
