import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../protocol/format-duration.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [999.6, '1 s'],
    [1000, '1 s'],
    [1500, '1.5 s'],
    [30_000, '30 s'],
    [59_960, '1 min'],
    [65_000, '1 min 5 s'],
    [119_600, '2 min'],
    [600_000, '10 min'],
    [3_599_600, '1 h'],
    [3_600_000, '1 h'],
    [5_400_000, '1 h 30 min'],
  ])('reads %d ms as "%s"', (milliseconds, text) => {
    expect(formatDuration(milliseconds)).toBe(text);
  });

  it('never shows 60 of a smaller unit', () => {
    for (let milliseconds = 0; milliseconds < 7_300_000; milliseconds += 97) {
      expect(formatDuration(milliseconds)).not.toMatch(/\b60(\.0)? (s|min)\b/);
    }
  });
});
