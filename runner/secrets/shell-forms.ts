/** What bash's `printf %q` escapes with a backslash (bash 5.2). */
const BACKSLASHED = new Set(' \t!"$&\'()*,;<>?[\\]^`{|}');
const ANSI_C_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\x1b': '\\E',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  "'": "\\'",
  '\\': '\\\\',
};

// `printf %q` of printable text. Bash also escapes `~` where it would expand (first, after `=` or
// `:`) and `#` first; a first character is left bare, which the form matches either way (`\~ab`
// holds `~ab`), so the form is right wherever the value stands in a longer word.
function backslashQuote(value: string): string {
  let quoted = '';
  let previous = '';
  for (const character of value) {
    const expands = character === '~' && (previous === '=' || previous === ':');
    quoted += BACKSLASHED.has(character) || expands ? `\\${character}` : character;
    previous = character;
  }
  return quoted;
}

function octal(bytes: Uint8Array): string {
  return [...bytes].map((byte) => `\\${byte.toString(8).padStart(3, '0')}`).join('');
}

// Bash's `$'…'` quoting (`printf %q` and `${v@Q}` of a value with control characters); non-ASCII
// text is kept in a UTF-8 locale and written as octal bytes in the C locale.
function ansiCQuote(value: string, octalNonAscii: boolean): string {
  let quoted = '';
  for (const character of value) {
    const code = character.codePointAt(0) as number;
    const named = ANSI_C_ESCAPES[character];
    if (named) quoted += named;
    else if (code < 0x20 || code === 0x7f || (octalNonAscii && code > 0x7f)) {
      quoted += octal(Buffer.from(character, 'utf8'));
    } else quoted += character;
  }
  return quoted;
}

// The value as shells quote it: `printf %q` (backslashes or `$'…'`), `${v@Q}` and `set -x` traces
// (`'it'\''s'`), Python's `shlex.quote` (`'it'"'"'s'`).
export function shellForms(value: string): string[] {
  return [
    backslashQuote(value),
    value.replaceAll("'", "'\\''"),
    value.replaceAll("'", `'"'"'`),
    ansiCQuote(value, false),
    ansiCQuote(value, true),
  ];
}
