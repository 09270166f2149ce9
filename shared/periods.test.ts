import { describe, expect, it } from 'vitest';
import { periodLastDay } from './periods.ts';

describe('the last day of a period', () => {
  it.each([
    ['2025', '2025-12-31'],
    ['2025-H1', '2025-06-30'],
    ['2025-H2', '2025-12-31'],
    ['2025-Q1', '2025-03-31'],
    ['2025-Q3', '2025-09-30'],
    ['2024-02', '2024-02-29'],
    ['2025-02', '2025-02-28'],
  ])('%s ends on %s', (period, day) => {
    expect(periodLastDay(period)).toBe(day);
  });

  it.each(['2021-cycle', '2025-H3', '2025-13', '0999', 'x'])('%s has none', (period) => {
    expect(periodLastDay(period)).toBeNull();
  });
});
