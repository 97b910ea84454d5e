import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../protocol/index.ts';
import { compileRunbooks } from '../../../site/compiler/compile-runbooks.ts';
import { ROOT } from '../../helpers/fixtures.ts';

// Steps run with pipefail. `… | grep -q PATTERN` exits at the first match, so the writer may die of
// SIGPIPE and fail the pipeline although the pattern matched: a test that is true only sometimes
// (it made deckhouse-etcd-restore download etcdctl it already had). `grep … >/dev/null` reads all.
const QUIET_GREP_IN_PIPE = /\|\s*grep\s+(-[A-Za-z]*q[A-Za-z]*|--quiet|--silent)\b/;

let manifest: Manifest;
beforeAll(async () => {
  manifest = (await compileRunbooks(path.join(ROOT, 'content/runbooks'), ROOT)).manifest;
});

describe('the runbooks under pipefail', () => {
  it('is right to refuse `| grep -q`: the pipeline fails although the pattern matched', () => {
    const ran = spawnSync('bash', ['-c', 'set -o pipefail; seq 1 200000 | grep -q 1'], { encoding: 'utf8' });
    expect(ran.status).toBe(141);
  });

  it('never end a pipeline with a quiet grep', () => {
    const found = manifest.runbooks.flatMap((runbook) =>
      runbook.steps.flatMap((step) =>
        step.kind === 'command' && QUIET_GREP_IN_PIPE.test(step.script.replace(/\\\n/g, ' '))
          ? [`${runbook.slug}/${step.id}`]
          : [],
      ),
    );
    expect(found).toEqual([]);
  });
});
