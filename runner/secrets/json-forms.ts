interface JsonStyle {
  /** Python's `json.dumps` default: every non-ASCII character as `\uXXXX`. */
  asciiOnly: boolean;
  /** Go's `encoding/json`: `<`, `>` and `&` as `\u003c`, `\u003e`, `\u0026`. */
  htmlSafe: boolean;
  /** PHP's `json_encode`: `/` as `\/`. */
  escapeSlash: boolean;
  upperHex: boolean;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeJson(value: string, style: JsonStyle): string {
  let escaped = '';
  for (let index = 0; index < value.length; index++) {
    const character = value[index] as string;
    const code = value.charCodeAt(index);
    const short = SHORT_ESCAPES[character];
    if (short) escaped += short;
    else if (character === '/' && style.escapeSlash) escaped += '\\/';
    else if (
      code < 0x20 ||
      (code > 0x7e && style.asciiOnly) ||
      code === 0x2028 ||
      code === 0x2029 ||
      (style.htmlSafe && '<>&'.includes(character))
    ) {
      const hex = code.toString(16).padStart(4, '0');
      escaped += `\\u${style.upperHex ? hex.toUpperCase() : hex}`;
    } else escaped += character;
  }
  return escaped;
}

// The value inside a JSON string, as the common encoders write it.
export function jsonForms(value: string): string[] {
  const forms = [JSON.stringify(value).slice(1, -1)];
  for (const asciiOnly of [false, true]) {
    for (const htmlSafe of [false, true]) {
      for (const escapeSlash of [false, true]) {
        for (const upperHex of [false, true])
          forms.push(escapeJson(value, { asciiOnly, htmlSafe, escapeSlash, upperHex }));
      }
    }
  }
  return forms;
}
