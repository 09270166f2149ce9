import { describe, expect, it } from 'vitest';
import { formatDay, formatFor } from './format.ts';

describe('formatDay', () => {
  it('writes a day as people do, on the same day whatever the clock says', () => {
    expect(formatDay('vi', '2026-03-31')).toBe('31/03/2026');
    expect(formatDay('en', '2026-01-01')).toBe('01/01/2026');
  });
});

describe('PAR points', () => {
  it('writes points with the 3 decimals they are published with, in the reader language', () => {
    const vi = formatFor('vi');
    expect(vi.points(85.62)).toBe('85,620');
    expect(formatFor('en').points(85.62)).toBe('85.620');
    // 23.5 − 19.1 is 4.399999999999999 in a double: written as the 4.4 it is.
    expect(vi.signedPoints(23.5 - 19.1)).toBe('+4,400');
    expect(vi.signedPoints(-0.3)).toBe('\u22120,300');
    expect(formatFor('en').signedPoints(-0.3)).toBe('-0.300');
    expect(vi.signedPoints(0)).toBe('0,000');
    expect(vi.points(null)).toBe('—');
    // A maximum keeps the decimals it has, no more.
    expect(vi.maximum(100)).toBe('100');
    expect(vi.maximum(6.5)).toBe('6,5');
  });
});

describe('shares', () => {
  it('writes a share as a percent with 2 decimals, in the reader language', () => {
    // 6 of 10 answered: 0.6, 60%; 2 of 3: 66.666…%, rounded to 66.67.
    expect(formatFor('vi').share(6 / 10)).toBe('60,00%');
    expect(formatFor('en').share(2 / 3)).toBe('66.67%');
    expect(formatFor('vi').share(0)).toBe('0,00%');
    expect(formatFor('vi').share(null)).toBe('—');
  });
});
