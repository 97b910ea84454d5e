import { mapVariableReferences } from './variable-references.ts';

/** What every secret looks like wherever it is shown: fixed width, whatever the value. */
export const MASK = '••••••••';

export interface DisplayValue {
  known: boolean;
  secret: boolean;
  value?: string | undefined;
}

// A step's command as a person reads it: each {{name}} replaced by its value, shell-quoted for
// reading (never executed), secrets masked, unknown values left as {{name}}.
export function renderCommandForDisplay(template: string, lookup: (name: string) => DisplayValue): string {
  return mapVariableReferences(
    template,
    (literal) => literal,
    ({ name }) => {
      const value = lookup(name);
      return !value.known ? `{{${name}}}` : value.secret ? MASK : quoteForDisplay(value.value ?? '');
    },
  );
}

function quoteForDisplay(value: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
