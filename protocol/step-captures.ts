import type { CommandStepSpec } from './step.ts';

export interface CapturedVariable {
  name: string;
  secret: boolean;
  mayStartWithDash: boolean;
}

// Every variable a command step makes known: its captures from output, and the Secret keys it
// reads (always secret).
export function listStepCaptures(step: CommandStepSpec): CapturedVariable[] {
  return [
    ...step.captures.map((capture) => ({
      name: capture.name,
      secret: capture.secret,
      mayStartWithDash: capture.mayStartWithDash ?? false,
    })),
    ...step.kube.flatMap((block) =>
      block.kind === 'secret-key' ? [{ name: block.name, secret: true, mayStartWithDash: false }] : [],
    ),
  ];
}
