import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MASK, SecretMasker } from '../../../../runner/secrets/masker.ts';

// Each encoding turns the text around a secret into what a tool prints, and names the part of
// that output that comes from the secret alone and so must never be seen.
interface Encoding {
  name: string;
  print: (before: string, secret: string, after: string) => string;
  secretPart: (before: string, secret: string) => string;
}

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const SECRET_CHARACTERS = [
  ...'abcXYZ0189',
  "'",
  '"',
  '\n',
  'é',
  '😀',
  '%',
  '/',
  '+',
  '=',
  ' ',
  '\\',
  '$',
  '&',
  '~',
  ':',
];
const SURROUNDING_CHARACTERS = [...'abcdefghij klmnop=/+:"\'\n%-_.', 'ü'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function word(random: () => number, characters: readonly string[], min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min + 1));
  return Array.from({ length }, () => pick(random, characters)).join('');
}

function randomSecret(random: () => number): string {
  // Starts and ends with a letter so that a trimmed line of it is still the secret.
  return `${pick(random, [...'kqw'])}${word(random, SECRET_CHARACTERS, 3, 14)}${pick(random, [...'xyz'])}`;
}

function base64Run(before: string, secret: string, toUrl: boolean): string {
  const offset = Buffer.byteLength(before) % 3;
  const bytes = Buffer.from(secret);
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  const run = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
  return toUrl ? run.replace(/\+/g, '-').replace(/\//g, '_') : run;
}

const wrap = (text: string, width: number) => text.replace(new RegExp(`(.{${width}})(?=.)`, 'gs'), '$1\n');
const hexOf = (text: string) => Buffer.from(text).toString('hex');

function percentEncode(text: string, kept: string, options: { plus?: boolean; lower?: boolean } = {}): string {
  return [...text]
    .map((character) => {
      if (/[A-Za-z0-9._-]/.test(character) || kept.includes(character)) return character;
      if (character === ' ' && options.plus) return '+';
      return [...Buffer.from(character)]
        .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
        .map((percentEscape) => (options.lower ? percentEscape : percentEscape.toUpperCase()))
        .join('');
    })
    .join('');
}

function percent(name: string, kept: string, options: { plus?: boolean; lower?: boolean } = {}): Encoding {
  return {
    name,
    print: (before, secret, after) => `GET /login?${percentEncode(before + secret + after, kept, options)}`,
    secretPart: (_before, secret) => percentEncode(secret, kept, options),
  };
}

const ENCODINGS: Encoding[] = [
  { name: 'as written', print: (b, s, a) => b + s + a, secretPart: (_b, s) => s },
  {
    name: 'base64 of text holding the secret',
    print: (b, s, a) => Buffer.from(b + s + a).toString('base64'),
    secretPart: (b, s) => base64Run(b, s, false),
  },
  {
    name: 'HTTP basic auth',
    print: (b, s, a) => `Authorization: Basic ${Buffer.from(`root${b}:${s}`).toString('base64')}${a}`,
    secretPart: (b, s) => base64Run(`root${b}:`, s, false),
  },
  {
    name: 'base64url of text holding the secret',
    print: (b, s, a) => Buffer.from(b + s + a).toString('base64url'),
    secretPart: (b, s) => base64Run(b, s, true),
  },
  {
    name: 'base64 wrapped at 76 columns',
    print: (b, s, a) => wrap(Buffer.from(b + s + a).toString('base64'), 76),
    secretPart: (b, s) => base64Run(b, s, false),
  },
  {
    name: 'base64 wrapped with CRLF (MIME)',
    print: (b, s, a) => wrap(Buffer.from(b + s + a).toString('base64'), 76).replace(/\n/g, '\r\n'),
    secretPart: (b, s) => base64Run(b, s, false),
  },
  percent('encodeURIComponent', "!~*'()"),
  percent('encodeURI', "!~*'();/?:@&=+$,#"),
  percent('every reserved character kept', "~:/?#[]@!$&'()*+,;="),
  percent("Python's quote", '~/'),
  percent("Python's quote_plus", '~', { plus: true }),
  percent('an HTML form', '*', { plus: true }),
  percent('lower-case hex', '~/', { lower: true }),
  {
    name: 'JSON.stringify',
    print: (b, s, a) => JSON.stringify({ value: b + s + a }),
    secretPart: (_b, s) => JSON.stringify(s).slice(1, -1),
  },
  {
    name: 'JSON with \\u escapes and \\/',
    print: (b, s, a) =>
      JSON.stringify({ value: b + s + a })
        .replace(/[\u007f-\uffff]/g, unicodeEscape)
        .replace(/\//g, '\\/'),
    secretPart: (_b, s) =>
      JSON.stringify(s)
        .slice(1, -1)
        .replace(/[\u007f-\uffff]/g, unicodeEscape)
        .replace(/\//g, '\\/'),
  },
  { name: 'hex', print: (b, s, a) => hexOf(b + s + a), secretPart: (_b, s) => hexOf(s) },
  {
    name: 'upper-case hex wrapped at 60 columns (xxd -p)',
    print: (b, s, a) => wrap(hexOf(b + s + a).toUpperCase(), 60),
    secretPart: (_b, s) => hexOf(s).toUpperCase(),
  },
];

function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// What bash itself prints for each secret: `printf %q`, `${v@Q}` and a `set -x` trace.
function bashQuotings(secrets: readonly string[]): string[][] {
  const script = `while IFS= read -r -d '' v; do
    printf '%q\\0' "$v"; printf '%s\\0' "\${v@Q}"; { set -x; : "$v"; } 2>&1; set +x; printf '\\0'
  done 2>/dev/null`;
  const result = spawnSync('bash', ['-c', script], {
    input: secrets.map((secret) => `${secret}\0`).join(''),
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
  const fields = result.stdout.toString('utf8').split('\0');
  return secrets.map((_secret, index) => fields.slice(index * 3, index * 3 + 3));
}

function streamInRandomChunks(masker: SecretMasker, text: string, random: () => number): string {
  const stream = masker.createStream();
  let output = '';
  for (let cursor = 0; cursor < text.length; ) {
    const size = random() < 0.3 ? 1 : 1 + Math.floor(random() * 40);
    output += stream.push(text.slice(cursor, cursor + size));
    cursor += size;
  }
  return output + stream.flush();
}

const withoutBreaks = (text: string) => text.replace(/[\r\n]/g, '');

function expectHidden(output: string, secretPart: string, context: unknown): void {
  expect(withoutBreaks(output), JSON.stringify(context)).not.toContain(withoutBreaks(secretPart));
  expect(output).toContain(MASK);
}

describe('the secret masker, for each encoding a secret is printed in', () => {
  it.each(ENCODINGS)('never lets the $name form through, whatever the chunking', (encoding) => {
    const random = seededRandom(encoding.name.length * 7919);
    for (let round = 0; round < 120; round++) {
      const secret = randomSecret(random);
      const before = word(random, SURROUNDING_CHARACTERS, 0, 30);
      const after = word(random, SURROUNDING_CHARACTERS, 0, 30);
      const masker = new SecretMasker();
      masker.register(secret);
      const printed = `log: ${encoding.print(before, secret, after)}\nnext line\n`;
      const context = { secret, before, after, printed };
      const whole = masker.mask(printed);
      expectHidden(whole, encoding.secretPart(before, secret), context);
      expect(streamInRandomChunks(masker, printed, random), JSON.stringify(context)).toBe(whole);
    }
  });

  it('never lets the forms bash prints through: printf %q, the @Q expansion and set -x traces', () => {
    const random = seededRandom(2024);
    const secrets = Array.from({ length: 150 }, () => randomSecret(random));
    const quotings = bashQuotings(secrets);
    secrets.forEach((secret, index) => {
      const masker = new SecretMasker();
      masker.register(secret);
      for (const quoted of quotings[index] as string[]) {
        expect(quoted.length, `bash printed nothing for ${JSON.stringify(secret)}`).toBeGreaterThan(0);
        const printed = `+ curl -u admin:${quoted} https://example.test\n`;
        const inner = quoted.replace(/^(\+ : )?\$?'?/, '').replace(/'?\n?$/, '');
        const whole = masker.mask(printed);
        expectHidden(whole, inner, { secret, quoted });
        expect(streamInRandomChunks(masker, printed, random)).toBe(whole);
      }
    });
  });

  it('masks a secret fed one character at a time in every encoding at once', () => {
    const secret = `p@ss w/rd+'q"=%é`;
    const masker = new SecretMasker();
    masker.register(secret);
    const printed = ENCODINGS.map((encoding) => encoding.print('user=admin&password=', secret, '&x=1')).join('\n');
    const stream = masker.createStream();
    const output = [...printed].map((character) => stream.push(character)).join('') + stream.flush();
    for (const encoding of ENCODINGS) {
      expect(withoutBreaks(output)).not.toContain(withoutBreaks(encoding.secretPart('user=admin&password=', secret)));
    }
  });
});
