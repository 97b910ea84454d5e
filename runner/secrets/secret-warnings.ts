import type { RunEvent } from '../../protocol/index.ts';
import { isMaskable } from './masker.ts';

export function isTooShortToMask(value: string): boolean {
  return !isMaskable(value);
}

// Records a visible warning when a secret is too short to be masked safely.
export async function warnIfTooShort(
  run: { record(event: RunEvent): Promise<unknown> },
  name: string,
  value: string,
  stepId: string | null = null,
): Promise<void> {
  if (!isTooShortToMask(value)) return;
  await run.record({
    type: 'warning',
    stepId,
    name,
    message: `the secret {{${name}}} is ${value.length === 0 ? 'empty' : `only ${value.length} characters long`}: it cannot be masked safely and may appear in output, logs and exports`,
  });
}
