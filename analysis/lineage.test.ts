// Comparisons across a reorganisation (organisation.md §2), against values worked by hand.
import { describe, expect, it } from 'vitest';
import {
  compareCoverage,
  pointsFromPredecessors,
  previousOnLaterMap,
  REORGANISED_BELOW,
} from './lineage.ts';
import { par2020Province as framework } from './par.ts';

const n = (value: number) => expect.closeTo(value, 9);

/** appraisal, sipas, leaders; a null leaves the component out. */
const pointsOf = (values: (number | null)[]) =>
  new Map(
    ['appraisal', 'sipas', 'leaders'].flatMap((code, i) => {
      const value = values[i];
      return value === null || value === undefined ? [] : [[code, value] as const];
    }),
  );

describe('a successor’s previous PAR points from its predecessors', () => {
  const previous = new Map([
    ['BG', pointsOf([50, 8, 18])],
    ['BN', pointsOf([60, 9, 20])],
    ['A', pointsOf([40, 7, 20])],
    ['B', pointsOf([62, 9.2, null])],
  ]);
  const merge = [
    { predecessor: 'BN', share: 1 },
    { predecessor: 'BG', share: 1 },
  ];

  it('weights a whole merge by transactions: (50·3000 + 60·1000) / 4000 = 52.5', () => {
    const derived = pointsFromPredecessors(
      framework,
      merge,
      previous,
      new Map([
        ['BG', 3000],
        ['BN', 1000],
      ]),
    );
    expect(derived).toEqual({
      points: new Map([
        ['appraisal', n(52.5)],
        ['sipas', n(8.25)],
        ['leaders', n(18.5)],
      ]),
      total: n(79.25),
      previousFrom: ['BG', 'BN'],
    });
  });

  it('weights by shares alone when a predecessor’s transactions are unknown', () => {
    const derived = pointsFromPredecessors(framework, merge, previous, new Map([['BG', 3000]]));
    expect(derived?.points).toEqual(
      new Map([
        ['appraisal', n(55)],
        ['sipas', n(8.5)],
        ['leaders', n(19)],
      ]),
    );
    expect(derived?.total).toEqual(n(82.5));
  });

  it('takes a split’s share: 0.6 of A (2000 transactions) and all of B (1000)', () => {
    // Weights 1200 and 1000; B has no leaders points, which count 0.
    const derived = pointsFromPredecessors(
      framework,
      [
        { predecessor: 'A', share: 0.6 },
        { predecessor: 'B', share: 1 },
      ],
      previous,
      new Map([
        ['A', 2000],
        ['B', 1000],
      ]),
    );
    expect(derived).toEqual({
      points: new Map([
        ['appraisal', n(50)],
        ['sipas', n(8)],
        ['leaders', n(120 / 11)],
      ]),
      total: n(758 / 11),
      previousFrom: ['A', 'B'],
    });
  });

  it('uses only the predecessors with points, and none gives null', () => {
    const partly = pointsFromPredecessors(
      framework,
      [
        { predecessor: 'BG', share: 1 },
        { predecessor: 'NEW', share: 1 },
      ],
      previous,
    );
    expect(partly?.previousFrom).toEqual(['BG']);
    expect(partly?.total).toEqual(n(76));
    expect(pointsFromPredecessors(framework, [{ predecessor: 'NEW', share: 1 }], previous)).toBe(
      null,
    );
  });

  it('puts the previous period on the later map: predecessors leave, a taken-over code is derived', () => {
    const { points, previousFrom } = previousOnLaterMap(
      framework,
      new Map([['BN', merge]]),
      new Map([...previous, ['Q', pointsOf([30, 5, 10])]]),
    );
    expect([...points.keys()].sort()).toEqual(['A', 'B', 'BN', 'Q']);
    expect(points.get('BN')?.get('appraisal')).toEqual(n(55));
    expect(points.get('Q')?.get('appraisal')).toBe(30);
    expect(previousFrom).toEqual(new Map([['BN', ['BG', 'BN']]]));
  });
});

describe('the coverage of a compared group', () => {
  const earlier = new Set(['C1', 'C2', 'OLD']);

  it('is exactly 0.8 at 40 of 50 respondents: not reorganised (strictly below)', () => {
    const later = new Map([
      ['C1', 30],
      ['C2', 10],
      ['C3', 10],
    ]);
    expect(REORGANISED_BELOW).toBe(0.8);
    expect(compareCoverage(later, earlier)).toEqual({ coverage: n(0.8), reorganised: false });
  });

  it('is 40 of 60: reorganised, unless the threshold is lower', () => {
    const later = new Map([
      ['C1', 30],
      ['C2', 10],
      ['C3', 20],
    ]);
    expect(compareCoverage(later, earlier)).toEqual({ coverage: n(2 / 3), reorganised: true });
    expect(compareCoverage(later, earlier, 0.5)).toEqual({
      coverage: n(2 / 3),
      reorganised: false,
    });
  });

  it('is null without later respondents', () => {
    expect(compareCoverage(new Map([['C1', 0]]), earlier)).toEqual({
      coverage: null,
      reorganised: false,
    });
  });
});
