// biome-ignore-all lint/suspicious/noControlCharactersInRegex: this file is about terminal control characters
import { describe, expect, it } from 'vitest';
import {
  escapeTerminalControls,
  incompleteTail,
  stripTerminalControls,
} from '../../../../runner/export/terminal-safe.ts';

const ESC = '\x1b';

// [name, input, stripped for Markdown, escaped for a log]
const CASES: [string, string, string, string][] = [
  ['plain text', 'ok: 3 pods\n\tready', 'ok: 3 pods\n\tready', 'ok: 3 pods\n\tready'],
  ['a colour', `${ESC}[1;31mred${ESC}[0m`, 'red', `${ESC}[1;31mred${ESC}[0m`],
  ['OSC 52 clipboard write (BEL)', `a${ESC}]52;c;cm0gLXJmIH4=\x07b`, 'ab', 'a\\x1b]52;c;cm0gLXJmIH4=\\x07b'],
  ['OSC 52 clipboard write (ST)', `a${ESC}]52;c;eA==${ESC}\\b`, 'ab', 'a\\x1b]52;c;eA==\\x1b\\b'],
  [
    'OSC 8 link',
    `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`,
    'click',
    '\\x1b]8;;https://evil.example\\x1b\\click\\x1b]8;;\\x1b\\',
  ],
  ['window title', `${ESC}]0;owned\x07x`, 'x', '\\x1b]0;owned\\x07x'],
  ['DCS string', `${ESC}P+q544e${ESC}\\x`, 'x', '\\x1bP+q544e\\x1b\\x'],
  ['APC string', `${ESC}_payload${ESC}\\x`, 'x', '\\x1b_payload\\x1b\\x'],
  ['PM and SOS strings', `${ESC}^pm${ESC}\\${ESC}Xsos${ESC}\\x`, 'x', '\\x1b^pm\\x1b\\\\x1bXsos\\x1b\\x'],
  ['cursor up and erase line', `secret${ESC}[1A${ESC}[2Kpublic`, 'secretpublic', 'secret\\x1b[1A\\x1b[2Kpublic'],
  ['clear screen', `${ESC}[2J${ESC}[Hx`, 'x', '\\x1b[2J\\x1b[Hx'],
  ['private mode (hide cursor)', `${ESC}[?25lx`, 'x', '\\x1b[?25lx'],
  ['reset terminal', `${ESC}cx`, 'x', '\\x1bcx'],
  ['C1 CSI as one character', 'a\x9b2Jb', 'ab', 'a\\x9b2Jb'],
  ['C1 OSC as one character', 'a\x9d52;c;eA==\x9cb', 'ab', 'a\\x9d52;c;eA==\\x9cb'],
  ['bell', 'a\x07b', 'ab', 'a\\x07b'],
  [
    'backspace overwrite',
    'rm -rf /\b\b\b\b\b\b\b\bls     ',
    'rm -rf /ls     ',
    'rm -rf /\\x08\\x08\\x08\\x08\\x08\\x08\\x08\\x08ls     ',
  ],
  ['carriage-return overwrite', 'evil\rgood', 'evilgood', 'evil\\x0dgood'],
  ['CRLF line ends', 'a\r\nb\r\n', 'a\nb\n', 'a\r\nb\r\n'],
  ['DEL and NUL', 'a\x7fb\x00c', 'abc', 'a\\x7fb\\x00c'],
  ['an unterminated OSC loses only its own line', `${ESC}]52;c;eA==\nnext`, '\nnext', '\\x1b]52;c;eA==\nnext'],
];

describe('terminal-safe text', () => {
  it.each(CASES)('%s', (_name, input, stripped, escaped) => {
    expect(stripTerminalControls(input)).toBe(stripped);
    expect(escapeTerminalControls(input)).toBe(escaped);
  });

  it('leaves no ESC, C1 or overwrite character in either form', () => {
    for (const [, input] of CASES) {
      expect(stripTerminalControls(input)).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      expect(escapeTerminalControls(input).replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(
        /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/,
      );
    }
  });

  it('holds back a chunk end that may continue: CR before LF, a colour not yet complete', () => {
    expect(incompleteTail('abc\r')).toBe(1);
    expect(incompleteTail(`abc${ESC}[1;3`)).toBe(5);
    expect(incompleteTail(`abc${ESC}`)).toBe(1);
    expect(incompleteTail('abc')).toBe(0);
  });
});
