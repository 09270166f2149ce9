import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { rates766FromCsv } from './rates766.ts';

const file = (text: string) => Readable.from([Buffer.from(text)]);

/** The cases worked by hand in analysis/rates766.test.ts, as a cases.csv with a BOM and CRLF. */
const casesCsv = [
  '\uFEFFunit,period,kind,on_time,dissatisfied,in_competence',
  'U1,2024,file,1,0,',
  'U1,2024,file,0,0,',
  'U1,2024,file,1,1,',
  'U1,2024,file,0,1,0',
  'U1,2024,file,1,0,',
  'U1,2024,feedback,1,0,1',
  'U1,2024,feedback,0,0,1',
  'U1,2024,feedback,1,1,0',
  'U1,2024,feedback,1,1,1',
  'U1,2023,file,1,0,',
  'U0,2024,feedback,1,0,0',
].join('\r\n');

describe('rates766FromCsv', () => {
  it('gives the rates and their counts per unit and period', async () => {
    const report = await rates766FromCsv(file(casesCsv));
    expect(report.family).toBe('766');
    expect(
      report.rows.map((r) => [
        r.unit,
        r.period,
        r.files,
        r.filesDissatisfiedOrLate,
        r.fileSatisfaction,
        r.feedback,
        r.feedbackDissatisfiedOrLate,
        r.feedbackSatisfaction,
        r.feedbackInCompetence,
        r.feedbackInCompetenceOnTime,
        r.feedbackOnTime,
      ]),
    ).toEqual([
      ['U0', '2024', 0, 0, null, 1, 0, 100, 0, 0, null],
      ['U1', '2023', 1, 0, 100, 0, 0, null, 0, 0, null],
      // 100 × 2/5; 100 × 1/4; 100 × 2/3.
      ['U1', '2024', 5, 3, 40, 4, 3, 25, 3, 2, expect.closeTo(66.66666666666667, 9)],
    ]);
  });

  it('lists every bad cell by line and column, and gives no rates', async () => {
    const bad = [
      'unit,period,kind,on_time,dissatisfied,in_competence',
      'U1,2024,letter,1,0,',
      ',2024,file,yes,0,',
      'U1,2024,feedback,1,0,',
      // A quoted line break: the next record starts on line 7.
      '"U1',
      '",2024,file,1,0,',
      'U1,2024,file,1,2,',
    ].join('\n');
    await expect(rates766FromCsv(file(bad))).rejects.toMatchObject({
      code: 'invalid',
      message: 'The file has 5 problems; no rates were computed.',
      errors: [
        { path: 'line 2, column kind', message: { en: 'must be file or feedback' } },
        { path: 'line 3, column unit', message: { en: 'required' } },
        { path: 'line 3, column on_time', message: { en: 'must be 1 or 0' } },
        { path: 'line 4, column in_competence', message: { en: 'required for feedback' } },
        { path: 'line 7, column dissatisfied', message: { en: 'must be 1 or 0' } },
      ],
    });
    await expect(
      rates766FromCsv(file('unit,period,kind,on_time,dissatisfied,late\n')),
    ).rejects.toMatchObject({
      errors: [
        { path: 'line 1, column in_competence', message: { en: 'required column missing' } },
        { path: 'line 1, column late', message: { en: 'unknown column' } },
      ],
    });
  });
});
