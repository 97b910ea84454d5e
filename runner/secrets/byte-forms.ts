const LINE_FEED = Buffer.from('\n');

function toBase64Url(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_');
}

// Base64 of a value on its own (with or without padding, of the value with a trailing newline,
// standard and URL-safe), and of any longer text holding it, as GitHub's runner masks it: the
// value's bytes can start at any of three offsets in a 3-byte group, and for each offset the
// run of digits made only of the value's bits is the same whatever surrounds it.
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (const whole of [bytes, Buffer.concat([bytes, LINE_FEED])]) {
    const encoded = whole.toString('base64');
    forms.push(encoded, encoded.replace(/=+$/, ''), toBase64Url(encoded));
  }
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const inner = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    forms.push(inner, toBase64Url(inner));
  }
  return forms;
}

// Hex of the value's bytes, lower and upper case (`xxd -p`, `od`-free dumps, hashes of keys).
export function hexForms(value: string): string[] {
  const hex = Buffer.from(value, 'utf8').toString('hex');
  return [hex, hex.toUpperCase()];
}
