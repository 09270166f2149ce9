import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANSWER_SLOTS, answerScale, compositeValue, tallyAtoms } from './linearization.ts';
import { scoringRulesSchema } from './rules.ts';

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

describe('the answer sets a tally crosses', () => {
  it('hold each answer of s or v ≠ 0 in exactly one set of its item, of its own s and v', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('share', 'mean'),
        fc.subarray([1, 2, 3, 4, 5], { minLength: 1 }),
        fc.constantFrom('exclude', 'unsatisfied'),
        (score, satisfied, blanks) => {
          const scale = answerScale(scoringRulesSchema.parse({ score, satisfied, blanks }));
          const atoms = tallyAtoms(scale, 2);
          for (const item of [0, 1]) {
            const sets = atoms.filter((atom) => atom.item === item);
            expect(sets).toEqual(atoms.slice(item * sets.length, (item + 1) * sets.length));
            for (let a = 0; a < ANSWER_SLOTS; a++) {
              const holding = sets.filter((set) => (set.answers & (1 << a)) !== 0);
              const s = scale.s[a] ?? 0;
              const v = scale.v[a] ?? 0;
              expect(holding).toEqual(
                s === 0 && v === 0 ? [] : [{ item, answers: holding[0]?.answers, s, v }],
              );
            }
          }
        },
      ),
    );
  });
});
