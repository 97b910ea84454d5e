import { replaceVariableReferences } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

// A shell="none" step's argv with each {{x}} replaced by its value. No shell ever reads it, so a
// value is data whatever it holds; only an argument that starts with a value could turn it into
// an option, so there a value starting with "-" is refused unless declared mayStartWithDash.
export function renderArgv(
  argv: readonly string[],
  values: ReadonlyMap<string, string>,
  options: { stepId: string; mayStartWithDash: ReadonlySet<string> },
): string[] {
  return argv.map((template, position) =>
    replaceVariableReferences(template, (name, written) => {
      const value = values.get(name);
      if (value === undefined) throw new RunnerError('MISSING_VALUES', `step "${options.stepId}" needs {{${name}}}`);
      if (value.includes('\0'))
        throw new RunnerError('INVALID_VALUE', `{{${name}}} contains a NUL byte, which no argument can hold`);
      const leads = position > 0 && template.startsWith(written);
      if (leads && value.startsWith('-') && !options.mayStartWithDash.has(name)) {
        throw new RunnerError(
          'RENDER_REFUSED',
          `step "${options.stepId}": {{${name}}} starts with "-" where ${argv[0]} would read it as an option`,
        );
      }
      return value;
    }),
  );
}
