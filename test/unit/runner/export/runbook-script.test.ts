import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CommandStepSpec } from '../../../../protocol/index.ts';
import { remoteStepLines, shellLiteral } from '../../../../runner/export/runbook-script.ts';

const SAMPLES = [
  '',
  'plain',
  "it's",
  `'"\`$(id)\${HOME}\\`,
  'two\nlines\n',
  'tab\there',
  '\u001b]52;c;ZXZpbA==\u0007',
  'cr\rover',
  'bidi \u202e gnp.exe',
  'c1 \u009b31m',
  'ünïcödé ✓ 🙂',
  '\\x41 \\u0041',
];

function randomValue(): string {
  const length = Math.floor(Math.random() * 24);
  let value = '';
  for (let index = 0; index < length; index++) {
    const pick = Math.random();
    value +=
      pick < 0.2
        ? String.fromCharCode(1 + Math.floor(Math.random() * 31))
        : pick < 0.3
          ? `'"\\$\`\u202e\u0085`[Math.floor(Math.random() * 8)]
          : String.fromCodePoint(32 + Math.floor(Math.random() * 0x2ff));
  }
  return value;
}

describe('shellLiteral', () => {
  it('means exactly the value to bash, whatever it holds', () => {
    const values = [...SAMPLES, ...Array.from({ length: 200 }, randomValue)];
    const script = values.map((value) => `printf '%s\\0' ${shellLiteral(value)}`).join('\n');
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(values);
  });

  it('never writes a control or bidi character into the script', () => {
    for (const value of [...SAMPLES, ...Array.from({ length: 200 }, randomValue)]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a literal must not carry
      expect(shellLiteral(value)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    }
  });
});

// A dry run's script runs where the operator runs it: a node or pod step must not run there.
describe('a node or pod step in the exported script', () => {
  const marker = `/tmp/drillbook-export-marker-${process.pid}`;
  const step = (target: CommandStepSpec['target']) =>
    ({
      id: 'move-manifest',
      script: `touch ${marker}\nmv /etc/kubernetes/manifests/etcd.yaml /tmp/\n`,
      target,
    }) as CommandStepSpec;

  it('is written out for reading, and the script stops there saying where it runs', () => {
    for (const target of [
      { kind: 'node', host: '{{nodeName}}' },
      { kind: 'node', nodeSelector: 'node-role.kubernetes.io/control-plane' },
      { kind: 'pod', pod: 'etcd-cp-1', namespace: 'kube-system' },
    ] as CommandStepSpec['target'][]) {
      const lines = remoteStepLines(step(target)) ?? [];
      expect(lines.filter((line) => !line.startsWith('#'))).toHaveLength(2);
      const ran = spawnSync('bash', ['-c', lines.join('\n')], { encoding: 'utf8' });
      expect(ran.status).toBe(1);
      expect(ran.stderr).toMatch(/^Step move-manifest runs (on node|in pod) .*: run it there, or let Drillbook run it/);
      expect(existsSync(marker)).toBe(false);
    }
  });

  it('leaves a local step to the script', () => {
    expect(remoteStepLines(step({ kind: 'local' }))).toBeNull();
  });
});
