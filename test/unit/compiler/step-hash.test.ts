import { describe, expect, it } from 'vitest';
import type { RunbookSpec } from '../../../protocol/index.ts';
import { compileRunbookSource } from '../../../site/compiler/compile-runbook.ts';
import { readFixture } from '../../helpers/fixtures.ts';

async function compile(source: string): Promise<RunbookSpec> {
  const result = await compileRunbookSource(source, 'every-block.mdx');
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.runbook;
}

function hashes(runbook: RunbookSpec): Record<string, string> {
  return Object.fromEntries(runbook.steps.map((step) => [step.id, step.hash]));
}

// Each edit touches the step "list-releases" (or "approve") only.
const STEP_EDITS: [string, string, string][] = [
  ['script', 'helm list -n "{{namespace}}"', 'helm list -a -n "{{namespace}}"'],
  ['title', 'title="List Helm releases"', 'title="List the Helm releases"'],
  [
    'risk',
    'id="list-releases" title="List Helm releases" risk="read"',
    'id="list-releases" title="List Helm releases" risk="change"',
  ],
  ['timeout', 'timeout="1m"', 'timeout="2m"'],
  ['capture', 'where="STATUS=deployed"', 'where="STATUS=failed"'],
  ['check', '<Check exit={0} />', '<Check exit={1} />'],
];

describe('step hashes', () => {
  it('are sha256 hex and stable across builds', async () => {
    const source = await readFixture('good-runbooks/every-block.mdx');
    const first = await compile(source);
    const second = await compile(source);
    expect(hashes(first)).toEqual(hashes(second));
    expect(first.contentHash).toBe(second.contentHash);
    for (const hash of Object.values(hashes(first))) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(Object.values(hashes(first))).size).toBe(first.steps.length);
  });

  it.each(STEP_EDITS)('change when the %s of a step changes, and only for that step', async (_what, from, to) => {
    const source = await readFixture('good-runbooks/every-block.mdx');
    expect(source).toContain(from);
    const before = hashes(await compile(source));
    const after = hashes(await compile(source.replace(from, to)));
    expect(after['list-releases']).not.toBe(before['list-releases']);
    for (const id of Object.keys(before).filter((key) => key !== 'list-releases')) expect(after[id]).toBe(before[id]);
  });

  it('change for a manual step when its instruction changes', async () => {
    const source = await readFixture('good-runbooks/every-block.mdx');
    const before = hashes(await compile(source));
    const after = hashes(await compile(source.replace('Ask the on-call lead', 'Ask the incident lead')));
    expect(after.approve).not.toBe(before.approve);
    expect(after['list-releases']).toBe(before['list-releases']);
  });

  it('do not change when only prose outside steps changes, but the runbook content hash does', async () => {
    const source = await readFixture('good-runbooks/every-block.mdx');
    const before = await compile(source);
    const after = await compile(source.replace('Intro prose mentions', 'The intro mentions'));
    expect(hashes(after)).toEqual(hashes(before));
    expect(after.contentHash).not.toBe(before.contentHash);
  });
});
