import { describe, expect, it } from 'vitest';
import { isMaskable, MASK, SecretMasker } from '../../../../runner/secrets/masker.ts';
import { runTemplate } from '../../../helpers/run-script.ts';

const SECRET = 'hunter2-Sup3r/s3cret+value';

function masker(...secrets: string[]): SecretMasker {
  const instance = new SecretMasker();
  for (const secret of secrets) instance.register(secret);
  return instance;
}

describe('the secret masker', () => {
  it.each([
    ['exact', SECRET],
    ['with a trailing newline', `${SECRET}\n`],
    ['base64', Buffer.from(SECRET).toString('base64')],
    ['base64 of the value with a newline', Buffer.from(`${SECRET}\n`).toString('base64')],
    ['URL-safe base64', Buffer.from(SECRET).toString('base64url')],
    ['unpadded base64', Buffer.from(SECRET).toString('base64').replace(/=+$/, '')],
    ['URL-encoded', encodeURIComponent(SECRET)],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
  ])('masks the %s form', (_name, form) => {
    const output = masker(SECRET).mask(`before ${form} after`);
    expect(output).toBe(`before ${MASK}${form.endsWith('\n') ? '\n' : ''} after`);
    expect(output).not.toContain('hunter2');
  });

  it('masks each line of a multi-line secret, and a value registered with a trailing newline', () => {
    const certificate = '-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END KEY-----\n';
    const output = masker(certificate).mask(`key line: MIIBOgIBAAJBAKj34GkxFhD9 and the whole:\n${certificate}`);
    expect(output).not.toContain('MIIBOgIBAAJBAKj34GkxFhD9');
    expect(masker('abc-secret\n').mask('value=abc-secret;')).toBe(`value=${MASK};`);
  });

  it('masks JSON escapes of quotes and backslashes', () => {
    const secret = 'pa"ss\\word';
    const output = masker(secret).mask(JSON.stringify({ password: secret }));
    expect(output).toBe(`{"password":"${MASK}"}`);
  });

  it('uses a fixed-width mask whatever the secret length', () => {
    const m = masker('short-1', 'a-much-longer-secret-value-of-sixty-characters-or-thereabouts');
    expect(m.mask('short-1')).toBe(MASK);
    expect(m.mask('a-much-longer-secret-value-of-sixty-characters-or-thereabouts')).toBe(MASK);
  });

  it('catches a secret split across every possible chunk boundary', () => {
    const m = masker(SECRET);
    const text = `log: ${SECRET} and ${Buffer.from(SECRET).toString('base64')} end`;
    for (let cut = 0; cut <= text.length; cut++) {
      const stream = m.createStream();
      const output = stream.push(text.slice(0, cut)) + stream.push(text.slice(cut)) + stream.flush();
      expect(output).toBe(`log: ${MASK} and ${MASK} end`);
    }
  });

  it('catches a secret written one byte at a time', () => {
    const stream = masker(SECRET).createStream();
    let output = '';
    for (const character of `x${SECRET}y`) output += stream.push(character);
    output += stream.flush();
    expect(output).toBe(`x${MASK}y`);
  });

  it('masks a secret that ends with its own first character, at the end of a chunk', () => {
    const stream = masker('ak-9f8e7d6c5b4a').createStream();
    const output = [...'ak-9f8e7d6c5b4a\n'].map((character) => stream.push(character)).join('') + stream.flush();
    expect(output).toBe(`${MASK}\n`);
  });

  it('streams exactly what masking the whole text gives, for random secrets and chunkings', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const alphabet = 'abcab=+/\n"';
    const word = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let round = 0; round < 300; round++) {
      const secrets = [word(3 + Math.floor(random() * 6)), word(3 + Math.floor(random() * 6))];
      const m = masker(...secrets);
      const text = Array.from({ length: 8 }, () => (random() < 0.4 ? secrets[Math.floor(random() * 2)] : word(4))).join(
        '',
      );
      const stream = m.createStream();
      let output = '';
      for (let cursor = 0; cursor < text.length; ) {
        const size = 1 + Math.floor(random() * 5);
        output += stream.push(text.slice(cursor, cursor + size));
        cursor += size;
      }
      output += stream.flush();
      expect(output, JSON.stringify({ secrets, text })).toBe(m.mask(text));
    }
  });

  it('releases text that cannot be a secret without waiting', () => {
    const stream = masker(SECRET).createStream();
    expect(stream.push('plain text, no secret here\n')).toBe('plain text, no secret here\n');
    expect(stream.push('ends with hun')).toBe('ends with ');
    expect(stream.push('gry')).toBe('hungry');
  });

  it('ignores values too short to mask safely', () => {
    expect(masker('ab').mask('abc')).toBe('abc');
  });

  it('tells the caller when a secret is too short to be masked safely', () => {
    expect(new SecretMasker().register('abc')).toEqual({ maskable: false });
    expect(new SecretMasker().register(' ab\n')).toEqual({ maskable: false });
    expect(new SecretMasker().register('😀😀😀')).toEqual({ maskable: false });
    expect(new SecretMasker().register('abcd')).toEqual({ maskable: true });
    expect(isMaskable('abc')).toBe(false);
    expect(isMaskable('abcd')).toBe(true);
  });

  it('masks base64 of text that holds the secret, such as an HTTP basic auth header', () => {
    for (const user of ['root', 'admin', 'ops-1']) {
      const header = `Authorization: Basic ${Buffer.from(`${user}:${SECRET}`).toString('base64')}`;
      const output = masker(SECRET).mask(header);
      expect(output).toContain(MASK);
      expect(output.length).toBeLessThan(header.length - 20);
    }
  });

  it('masks a base64 form that a line break splits, and merges overlapping forms into one mask', () => {
    const encoded = Buffer.from(`padding-padding-padding-padding-padding-padding-pad:${SECRET}`).toString('base64');
    const wrapped = `${encoded.slice(0, 76)}\n${encoded.slice(76)}`;
    expect(masker(SECRET).mask(wrapped).split(MASK)).toHaveLength(2);
    expect(masker('abcdef', 'defghi').mask('xabcdefghiy')).toBe(`x${MASK}y`);
  });

  it('masks a long key as one mask in each form, and registers it quickly', () => {
    const body = Array.from({ length: 2400 }, (_, index) => 'Ab3+/x=Q9z'[(index * 7) % 10]).join('');
    const key = `-----BEGIN KEY-----\n${body.replace(/(.{64})/g, '$1\n')}\n-----END KEY-----\n`;
    const started = performance.now();
    const m = masker(key);
    expect(performance.now() - started).toBeLessThan(5000);
    for (const form of [
      key,
      Buffer.from(`secret:${key}`)
        .toString('base64')
        .replace(/(.{76})/g, '$1\n'),
      encodeURIComponent(key),
      JSON.stringify(key),
    ]) {
      const output = m.mask(`<${form}>`);
      expect(output.split(MASK), output.slice(0, 300)).toHaveLength(2);
      expect(output.length).toBeLessThan(80);
    }
  });

  it('masks the percent-encodings that keep reserved characters, in either case of hex', () => {
    const secret = 'p@ss/w rd+=';
    for (const form of ['p%40ss/w%20rd%2B%3D', 'p@ss/w%20rd+=', 'p%40ss%2Fw+rd%2B%3D', 'p%40ss/w%20rd%2b%3d']) {
      expect(masker(secret).mask(`url=${form}&next`)).toBe(`url=${MASK}&next`);
    }
  });

  it('masks shell-quoted forms of a value holding a quote', () => {
    const secret = "it's-a-s3cret";
    for (const form of ["it\\'s-a-s3cret", "'it'\\''s-a-s3cret'", `$'it\\'s-a-s3cret'`, `'it'"'"'s-a-s3cret'`]) {
      expect(masker(secret).mask(`+ login ${form}`)).not.toContain('s3cret');
    }
  });

  it('masks a secret a real process writes one byte at a time, fed to the stream byte by byte', async () => {
    const m = masker(SECRET);
    const stream = m.createStream();
    const chunks: string[] = [];
    const run = await runTemplate(
      `s='${SECRET}'; for ((i = 0; i < \${#s}; i++)); do printf '%s' "\${s:i:1}"; sleep 0.01; done; echo`,
      {},
      { onSpawn: () => undefined },
    );
    // Feed the bytes as the process produced them: one chunk per byte.
    for (const byte of run.stdout) chunks.push(stream.push(String.fromCharCode(byte)));
    chunks.push(stream.flush());
    expect(chunks.join('')).toBe(`${MASK}\n`);
    expect(chunks.some((chunk) => chunk.includes('hunter'))).toBe(false);
  });
});
