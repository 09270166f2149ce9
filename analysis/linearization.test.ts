import { describe, expect, it } from 'vitest';
import { compositeValue } from './linearization.ts';

describe('an index from weighted totals', () => {
  it('is exactly 100 when every valid answer is satisfied, whatever the weights', () => {
    // Found by the property test: stratified weights 22/3 and 2/2 give S = V = 8.333…, and
    // (100 × S) / V rounded to 100.00000000000001.
    const total = 22 / 3 + 1;
    expect(compositeValue({ items: [0] }, { satisfied: [total], valid: [total] })).toBe(100);
    expect(
      compositeValue(
        { mean: [{ items: [0] }, { items: [1] }] },
        {
          satisfied: [total, 0.1 + 0.2],
          valid: [total, 0.1 + 0.2],
        },
      ),
    ).toBe(100);
  });

  it('is the satisfied share in percent otherwise', () => {
    expect(compositeValue({ items: [0, 1] }, { satisfied: [3, 1], valid: [4, 4] })).toBe(50);
  });
});
