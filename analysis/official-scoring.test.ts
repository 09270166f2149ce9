// The officials' survey's arithmetic on cases worked by hand (par-cycle.md §5): every expected
// value is worked out in the comment beside it from the formulas, not taken from a run.
import { describe, expect, it } from 'vitest';
import { officialResultsCsv } from './official-format.ts';
import { officialLeafResult, suppressedGroups } from './official-scoring.ts';
import { Z_975 } from './rules.ts';

const n = (value: number) => expect.closeTo(value, 9);
const leaders = { code: 'leaders', name: 'Lãnh đạo', max: 23.5 };

describe('officialLeafResult', () => {
  // Six respondents of ten invited, each y_r one share: 100, 100, 60, 60, 20, 0.
  // ȳ = 340 / 6 = 170/3 = 56.6667 %. Σy² = 10000 + 10000 + 3600 + 3600 + 400 + 0 = 27600;
  // Σ(y − ȳ)² = 27600 − 340²/6 = 27600 − 19266.667 = 25000/3; s² = (25000/3) / 5 = 5000/3.
  // points = 170/3 / 100 × 23.5 = 3995/300 = 13.316667.
  // SE = 23.5/100 × sqrt((1 − 6/10) × (5000/3) / 6) = 0.235 × sqrt(1000/9) = 0.235 × 10.540926
  //    = 2.477118; interval 13.316667 ± 1.959964 × 2.477118 = 13.316667 ∓ 4.855061
  //    = [8.461606, 18.171728].
  const six = { respondents: 6, mean: 170 / 3, variance: 5000 / 3 };

  it('scores a sample of the invited, with the finite population correction', () => {
    const se = 0.235 * Math.sqrt(1000 / 9);
    const result = officialLeafResult(leaders, six, 10);
    expect(result).toEqual({
      leaf: 'leaders',
      name: 'Lãnh đạo',
      max: 23.5,
      respondents: 6,
      meanShare: n(170 / 3),
      points: n(3995 / 300),
      se: n(se),
      interval: [n(3995 / 300 - Z_975 * se), n(3995 / 300 + Z_975 * se)],
    });
    expect(result.se).toBeCloseTo(2.477118, 6);
    expect(result.interval?.[0]).toBeCloseTo(8.461606, 5);
    expect(result.interval?.[1]).toBeCloseTo(18.171728, 5);
  });

  it('has no sampling error when everyone invited answered', () => {
    // 1 − 6/6 = 0: SE 0, the interval the points themselves.
    const result = officialLeafResult(leaders, six, 6);
    expect(result.se).toBe(0);
    expect(result.interval).toEqual([n(3995 / 300), n(3995 / 300)]);
  });

  it('clips the interval to [0, max]', () => {
    // Three of 100 invited, max 10: y = 100, 100, 0. ȳ = 200/3; Σy² = 20000,
    // Σ(y − ȳ)² = 20000 − 200²/3 = 20000/3, s² = 10000/3. points = 20/3 = 6.666667.
    // SE = 0.1 × sqrt(0.97 × (10000/3) / 3) = 0.1 × sqrt(9700/9) = 3.282953;
    // 6.666667 + 1.959964 × 3.282953 = 13.101 > 10 → 10; 6.666667 − 6.434 = 0.232 stays.
    const se = 0.1 * Math.sqrt(9700 / 9);
    const high = officialLeafResult(
      { code: 'x', name: 'X', max: 10 },
      { respondents: 3, mean: 200 / 3, variance: 10000 / 3 },
      100,
    );
    expect(high.se).toEqual(n(se));
    expect(high.interval).toEqual([n(20 / 3 - Z_975 * se), 10]);
    // y = 0, 0, 100: ȳ = 100/3, the same s² and SE; 3.333333 − 6.434 < 0 → 0.
    const low = officialLeafResult(
      { code: 'x', name: 'X', max: 10 },
      { respondents: 3, mean: 100 / 3, variance: 10000 / 3 },
      100,
    );
    expect(low.interval).toEqual([0, n(10 / 3 + Z_975 * se)]);
  });

  it('gives points but no error for one respondent, and nothing for none', () => {
    // One respondent of 10, y = 60: points 0.6 × 23.5 = 14.1, no variance to estimate.
    expect(officialLeafResult(leaders, { respondents: 1, mean: 60, variance: null }, 10)).toEqual(
      expect.objectContaining({ meanShare: 60, points: n(14.1), se: null, interval: null }),
    );
    expect(officialLeafResult(leaders, undefined, 10)).toEqual({
      leaf: 'leaders',
      name: 'Lãnh đạo',
      max: 23.5,
      respondents: 0,
      meanShare: null,
      points: null,
      se: null,
      interval: null,
    });
  });
});

describe('suppressedGroups', () => {
  it('withholds the smallest shown group when one small group could be derived', () => {
    // 4 < 5: small. Unit − (10) − (6) would be the 4's results, so the 6 goes too.
    expect(suppressedGroups([4, 10, 6], 5)).toEqual(['small', null, 'complementary']);
    // Equals: the first of them.
    expect(suppressedGroups([6, 4, 6], 5)).toEqual(['complementary', 'small', null]);
  });

  it('needs no complementary group for two small ones, none, or nothing shown', () => {
    // Unit − (10) gives only the pooled 3 + 2.
    expect(suppressedGroups([3, 2, 10], 5)).toEqual(['small', 'small', null]);
    expect(suppressedGroups([5, 7], 5)).toEqual([null, null]);
    expect(suppressedGroups([4], 5)).toEqual(['small']);
    // A small group without answers adds nothing to the unit's results.
    expect(suppressedGroups([0, 10, 6], 5)).toEqual(['small', null, null]);
    // …but does not hide one small group with answers either: 0 + 3 is the 3.
    expect(suppressedGroups([0, 3, 10, 6], 5)).toEqual(['small', 'small', null, 'complementary']);
  });

  it('follows the survey’s minimum', () => {
    expect(suppressedGroups([4, 10, 6], 3)).toEqual([null, null, null]);
    expect(suppressedGroups([4, 10, 6], 7)).toEqual(['small', null, 'small']);
  });
});

describe('officialResultsCsv', () => {
  it('writes a unit’s leaves, its shown groups’ and one row for a withheld group', () => {
    const leaf = officialLeafResult(leaders, { respondents: 6, mean: 60, variance: 0 }, 6);
    const csv = officialResultsCsv({
      survey: 'LD',
      name: 'LD',
      framework: 'par-2020-province',
      period: '2025',
      minGroup: 5,
      units: [
        {
          unit: 'P.A',
          name: 'Sở A',
          invited: 10,
          answered: 8,
          rate: 0.8,
          leaves: [{ ...leaf, respondents: 8 }],
          groups: [
            { group: 'G1', invited: 6, answered: 6, rate: 1, suppressed: null, leaves: [leaf] },
            { group: 'G2', invited: 4, answered: 2, rate: 0.5, suppressed: 'small', leaves: null },
          ],
        },
      ],
    });
    // points 0.6 × 23.5 = 14.1; everyone of G1 answered: SE 0, interval [14.1, 14.1].
    expect(csv.split('\n')).toEqual([
      'unit,unit_name,group,invited,answered,rate,suppressed,leaf,max,respondents,mean_share,points,se,low,high',
      `P.A,Sở A,,10,8,0.8,,leaders,23.5,8,60,14.1,0,14.1,14.1`,
      `P.A,Sở A,G1,6,6,1,,leaders,23.5,6,60,14.1,0,14.1,14.1`,
      'P.A,Sở A,G2,4,2,0.5,small,,,,,,,,',
      '',
    ]);
  });
});
