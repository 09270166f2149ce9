import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFor } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sipas-766-'));
const cases = join(dir, 'cases.csv');
// U1 2024: 4 files, 1 late → 75; 2 feedback, one in competence and late → 50 and 0.
writeFileSync(
  cases,
  [
    'unit,period,kind,on_time,dissatisfied,in_competence',
    'U1,2024,file,1,0,',
    'U1,2024,file,1,0,',
    'U1,2024,file,0,0,',
    'U1,2024,file,1,0,',
    'U1,2024,feedback,0,0,1',
    'U1,2024,feedback,1,0,0',
    'U2,2024,file,1,1,',
  ].join('\n'),
);

describe('sipas rates766', () => {
  // The rates need no database: the command never opens one.
  const sipas = cliFor('pglite', undefined);

  it('prints the rates as json, csv and a table', async () => {
    const json = await sipas('rates766', cases);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      family: '766',
      rows: [
        {
          unit: 'U1',
          period: '2024',
          files: 4,
          filesDissatisfiedOrLate: 1,
          fileSatisfaction: 75,
          feedback: 2,
          feedbackDissatisfiedOrLate: 1,
          feedbackSatisfaction: 50,
          feedbackInCompetence: 1,
          feedbackInCompetenceOnTime: 0,
          feedbackOnTime: 0,
        },
        {
          unit: 'U2',
          period: '2024',
          files: 1,
          filesDissatisfiedOrLate: 1,
          fileSatisfaction: 0,
          feedback: 0,
          feedbackDissatisfiedOrLate: 0,
          feedbackSatisfaction: null,
          feedbackInCompetence: 0,
          feedbackInCompetenceOnTime: 0,
          feedbackOnTime: null,
        },
      ],
    });
    expect((await sipas('rates766', cases, '--format', 'csv')).stdout).toBe(
      'unit,period,files,files_dissatisfied_or_late,file_satisfaction,feedback,' +
        'feedback_dissatisfied_or_late,feedback_satisfaction,feedback_in_competence,' +
        'feedback_in_competence_on_time,feedback_on_time\n' +
        'U1,2024,4,1,75,2,1,50,1,0,0\n' +
        'U2,2024,1,1,0,0,0,,0,0,\n',
    );
    const table = (await sipas('rates766', cases, '--format', 'table')).stdout.split('\n');
    expect(table.slice(1, 3).map((line) => line.split(/\s+/))).toEqual([
      ['U1', '2024', '4', '75.00', '2', '50.00', '1', '0.00'],
      ['U2', '2024', '1', '0.00', '0', '–', '0', '–'],
    ]);
  });

  it('exits 1 on a bad or missing file, 2 on a bad format', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'unit,period,kind,on_time,dissatisfied,in_competence\nU1,2024,file,x,0,\n');
    expect(await sipas('rates766', bad)).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'The file has 1 problem; no rates were computed.\nline 2, column on_time: must be 1 or 0\n',
    });
    expect((await sipas('rates766', join(dir, 'none.csv'))).status).toBe(1);
    expect((await sipas('rates766', cases, '--format', 'xlsx')).status).toBe(2);
  });
});
