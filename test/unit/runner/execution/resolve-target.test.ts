import { describe, expect, it } from 'vitest';
import { resolveStepTarget } from '../../../../runner/execution/resolve-target.ts';

const values = new Map([
  ['pod', 'etcd-cp-1'],
  ['node', 'cp-1'],
  ['hostile', '-oProxyCommand=touch /tmp/pwned'],
  ['spaced', 'etcd cp-1'],
]);

describe('resolveStepTarget', () => {
  it('fills {{x}} in pod, namespace and host from the run values', () => {
    expect(resolveStepTarget({ kind: 'pod', pod: '{{pod}}', namespace: 'kube-system' }, values, 's')).toEqual({
      kind: 'pod',
      pod: 'etcd-cp-1',
      namespace: 'kube-system',
    });
    expect(resolveStepTarget({ kind: 'node', host: '{{node}}', user: 'root' }, values, 's')).toEqual({
      kind: 'node',
      host: 'cp-1',
      user: 'root',
    });
  });

  it('leaves a local target alone', () => {
    expect(resolveStepTarget({ kind: 'local' }, values, 's')).toEqual({ kind: 'local' });
  });

  it('refuses a value that would be an ssh option or is not a name', () => {
    expect(() => resolveStepTarget({ kind: 'node', host: '{{hostile}}' }, values, 'move')).toThrow(
      /step "move" runs on host "-oProxyCommand.*not a host name/,
    );
    expect(() => resolveStepTarget({ kind: 'pod', pod: '{{spaced}}', namespace: 'x' }, values, 's')).toThrow(
      /not a pod name/,
    );
    expect(() => resolveStepTarget({ kind: 'pod', pod: 'p', namespace: '{{hostile}}' }, values, 's')).toThrow(
      /not a namespace/,
    );
  });

  it('names a value the run does not know', () => {
    expect(() => resolveStepTarget({ kind: 'pod', pod: '{{nope}}', namespace: 'x' }, values, 's')).toThrow(
      /needs \{\{nope\}\} for its pod/,
    );
  });
});
