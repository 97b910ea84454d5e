import { findVariableReferences } from '../../protocol/index.ts';
import { MASK } from '../secrets/masker.ts';

// A step's command as the record shows it: each {{name}} replaced by its value, shell-quoted
// for reading (never executed), secrets masked, unknown values left as {{name}}.
export function renderCommandForRecord(
  template: string,
  lookup: (name: string) => { known: boolean; secret: boolean; value?: string | undefined },
): string {
  let result = '';
  let cursor = 0;
  for (const reference of findVariableReferences(template)) {
    result += template.slice(cursor, reference.start);
    const value = lookup(reference.name);
    result += !value.known ? `{{${reference.name}}}` : value.secret ? MASK : quoteForDisplay(value.value ?? '');
    cursor = reference.end;
  }
  return result + template.slice(cursor);
}

function quoteForDisplay(value: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
