import { describe, expect, it } from 'vitest';
import { type CommandStepSpec, ManifestSchema, type RunbookSpec } from '../../../protocol/index.ts';
import { compileFixture } from '../../helpers/fixtures.ts';

async function compileGood(): Promise<RunbookSpec> {
  const result = await compileFixture('good-runbooks/every-block.mdx');
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  return result.runbook;
}

function commandStep(runbook: RunbookSpec, id: string): CommandStepSpec {
  const step = runbook.steps.find((item) => item.id === id);
  if (step?.kind !== 'command') throw new Error(`no command step ${id}`);
  return step;
}

describe('a runbook that uses every block', () => {
  it('yields a manifest entry that the protocol schema accepts', async () => {
    const runbook = await compileGood();
    expect(() => ManifestSchema.parse({ schemaVersion: 1, runbooks: [runbook] })).not.toThrow();
    expect(runbook.slug).toBe('every-block');
    expect(runbook.meta.tools).toEqual([{ name: 'kubectl' }, { name: 'helm', version: '>=3.12' }]);
    expect(runbook.steps.map((step) => `${step.kind}:${step.id}`)).toEqual([
      'command:list-releases',
      'command:read-password',
      'command:find-pod',
      'command:member-list',
      'command:wait-ready',
      'manual:approve',
      'command:node-stop',
      'command:check-stderr',
    ]);
  });

  it('keeps params with their validation and secrecy', async () => {
    const { params } = await compileGood();
    expect(params).toEqual([
      {
        name: 'namespace',
        label: 'Namespace',
        description: 'Where etcd runs.',
        default: 'etcd',
        example: 'etcd',
        pattern: '^[a-z0-9-]+$',
        secret: false,
        required: true,
      },
      {
        name: 'environment',
        label: 'Environment',
        enum: ['staging', 'production'],
        default: 'staging',
        secret: false,
        required: true,
      },
      { name: 'adminToken', label: 'Admin token', secret: true, required: false },
    ]);
  });

  it('normalises every kind of capture', async () => {
    const runbook = await compileGood();
    expect(commandStep(runbook, 'list-releases').captures[0]).toEqual({
      name: 'release',
      label: 'Etcd release',
      source: 'stdout',
      extract: { kind: 'table-column', column: 'NAME', where: { column: 'STATUS', equals: 'deployed' } },
      transforms: [],
      validate: { allowEmpty: false },
      pick: 'operator',
      secret: false,
    });
    const password = commandStep(runbook, 'read-password').captures[0];
    expect(password?.extract).toEqual({ kind: 'jsonpath', path: '$.data.etcd-root-password' });
    expect(password?.transforms).toEqual(['base64-decode', 'trim']);
    expect(password?.secret).toBe(true);
    const [pod, exitCode] = commandStep(runbook, 'find-pod').captures;
    expect(pod?.extract).toEqual({ kind: 'regex', pattern: 'pod/(?<name>[a-z0-9-]+)', flags: '', group: 'name' });
    expect(pod?.pick).toBe('first');
    expect(exitCode).toMatchObject({ source: 'exitCode', extract: { kind: 'whole' } });
    expect(commandStep(runbook, 'node-stop').captures[0]).toMatchObject({
      extract: { kind: 'whole' },
      validate: { pattern: '^/etc', allowEmpty: false },
    });
  });

  it('normalises checks, including the wait form', async () => {
    const runbook = await compileGood();
    expect(commandStep(runbook, 'list-releases').checks).toEqual([
      { label: 'exit code is 0', assert: { kind: 'exit-code', equals: 0 }, wait: null, advisory: false },
    ]);
    expect(commandStep(runbook, 'member-list').checks).toEqual([
      {
        label: '$.members[*].name count is 3',
        assert: {
          kind: 'jsonpath',
          stream: 'stdout',
          path: '$.members[*].name',
          comparison: { op: 'count', value: 3 },
          quantifier: 'all',
        },
        wait: null,
        advisory: false,
      },
      {
        label: 'stdout does not match /unhealthy/',
        assert: { kind: 'regex', stream: 'stdout', pattern: 'unhealthy', flags: '', present: false },
        wait: null,
        advisory: false,
      },
    ]);
    expect(commandStep(runbook, 'wait-ready').checks[0]).toEqual({
      label: 'every pod is Running',
      assert: {
        kind: 'jsonpath',
        stream: 'stdout',
        path: '$.items[*].status.phase',
        comparison: { op: 'equals', value: 'Running' },
        quantifier: 'all',
      },
      wait: { timeoutMs: 300_000, intervalMs: 5000 },
      advisory: false,
    });
    expect(commandStep(runbook, 'check-stderr').checks[0]?.assert).toEqual({
      kind: 'regex',
      stream: 'stderr',
      pattern: 'is healthy',
      flags: 'i',
      present: true,
    });
  });

  it('records targets, timeouts, risk and the variables each step needs', async () => {
    const runbook = await compileGood();
    const listReleases = commandStep(runbook, 'list-releases');
    expect(listReleases).toMatchObject({
      risk: 'read',
      timeoutMs: 60_000,
      idleTimeoutMs: 30_000,
      target: { kind: 'local' },
    });
    expect(listReleases.script).toBe('helm list -n "{{namespace}}"');
    expect(listReleases.references).toEqual(['namespace']);
    const memberList = commandStep(runbook, 'member-list');
    expect(memberList.target).toEqual({ kind: 'pod', pod: '{{pod}}', namespace: '{{namespace}}', container: 'etcd' });
    expect(memberList.references.sort()).toEqual(['namespace', 'pod', 'rootPassword']);
    expect(memberList.timeoutMs).toBe(600_000);
    const nodeStop = commandStep(runbook, 'node-stop');
    expect(nodeStop).toMatchObject({
      risk: 'destructive',
      target: { kind: 'node', host: 'cp-1.example', user: 'admin' },
    });
    expect(nodeStop.references).toEqual(['changeTicket']);
  });

  it('turns a manual block into an instruction with an operator-entered value', async () => {
    const runbook = await compileGood();
    const manual = runbook.steps.find((step) => step.id === 'approve');
    expect(manual).toMatchObject({
      kind: 'manual',
      title: 'Get approval',
      instruction: 'Ask the on-call lead for approval in {{environment}} and enter the ticket.',
      references: ['environment'],
      input: { name: 'changeTicket', label: 'Change ticket', pattern: '^CHG-[0-9]+$', secret: false },
    });
  });
});
