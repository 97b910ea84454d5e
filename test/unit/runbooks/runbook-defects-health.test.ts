import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandStepSpec, Manifest } from '../../../protocol/index.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../../helpers/fixtures.ts';

// `etcdctl endpoint health` (3.4 and 3.5) prints "… is healthy" and "… is unhealthy" on stderr: a
// check that looks for them on stdout never passes, or, looking for their absence, always does.
// Such a check must read stderr, or the command must merge it into stdout (2>&1).
const HEALTH_LINES = [
  'https://10.0.0.1:2379 is healthy: successfully committed proposal: took = 2.1ms',
  'https://10.0.0.2:2379 is unhealthy: failed to commit proposal: context deadline exceeded',
];

let manifest: Manifest;
beforeAll(async () => {
  manifest = (await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT)).manifest;
});

/** Each command that runs `endpoint health`, with its continuation lines joined. */
function healthCommands(script: string): string[] {
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => /\bendpoint health\b/.test(line) && !/^\s*#/.test(line));
}

/** Where the health lines of a step end up: stdout when every health command merges stderr. */
function healthStream(step: CommandStepSpec): 'stdout' | 'stderr' | 'mixed' {
  const merged = healthCommands(step.script).map((line) => /\bendpoint health\b[^|;&]*2>&1/.test(line));
  if (merged.every(Boolean)) return 'stdout';
  return merged.some(Boolean) ? 'mixed' : 'stderr';
}

/** The steps that read a health line from a stream it does not go to. */
function misreadHealth(): string[] {
  const wrong: string[] = [];
  for (const runbook of manifest.runbooks)
    for (const step of runbook.steps) {
      if (step.kind !== 'command' || healthCommands(step.script).length === 0) continue;
      const stream = healthStream(step);
      for (const { assert } of step.checks) {
        if (assert.kind !== 'regex') continue;
        const pattern = new RegExp(assert.pattern, assert.flags);
        if (!HEALTH_LINES.some((line) => pattern.test(line))) continue;
        if (assert.stream !== stream) wrong.push(`${runbook.slug}/${step.id}`);
      }
    }
  return [...new Set(wrong)];
}

describe('checks on `etcdctl endpoint health`', () => {
  it('read the health lines where etcdctl prints them (stderr, unless the command merges it)', () => {
    const steps = manifest.runbooks.flatMap((runbook) =>
      runbook.steps.filter((step) => step.kind === 'command' && healthCommands(step.script).length > 0),
    );
    expect(steps.length).toBeGreaterThanOrEqual(6);
    expect(misreadHealth()).toEqual([]);
  });

  it('tell a merged command from one that is not', () => {
    const step = (script: string) => ({ script }) as CommandStepSpec;
    expect(healthStream(step('etcdctl endpoint health 2>&1'))).toBe('stdout');
    expect(healthStream(step('etcdctl \\\n  --cacert=x endpoint health --cluster 2>&1 | tee out'))).toBe('stdout');
    expect(healthStream(step('etcdctl endpoint health\necho 2>&1'))).toBe('stderr');
    expect(healthStream(step('etcdctl endpoint health | grep healthy 2>&1'))).toBe('stderr');
    expect(healthStream(step('a endpoint health 2>&1\nb endpoint health'))).toBe('mixed');
  });
});
