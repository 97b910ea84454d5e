import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../../../practice/apiserver/query/label-selector.ts';

describe('label selectors', () => {
  it('matches equality, set and existence requirements', () => {
    const select = parseLabelSelector('app=web,tier in (front,back),!legacy');
    expect(select({ app: 'web', tier: 'front' })).toBe(true);
    expect(select({ app: 'web', tier: 'front', legacy: 'yes' })).toBe(false);
    expect(select({ app: 'db', tier: 'front' })).toBe(false);
  });

  it("refuses an unclosed set with kube-apiserver's message", () => {
    expect(() => parseLabelSelector('a in (b')).toThrow("unable to parse requirement: found '', expected: ',' or ')'");
  });
});
