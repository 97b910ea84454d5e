import { describe, expect, it } from 'vitest';
import {
  type CaptureProps,
  CapturePropsSchema,
  type CaptureSpec,
  type CheckProps,
  CheckPropsSchema,
  type CheckSpec,
  RegexSourceSchema,
} from '../../../../protocol/index.ts';
import { extractCapture, type StepOutput } from '../../../../runner/capture/extract-capture.ts';
import { parseTable } from '../../../../runner/capture/parse-table.ts';
import { evaluateCheck } from '../../../../runner/checks/evaluate-check.ts';

const out = (stdout: string, extra: Partial<StepOutput> = {}): StepOutput => ({
  stdout,
  stderr: '',
  exitCode: 0,
  ...extra,
});
const resolveWith = (values: Record<string, string>) => (text: string) =>
  text.replace(/\{\{(\w+)\}\}/g, (_, name) => values[name] ?? '');
const capture = (props: Omit<CaptureProps, 'name'>, output: StepOutput, values: Record<string, string> = {}) =>
  extractCapture(CapturePropsSchema.parse({ name: 'v', ...props }), output, resolveWith(values));
const check = (props: CheckProps, output: StepOutput, values: Record<string, string> = {}) =>
  evaluateCheck(CheckPropsSchema.parse(props), output, resolveWith(values));

const KUBECTL = `NAME     READY   STATUS    RESTARTS   AGE
etcd-0   1/1     Running   0          5m
etcd-1   1/1     Running   2          5m
etcd-2   0/1     Pending   0          1m
`;
const HELM =
  'NAME     \tNAMESPACE\tREVISION\tUPDATED                                \tSTATUS  \tCHART     \tAPP VERSION\netcd     \tstorage  \t3       \t2026-11-01 10:00:00.1 +0000 UTC\tdeployed\tetcd-9.0.0\t3.5.9\n';
const ETCD_TABLE = `+------------------+---------+--------+
|        ID        | STATUS  |  NAME  |
+------------------+---------+--------+
| 8e9e05c52164694d | started | node-1 |
| 91bc3c398fb3c146 | started | node-2 |
+------------------+---------+--------+
`;

describe('tables', () => {
  it('reads kubectl, helm (tabs) and etcdctl box tables by header', () => {
    expect(parseTable(KUBECTL).rows.map((row) => row.STATUS)).toEqual(['Running', 'Running', 'Pending']);
    expect(parseTable(HELM).rows[0]).toMatchObject({
      NAME: 'etcd',
      UPDATED: '2026-11-01 10:00:00.1 +0000 UTC',
      'APP VERSION': '3.5.9',
    });
    expect(parseTable(ETCD_TABLE).rows.map((row) => row.NAME)).toEqual(['node-1', 'node-2']);
  });
});

describe('captures', () => {
  it('regex with a named group, a numbered group, and the whole match', () => {
    expect(capture({ regex: 'release: (?<name>\\S+)' }, out('release: etcd-main\n'))).toEqual({
      kind: 'value',
      value: 'etcd-main',
    });
    expect(capture({ regex: 'port (\\d+)', group: 1 }, out('port 2379'))).toEqual({ kind: 'value', value: '2379' });
    expect(capture({ regex: '\\d+\\.\\d+', pick: 'first' }, out('5.10 and 6.1'))).toEqual({
      kind: 'value',
      value: '5.10',
    });
  });

  it('JSONPath over JSON output, stringifying non-strings', () => {
    const json = JSON.stringify({ spec: { ports: [{ port: 2379 }] }, data: { password: 'czNjcjN0' } });
    expect(capture({ jsonpath: '$.spec.ports[0].port' }, out(json))).toEqual({ kind: 'value', value: '2379' });
    expect(capture({ jsonpath: '$.data.password', transform: 'base64-decode' }, out(json))).toEqual({
      kind: 'value',
      value: 's3cr3t',
    });
  });

  it('a table column, filtered by another column, with candidates for the operator', () => {
    expect(capture({ column: 'NAME', where: 'STATUS=Running' }, out(KUBECTL))).toEqual({
      kind: 'candidates',
      candidates: ['etcd-0', 'etcd-1'],
    });
    expect(capture({ column: 'NAME', where: 'STATUS=Pending' }, out(KUBECTL))).toEqual({
      kind: 'value',
      value: 'etcd-2',
    });
  });

  it('picks first, last, latest, or fails when only one was expected', () => {
    const files = out('snapshot-2026-11-02.db\nsnapshot-2026-11-10.db\nsnapshot-2026-11-09.db\n');
    const props = { regex: 'snapshot-[0-9-]+\\.db' };
    expect(capture({ ...props, pick: 'first' }, files)).toEqual({ kind: 'value', value: 'snapshot-2026-11-02.db' });
    expect(capture({ ...props, pick: 'last' }, files)).toEqual({ kind: 'value', value: 'snapshot-2026-11-09.db' });
    expect(capture({ ...props, pick: 'latest' }, files)).toEqual({ kind: 'value', value: 'snapshot-2026-11-10.db' });
    expect(capture({ ...props, pick: 'only' }, files)).toMatchObject({ kind: 'failed' });
  });

  it('whole output, stderr, exit code', () => {
    expect(capture({ whole: true }, out('  10.0.0.1:2379 \n'))).toEqual({ kind: 'value', value: '10.0.0.1:2379' });
    expect(capture({ from: 'stderr', regex: 'took (\\d+)ms' }, out('', { stderr: 'took 12ms' }))).toEqual({
      kind: 'value',
      value: '12',
    });
    expect(capture({ from: 'exitCode' }, out('', { exitCode: 3 }))).toEqual({ kind: 'value', value: '3' });
  });

  it('fails with what was expected and an excerpt of what came', () => {
    const result = capture({ regex: 'release: (\\S+)' }, out('Error: no releases found'));
    expect(result).toEqual({
      kind: 'failed',
      message:
        'capture {{v}}: /release: (\\S+)/ on stdout found no value that is not empty. The stdout began: "Error: no releases found"',
    });
    expect(capture({ jsonpath: '$.a' }, out('not json'))).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/could not read the output/),
    });
    expect(capture({ whole: true, pattern: '^[0-9]+$' }, out('abc'))).toMatchObject({
      kind: 'failed',
      message: expect.stringMatching(/matching \/\^\[0-9\]\+\$\//),
    });
  });

  it('never shows the output of a failed secret capture', () => {
    const result = capture(
      { jsonpath: '$.data.password', transform: 'base64-decode', secret: true },
      out('{"data":{"password":"!!notbase64"}}'),
    );
    expect(result).toMatchObject({ kind: 'failed' });
    expect(JSON.stringify(result)).not.toContain('notbase64');
  });
});

describe('checks', () => {
  it('exit code', () => {
    expect(check({ exit: 0 }, out('')).passed).toBe(true);
    expect(check({ exit: 0 }, out('', { exitCode: 1 })).passed).toBe(false);
  });

  it('matches a {{name}} inside a regex literally', () => {
    expect(check({ regex: 'version: {{v}}$' }, out('version: 3.5.4'), { v: '3.5.4' }).passed).toBe(true);
    expect(check({ regex: 'version: {{v}}$' }, out('version: 3a5b4'), { v: '3.5.4' }).passed).toBe(false);
  });

  it('regex present and absent, on either stream', () => {
    expect(check({ regex: 'is healthy' }, out('127.0.0.1:2379 is healthy')).passed).toBe(true);
    expect(check({ regex: 'unhealthy', absent: true }, out('all good')).passed).toBe(true);
    expect(check({ regex: 'warning', on: 'stderr' }, out('', { stderr: 'warning: x' })).passed).toBe(true);
  });

  it('JSONPath comparisons over every result, with variables in expected values', () => {
    const pods = out(JSON.stringify({ items: [{ status: { phase: 'Running' } }, { status: { phase: 'Pending' } }] }));
    expect(check({ jsonpath: '$.items[*].status.phase', equals: 'Running' }, pods).passed).toBe(false);
    expect(check({ jsonpath: '$.items[*].status.phase', equals: 'Running', match: 'any' }, pods).passed).toBe(true);
    expect(check({ jsonpath: '$.items[*]', count: 2 }, pods).passed).toBe(true);
    expect(check({ jsonpath: '$.items[0].status.phase', equals: '{{phase}}' }, pods, { phase: 'Running' }).passed).toBe(
      true,
    );
    expect(check({ jsonpath: '$.n', atLeast: 3 }, out('{"n": 3}')).passed).toBe(true);
    expect(check({ jsonpath: '$.missing', exists: true }, out('{}')).passed).toBe(false);
    expect(check({ jsonpath: '$.ok', equals: true }, out('{"ok": true}')).passed).toBe(true);
  });
});

describe('{{values}} in patterns and compared values', () => {
  const HOSTILE = 'a.b(c)*[d]|$(touch /tmp/x)\\';

  it('a capture matches a {{value}} in its regex, its validation pattern and its where= literally', () => {
    const lines = out(`member ${HOSTILE} id=1\nmember aXb(c)*[d]|$(touch /tmp/x)\\ id=2\n`);
    expect(capture({ regex: 'member {{m}} id=(\\d+)' }, lines, { m: HOSTILE })).toEqual({ kind: 'value', value: '1' });
    expect(capture({ regex: 'id=(\\d)', pattern: '^{{n}}$', pick: 'only' }, lines, { n: '2' })).toEqual({
      kind: 'value',
      value: '2',
    });
    expect(capture({ column: 'NAME', where: 'STATUS={{s}}' }, out(KUBECTL), { s: 'Pending' })).toEqual({
      kind: 'value',
      value: 'etcd-2',
    });
  });

  it('a {{value}} is one atom: a quantifier after it repeats the whole value', () => {
    expect(capture({ regex: '^(?:{{v}})+$' }, out('abab'), { v: 'ab' })).toMatchObject({
      kind: 'value',
    });
    expect(check({ regex: '^{{v}}+$' }, out('abab'), { v: 'ab' }).passed).toBe(true);
    expect(check({ regex: '^{{v}}+$' }, out('abb'), { v: 'ab' }).passed).toBe(false);
  });

  it('a check matches a {{value}} literally in regex= and matches=', () => {
    expect(check({ regex: 'x {{v}} y' }, out(`x ${HOSTILE} y`), { v: HOSTILE }).passed).toBe(true);
    expect(check({ regex: 'x {{v}} y' }, out('x aXb(c)*[d]|$(touch /tmp/x)\\ y'), { v: HOSTILE }).passed).toBe(false);
    const json = out(JSON.stringify({ name: `pre-${HOSTILE}` }));
    expect(check({ jsonpath: '$.name', matches: '^pre-{{v}}$' }, json, { v: HOSTILE }).passed).toBe(true);
    expect(check({ jsonpath: '$.name', matches: '^pre-{{v}}$' }, json, { v: 'a.b' }).passed).toBe(false);
  });

  it('the build rejects a {{value}} inside a character class or a JSONPath', () => {
    expect(RegexSourceSchema.safeParse('[{{v}}]+').error?.issues[0]?.message).toMatch(/inside a character class/);
    expect(RegexSourceSchema.safeParse('[a-z] {{v}} \\]').success).toBe(true);
    expect(CheckPropsSchema.safeParse({ jsonpath: "$.items[?@.name=='{{v}}']", exists: true }).success).toBe(false);
    expect(CapturePropsSchema.safeParse({ name: 'v', jsonpath: '$.{{v}}' }).success).toBe(false);
  });
});

// A pattern valid only without the u flag (an escaped '-', a lone '{') must not pass the build
// and then behave differently in the runner: both compile with the same flags.
describe('one way to compile a pattern, at build time and at run time', () => {
  const ONLY_WITHOUT_U = ['a\\-b', 'x{', 'a{1', '\\q', ']'];

  it.each(ONLY_WITHOUT_U)('/%s/ is rejected by the build and fails a check or a capture at run time', (pattern) => {
    expect(RegexSourceSchema.safeParse(pattern).success).toBe(false);
    const checkSpec: CheckSpec = {
      label: 'l',
      assert: { kind: 'regex', stream: 'stdout', pattern, flags: '', present: true },
      wait: null,
      advisory: false,
    };
    const text = out('a-b x{ a{1 q ]');
    expect(evaluateCheck(checkSpec, text, (value) => value)).toMatchObject({
      passed: false,
      detail: expect.stringMatching(/does not compile/),
    });
    const absent: CheckSpec = { ...checkSpec, assert: { ...checkSpec.assert, present: false } as CheckSpec['assert'] };
    expect(evaluateCheck(absent, text, (value) => value).passed).toBe(false);
    const captureSpec: CaptureSpec = {
      name: 'v',
      source: 'stdout',
      extract: { kind: 'regex', pattern, flags: 'i', group: 0 },
      transforms: [],
      validate: { allowEmpty: false },
      pick: 'first',
      secret: false,
    };
    expect(extractCapture(captureSpec, text, (value) => value)).toMatchObject({ kind: 'failed' });
    expect(
      extractCapture(
        { ...captureSpec, extract: { kind: 'whole' }, validate: { pattern, allowEmpty: false } },
        text,
        (v) => v,
      ),
    ).toMatchObject({ kind: 'failed' });
  });

  it("the author's flags apply at run time as they were checked at build time", () => {
    expect(check({ regex: '^HEALTHY$', flags: 'im' }, out('x\nhealthy\n')).passed).toBe(true);
    expect(check({ regex: '^\\p{Lu}+$', flags: 'm' }, out('ÉTÉ')).passed).toBe(true);
    expect(capture({ regex: 'v=(\\p{N}+)', flags: 'i' }, out('V=42'))).toEqual({ kind: 'value', value: '42' });
  });
});

// Output is read as grep reads it; a value's own validation is not, so a newline cannot slip past ^…$.
describe('line anchors', () => {
  it('^ and $ match at every line of the output in checks and captures', () => {
    expect(check({ regex: '^cleaned up for [A-Z]+-[0-9]+$' }, out('cleaned up for OPS-1\n')).passed).toBe(true);
    expect(check({ regex: '^ready$' }, out('starting\nready\nbye\n')).passed).toBe(true);
    expect(capture({ regex: '^pod=(.+)$' }, out('x\npod=etcd-0\ny\n'))).toEqual({ kind: 'value', value: 'etcd-0' });
  });

  it('a captured value is validated as a whole, never line by line', () => {
    const multiline = capture({ jsonpath: '$.v', pattern: '^[a-z]+$' }, out('{"v": "abc\\nrm -rf /"}'));
    expect(multiline.kind).toBe('failed');
  });
});
