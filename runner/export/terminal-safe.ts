// biome-ignore-all lint/suspicious/noControlCharactersInRegex: this file is about terminal control characters
// Text a person will `cat` must not act on their terminal: no clipboard writes (OSC 52), links
// (OSC 8), titles, cursor moves, erases, device strings, or overwrite tricks with CR/BS.

// A string sequence: OSC, DCS, SOS, PM, APC (7-bit or C1 introducer), up to its terminator.
const STRING_SEQUENCE = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?/g;
const CONTROL_SEQUENCE = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?/g;
const OTHER_ESCAPE = /\x1b[\x20-\x2f]*[\x30-\x7e]?/g;
const SGR = /^\x1b\[[0-9;:]*m/;
// C0 controls but tab and newline, DEL and C1; CR only when it does not end a line.
const CONTROL_CHARACTER = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

// For Markdown and other documents: every control sequence and control character is removed,
// colours included; line breaks and tabs stay.
export function stripTerminalControls(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(STRING_SEQUENCE, '')
    .replace(CONTROL_SEQUENCE, '')
    .replace(OTHER_ESCAPE, '')
    .replace(UNSAFE, '');
}

// For logs: colours (SGR) stay, every other control character is shown as a visible escape
// (`\x1b]52;…\x07`), so the text still says what the program wrote.
export function escapeTerminalControls(text: string): string {
  let result = '';
  let index = 0;
  while (index < text.length) {
    const character = text[index] as string;
    if (character === '\x1b') {
      const colour = SGR.exec(text.slice(index, index + 64));
      if (colour) {
        result += colour[0];
        index += colour[0].length;
        continue;
      }
    }
    if (character === '\r' && text[index + 1] === '\n') result += '\r';
    else if (CONTROL_CHARACTER.test(character)) result += visibleEscape(character);
    else result += character;
    index += 1;
  }
  return result;
}

function visibleEscape(character: string): string {
  return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

// How much of a chunk's end to hold back because it may continue in the next chunk: a CR that
// may precede LF, or an ESC that may begin a colour.
export function incompleteTail(text: string): number {
  const match = /(?:\r|\x1b(?:\[[0-9;:]*)?)$/.exec(text);
  return match && match[0].length < 64 ? match[0].length : 0;
}
