import { describe, expect, it } from 'vitest';
import {
  CapturePropsSchema,
  CheckPropsSchema,
  DurationSchema,
  findVariableReferences,
  ManifestSchema,
  ManualPropsSchema,
  ParamSpecSchema,
  StepPropsSchema,
} from '../../../protocol/index.ts';

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  return result.success ? [] : (result.error?.issues.map((issue) => issue.message) ?? []);
}

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['1.5m', 90_000],
    [45, 45_000],
  ])('%s is %d ms', (input, expected) => {
    expect(DurationSchema.parse(input)).toBe(expected);
  });

  it.each(['', '5', '5 minutes', '-1s', '0s', 0, 1.5])('rejects %j', (input) => {
    expect(DurationSchema.safeParse(input).success).toBe(false);
  });
});

describe('variable references', () => {
  it('finds {{name}} with optional spaces and ignores other braces', () => {
    expect(
      findVariableReferences(['a {{one}} b {{ two }}', '$', '{three} {four} {{5x}}'].join('')).map((ref) => ref.name),
    ).toEqual(['one', 'two']);
  });
});

describe('<Capture> props', () => {
  it('requires exactly one way to extract', () => {
    expect(messages(CapturePropsSchema.safeParse({ name: 'x' }))).toEqual([
      'say how to extract the value: regex="…", jsonpath="$…", column="HEADER" or whole',
    ]);
    expect(messages(CapturePropsSchema.safeParse({ name: 'x', regex: 'a', whole: true }))).toEqual([
      'use one way to extract the value, found regex and whole',
    ]);
  });

  it('picks the first named group, else group 1, else the whole match', () => {
    const group = (regex: string) => {
      const spec = CapturePropsSchema.parse({ name: 'x', regex });
      return spec.extract.kind === 'regex' ? spec.extract.group : undefined;
    };
    expect(group('name: (?<release>\\S+)')).toBe('release');
    expect(group('port (\\d+)')).toBe(1);
    expect(group('\\d+')).toBe(0);
  });

  it('rejects a group the regex does not have and a regex that does not compile', () => {
    expect(messages(CapturePropsSchema.safeParse({ name: 'x', regex: '(a)', group: 2 }))).toEqual([
      'the regex /(a)/ has no group 2',
    ]);
    expect(messages(CapturePropsSchema.safeParse({ name: 'x', regex: '(a', group: 1 }))[0]).toMatch(/does not compile/);
  });

  it('parses transform lists and rejects unknown transforms', () => {
    expect(CapturePropsSchema.parse({ name: 'x', whole: true, transform: 'trim, base64-decode' }).transforms).toEqual([
      'trim',
      'base64-decode',
    ]);
    expect(CapturePropsSchema.safeParse({ name: 'x', whole: true, transform: 'rot13' }).success).toBe(false);
  });

  it('rejects names that are not shell identifiers', () => {
    expect(CapturePropsSchema.safeParse({ name: 'my-value', whole: true }).success).toBe(false);
    expect(CapturePropsSchema.safeParse({ name: '1value', whole: true }).success).toBe(false);
  });
});

describe('<Check> props', () => {
  it('needs one assertion and, for jsonpath, one comparison', () => {
    expect(CheckPropsSchema.safeParse({}).success).toBe(false);
    expect(CheckPropsSchema.safeParse({ exit: 0, regex: 'ok' }).success).toBe(false);
    expect(CheckPropsSchema.safeParse({ jsonpath: '$.a' }).success).toBe(false);
    expect(CheckPropsSchema.safeParse({ jsonpath: '$.a', equals: 1, atLeast: 2 }).success).toBe(false);
    expect(CheckPropsSchema.safeParse({ regex: 'x', equals: 1 }).success).toBe(false);
    expect(CheckPropsSchema.safeParse({ jsonpath: 'a.b', exists: true }).success).toBe(false);
  });

  it('turns wait into a poll with a default interval', () => {
    expect(CheckPropsSchema.parse({ exit: 0, wait: '2m' }).wait).toEqual({ timeoutMs: 120_000, intervalMs: 2000 });
    expect(CheckPropsSchema.safeParse({ exit: 0, interval: '1s' }).success).toBe(false);
  });
});

describe('<Step> props', () => {
  it('needs risk, and the props each target needs', () => {
    expect(StepPropsSchema.safeParse({ id: 'a', title: 'A' }).success).toBe(false);
    expect(messages(StepPropsSchema.safeParse({ id: 'a', title: 'A', risk: 'read', target: 'pod', pod: 'p' }))).toEqual(
      ['target="pod" needs namespace="…"'],
    );
    expect(messages(StepPropsSchema.safeParse({ id: 'a', title: 'A', risk: 'read', host: 'h' }))).toEqual([
      'host only applies to target="node"',
    ]);
  });

  it('rejects ids that cannot be anchors', () => {
    expect(StepPropsSchema.safeParse({ id: 'Take Snapshot', title: 'A', risk: 'read' }).success).toBe(false);
  });

  it('rejects an idle timeout longer than the timeout', () => {
    expect(
      StepPropsSchema.safeParse({ id: 'a', title: 'A', risk: 'read', timeout: '1m', idleTimeout: '2m' }).success,
    ).toBe(false);
  });
});

describe('<Param> and <Manual> props', () => {
  it('checks the default against the pattern and the enum', () => {
    expect(messages(ParamSpecSchema.safeParse({ name: 'a', label: 'A', default: 'X', pattern: '^[a-z]+$' }))).toEqual([
      'the default "X" does not match the pattern /^[a-z]+$/',
    ]);
    expect(messages(ParamSpecSchema.safeParse({ name: 'a', label: 'A', default: 'c', enum: ['a', 'b'] }))).toEqual([
      'the default "c" is not one of "a", "b"',
    ]);
  });

  it('needs value= before valueLabel, pattern or secret on a manual step', () => {
    expect(ManualPropsSchema.safeParse({ id: 'm', title: 'M', valueLabel: 'Ticket' }).success).toBe(false);
    expect(ManualPropsSchema.safeParse({ id: 'm', title: 'M', secret: true }).success).toBe(false);
    expect(ManualPropsSchema.safeParse({ id: 'm', title: 'M', value: 'ticket', secret: true }).success).toBe(true);
  });
});

describe('the manifest schema', () => {
  it('rejects an unknown schema version and unknown fields', () => {
    expect(ManifestSchema.safeParse({ schemaVersion: 2, runbooks: [] }).success).toBe(false);
    expect(ManifestSchema.safeParse({ schemaVersion: 1, runbooks: [], extra: true }).success).toBe(false);
    expect(ManifestSchema.safeParse({ schemaVersion: 1, runbooks: [] }).success).toBe(true);
  });
});

describe('JSONPath props', () => {
  it('must parse as RFC 9535 JSONPath', () => {
    expect(
      CheckPropsSchema.safeParse({ jsonpath: "$.items[?@.status.phase == 'Running']", exists: true }).success,
    ).toBe(true);
    const result = CapturePropsSchema.safeParse({ name: 'x', jsonpath: '$.items[?@.x ==]' });
    expect(messages(result)[0]).toMatch(/does not parse/);
  });
});
