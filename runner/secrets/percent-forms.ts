/** Characters no percent-encoder escapes. */
const ALWAYS_KEPT = /^[A-Za-z0-9._-]$/;
/** Up to this many distinct optional characters, every choice of which to keep is masked. */
const MAX_OPTIONAL = 4;
// The characters common encoders keep besides letters, digits and `._-`, for values with more
// optional characters than can be combined.
const KEPT_BY_ENCODERS = [
  '', // quote(safe=''), strict encoders
  '~', // RFC 3986 unreserved: quote_plus, curl --data-urlencode, Go QueryEscape
  '~/', // Python's quote
  '*', // URLSearchParams and HTML forms
  "!~*'()", // encodeURIComponent
  "!~*'();/?:@&=+$,#", // encodeURI
  "~:/?#[]@!$&'()*+,;=", // every reserved character kept
  "~!$&'()*+,;=:@", // Go PathEscape
];

function percentEncode(value: string, kept: ReadonlySet<string>, spaceAsPlus: boolean, upperHex: boolean): string {
  let encoded = '';
  for (const character of value) {
    if (ALWAYS_KEPT.test(character) || kept.has(character)) encoded += character;
    else if (character === ' ' && spaceAsPlus) encoded += '+';
    else {
      for (const byte of Buffer.from(character, 'utf8')) {
        const hex = byte.toString(16).padStart(2, '0');
        encoded += `%${upperHex ? hex.toUpperCase() : hex}`;
      }
    }
  }
  return encoded;
}

function subsets<T>(items: readonly T[]): T[][] {
  const all: T[][] = [[]];
  for (const item of items) {
    for (const subset of all.slice()) all.push([...subset, item]);
  }
  return all;
}

// Percent-encodings of the value, whatever set of reserved characters the encoder keeps (Python's
// `quote` keeps `/`, `encodeURI` keeps `:/?#@…`), with `+` or `%20` for a space, in either case.
export function percentForms(value: string): string[] {
  const optional = [...new Set(value)].filter((character) => character < '\x80' && !ALWAYS_KEPT.test(character));
  const keptSets = optional.length <= MAX_OPTIONAL ? subsets(optional) : KEPT_BY_ENCODERS.map((kept) => [...kept]);
  const forms: string[] = [];
  for (const kept of keptSets) {
    const keptSet = new Set(kept);
    for (const spaceAsPlus of [false, true]) {
      for (const upperHex of [true, false]) forms.push(percentEncode(value, keptSet, spaceAsPlus, upperHex));
    }
  }
  return forms;
}
