import { replaceVariableReferences, type StepTarget } from '../../protocol/index.ts';
import { RunnerError } from '../errors.ts';

// What a filled-in target prop may be. None of them reaches a shell: pod, namespace and container
// are path segments of the exec request, host and user are ssh arguments after "--" and "-l".
// Still, each must be a name of its kind, so a value cannot start with "-" or carry a separator.
const NAME_RULES: Record<string, { pattern: RegExp; what: string }> = {
  pod: { pattern: /^(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, what: 'a pod name (DNS subdomain)' },
  namespace: { pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, what: 'a namespace (DNS label)' },
  container: { pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, what: 'a container name (DNS label)' },
  host: {
    pattern: /^(?=.{1,253}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?|\[?[0-9A-Fa-f:.]+\]?)$/,
    what: 'a host name or IP address',
  },
  user: { pattern: /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/, what: 'a user name' },
};

// A step's target with each {{name}} in its props replaced by the run's value, checked to be a
// name of its kind: the pod a capture found, the node the operator picked.
export function resolveStepTarget(target: StepTarget, values: ReadonlyMap<string, string>, stepId: string): StepTarget {
  if (target.kind === 'local') return target;
  const resolved: Record<string, string> = {};
  for (const [key, template] of Object.entries(target)) {
    if (key === 'kind' || typeof template !== 'string') continue;
    const value = replaceVariableReferences(template, (name) => {
      const known = values.get(name);
      if (known === undefined)
        throw new RunnerError('MISSING_VALUES', `step "${stepId}" needs {{${name}}} for its ${key}`);
      return known;
    });
    if (key !== 'nodes') assertTargetName(key, value, stepId);
    resolved[key] = value;
  }
  return { ...target, ...resolved } as StepTarget;
}

// Refuses a target prop's value that is not a name of its kind (a host that would be an option).
export function assertTargetName(key: string, value: string, stepId: string): void {
  const rule = NAME_RULES[key];
  if (rule && !rule.pattern.test(value)) {
    throw new RunnerError(
      'RENDER_REFUSED',
      `step "${stepId}" runs on ${key} ${JSON.stringify(value.slice(0, 80))}, which is not ${rule.what}`,
    );
  }
}
