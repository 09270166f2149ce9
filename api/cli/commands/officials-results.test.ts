// `sipas officials results` and `sipas officials derive` against a survey stored as rows (the
// staff and public sides write them); the figures are the service test's (official-results.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { officialInstrumentByCode } from '../../services/official-instruments.ts';
import { frameworkByCode } from '../../services/par.ts';
import { cliFor } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sipas-officials-'));
const units = join(dir, 'units.csv');
writeFileSync(units, 'unit,name,parent\nP,Tỉnh P,\nP.A,Sở A,P\n');

describe.each(engines)('sipas officials results and derive on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;

  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
    expect((await sipas('units', 'import', units)).status).toBe(0);
    const { db, close } = sipas.open();
    try {
      const instrument = await officialInstrumentByCode(db, 'par-officials-2020');
      const framework = await frameworkByCode(db, 'par-2020-province');
      const unit = await db
        .selectFrom('unit')
        .select('id')
        .where('code', '=', 'P.A')
        .executeTakeFirstOrThrow();
      const survey = await db
        .insertInto('official_survey')
        .values({
          code: 'LD-2025',
          name: 'Điều tra cán bộ 2025',
          instrument_id: instrument.id,
          framework_id: framework.id,
          period: '2025',
          opens_on: '2025-10-01',
          closes_on: '2025-10-31',
          created_by: 'test',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const group = await db
        .insertInto('official_group')
        .values({ survey_id: survey.id, unit_id: unit.id, name: 'Lãnh đạo sở', invited: 10 })
        .returning('id')
        .executeTakeFirstOrThrow();
      // Six of ten, every item answered alike: y = 100, 100, 60, 60, 20, 0.
      for (const option of [0, 0, 1, 1, 2, 3]) {
        await db
          .insertInto('official_response')
          .values({ group_id: group.id, answers: Array.from({ length: 8 }, () => option) })
          .execute();
      }
    } finally {
      await close();
    }
  });
  afterAll(() => database.close());

  it('prints the results as a table and as CSV', async () => {
    // ȳ = 170/3 %, points 3995/300 = 13.316667, SE = 0.235 × sqrt(1000/9) = 2.477118,
    // interval [8.461606, 18.171728] (analysis/official-scoring.test.ts).
    const table = await sipas('officials', 'results', 'LD-2025', '--format', 'table');
    expect(table.stderr).toBe('');
    expect(table.stdout).toBe(
      'LD-2025 par-2020-province 2025, groups under 5 withheld\n' +
        'unit  group        leaf     answered   rate  n  points    max    SE  95% interval\n' +
        'P.A                leaders      6/10  60.0%  6   13.32  23.50  2.48    8.46–18.17\n' +
        'P.A   Lãnh đạo sở  leaders      6/10  60.0%  6   13.32  23.50  2.48    8.46–18.17\n',
    );
    const csv = await sipas('officials', 'results', 'LD-2025', '--format', 'csv');
    const [header, unitRow] = csv.stdout.split('\n');
    expect(header).toBe(
      'unit,unit_name,group,invited,answered,rate,suppressed,leaf,max,respondents,mean_share,' +
        'points,se,low,high',
    );
    const cells = (unitRow ?? '').split(',');
    expect(cells.slice(0, 10)).toEqual([
      'P.A',
      'Sở A',
      '',
      '10',
      '6',
      '0.6',
      '',
      'leaders',
      '23.5',
      '6',
    ]);
    expect(Number(cells[11])).toBeCloseTo(3995 / 300, 9);
    expect(Number(cells[12])).toBeCloseTo(0.235 * Math.sqrt(1000 / 9), 9);
  });

  it('derives the points, and refuses an unknown survey', async () => {
    expect(await sipas('officials', 'derive', 'LD-2025')).toEqual({
      status: 0,
      stdout: 'stored 1 (1 units)\n',
      stderr: '',
    });
    const unknown = await sipas('officials', 'derive', 'NONE');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('NONE');
  });
});
