// The drafting rules on a flat framework worked by hand (docs/plans.md "Drafting a plan"): the
// weak node rule (lower half, or short of a target), the two orders of weak points, a factor's
// task and the default deadline.
import { describe, expect, it } from 'vitest';
import { par2020Province } from './par.ts';
import { flatAsTree, scorecard } from './par-tree.ts';
import { defaultDeadline, draftPlan } from './plan.ts';
import type { PlanSipas } from './plan-document.ts';

const framework = flatAsTree(par2020Province);
const points = (appraisal: number, sipas: number, leaders: number) =>
  new Map([
    ['appraisal', appraisal],
    ['sipas', sipas],
    ['leaders', leaders],
  ]);
const targets = new Map([['appraisal', 1]]);
// Totals: A 88, C 84, B 82, D 71. Percents: appraisal A 60/66.5 = 90.23%, C 55/66.5 = 82.71%,
// B 75.19%, D 60.15%; sipas D 100, B 90, A 80, C 70; leaders B 97.87, C 93.62, D 89.36, A 85.11.
const card = scorecard({
  framework,
  period: '2025-H1',
  group: 'P',
  peers: ['A', 'B', 'C', 'D'].map((unit) => ({ unit, type: 'province' })),
  current: new Map([
    ['A', points(60, 8, 20)],
    ['B', points(50, 9, 23)],
    ['C', points(55, 7, 22)],
    ['D', points(40, 10, 21)],
  ]),
  previous: null,
  top: null,
  targets,
  level: 'all',
});

const sipas: PlanSipas = {
  campaign: { code: 'K', name: 'Khảo sát' },
  rules: 'design srs',
  respondents: 40,
  peersRespondents: 160,
  sipas: { index: 80, se: 2, ci: [76, 84] },
  factors: [
    { code: 'TC', name: 'Tiếp cận dịch vụ', score: { index: 70, se: 3, ci: [64, 76] } },
    { code: 'TT', name: 'Thủ tục hành chính', score: { index: 90, se: 2, ci: [86, 94] } },
  ],
  itemsBelowPeers: ['TC1', 'TC2', 'HL'].map((item) => ({
    item,
    text: item,
    factor: item === 'HL' ? '' : 'TC',
    index: 60,
    peersIndex: 75,
    difference: -15,
    se: 5,
    ci: [-24.8, -5.2],
  })),
};

describe('drafting a plan', () => {
  const draft = draftPlan({
    framework,
    card,
    published: { version: 2, at: '2025-08-01T00:00:00.000Z' },
    unit: { code: 'C', name: 'Tỉnh C' },
    peers: { code: 'P', name: 'P' },
    parent: null,
    targets,
    sipas,
  });

  it('finds the weak components: in the lower half, or short of a target', () => {
    const { facts } = draft;
    // C: total 84, 2nd of 4. appraisal 2nd (not below 4/2) but short of A's 90.23%: gap
    // (60/66.5 − 55/66.5) × 66.5 = 5 points; sipas 4th; leaders 2nd, no target: not weak.
    expect([facts.total.rank, facts.total.of, facts.total.tiedWith]).toEqual([2, 4, 0]);
    expect(facts.published).toEqual({ version: 2, at: '2025-08-01T00:00:00.000Z' });
    expect(Math.abs((facts.targets[0]?.gap ?? NaN) - 5)).toBeLessThan(1e-9);
    expect(facts.fields.map((f) => [f.code, f.rank, f.pointsLost])).toEqual([
      ['appraisal', 2, 11.5],
      ['sipas', 4, 3],
      ['leaders', 2, 1.5],
    ]);
    expect(draft.tasks.filter((t) => t.nodes.length > 0).map((t) => t.nodes)).toEqual([
      ['appraisal'],
      ['sipas'],
    ]);
    expect(draft.tasks[0]?.content).toContain('thành phần appraisal');
    // By points lost 11.5, 3, 1.5; by rank sipas 4th, then the two 2nd by points lost.
    expect(facts.weakByPointsLost).toEqual(['appraisal', 'sipas', 'leaders']);
    expect(facts.weakByRank).toEqual(['sipas', 'appraisal', 'leaders']);
  });

  it('proposes one task per factor with items below the peers, due 30/09 of the next year', () => {
    const byFactor = draft.tasks.filter((t) => t.factors.length > 0);
    // TC1 and TC2 are TC's; HL is no factor's; TT has none below.
    expect(byFactor.map((t) => t.factors)).toEqual([['TC']]);
    expect(byFactor[0]?.content).toContain('TC1, TC2');
    expect(draft.tasks.map((t) => t.deadline)).toEqual(['2026-09-30', '2026-09-30', '2026-09-30']);
    expect(draft.sections.recipients).toEqual(['Như trên;', 'Lưu: VT.']);
    expect(defaultDeadline('2024')).toBe('2025-09-30');
    expect(defaultDeadline('khoa-1')).toBeNull();
  });
});
