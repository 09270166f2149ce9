import { describe, expect, it } from 'vitest';
import { tally766, type Case } from './rates766.ts';

const kase = (
  unit: string,
  period: string,
  kind: Case['kind'],
  onTime: 0 | 1,
  dissatisfied: 0 | 1,
  inCompetence: 0 | 1,
): Case => ({
  unit,
  period,
  kind,
  onTime: onTime === 1,
  dissatisfied: dissatisfied === 1,
  inCompetence: inCompetence === 1,
});

describe('the 766 rates', () => {
  it('counts files and feedback per unit and period, a null for a denominator of 0', () => {
    const tally = tally766();
    [
      // U1 2024 files: two good, one late, one dissatisfied, one both (counted once).
      kase('U1', '2024', 'file', 1, 0, 0),
      kase('U1', '2024', 'file', 0, 0, 0),
      kase('U1', '2024', 'file', 1, 1, 0),
      kase('U1', '2024', 'file', 0, 1, 0),
      kase('U1', '2024', 'file', 1, 0, 0),
      // U1 2024 feedback: in competence on time, in competence late, outside competence
      // and dissatisfied, in competence on time but dissatisfied.
      kase('U1', '2024', 'feedback', 1, 0, 1),
      kase('U1', '2024', 'feedback', 0, 0, 1),
      kase('U1', '2024', 'feedback', 1, 1, 0),
      kase('U1', '2024', 'feedback', 1, 1, 1),
      kase('U1', '2023', 'file', 1, 0, 0),
      kase('U0', '2024', 'feedback', 1, 0, 0),
    ].forEach((c) => tally.add(c));
    expect(tally.rows()).toEqual([
      {
        unit: 'U0',
        period: '2024',
        files: 0,
        filesDissatisfiedOrLate: 0,
        fileSatisfaction: null,
        feedback: 1,
        feedbackDissatisfiedOrLate: 0,
        feedbackSatisfaction: 100,
        feedbackInCompetence: 0,
        feedbackInCompetenceOnTime: 0,
        feedbackOnTime: null,
      },
      {
        unit: 'U1',
        period: '2023',
        files: 1,
        filesDissatisfiedOrLate: 0,
        fileSatisfaction: 100,
        feedback: 0,
        feedbackDissatisfiedOrLate: 0,
        feedbackSatisfaction: null,
        feedbackInCompetence: 0,
        feedbackInCompetenceOnTime: 0,
        feedbackOnTime: null,
      },
      {
        unit: 'U1',
        period: '2024',
        files: 5,
        filesDissatisfiedOrLate: 3,
        // 100 × (5 − 3) / 5
        fileSatisfaction: expect.closeTo(40, 9),
        feedback: 4,
        feedbackDissatisfiedOrLate: 3,
        // 100 × (4 − 3) / 4
        feedbackSatisfaction: expect.closeTo(25, 9),
        feedbackInCompetence: 3,
        feedbackInCompetenceOnTime: 2,
        // 100 × 2 / 3
        feedbackOnTime: expect.closeTo(66.66666666666667, 9),
      },
    ]);
  });
});
