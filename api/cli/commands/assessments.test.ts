import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { FRAMEWORK, openAssessmentFixture, PERIOD } from '../../services/assessments.testing.ts';
import { cliFor } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sipas-assessment-'));
const write = (name: string, ...lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

const round = ['--framework', FRAMEWORK, '--period', PERIOD];

describe.each(engines)('sipas assessment on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  const stored = async () => {
    const connection = sipas.open();
    try {
      return await connection.db
        .selectFrom('par_points as p')
        .innerJoin('unit as u', 'u.id', 'p.unit_id')
        .select(['u.code', 'p.component', 'p.points', 'p.source'])
        .orderBy('u.code')
        .orderBy('p.component')
        .execute();
    } finally {
      await connection.close();
    }
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
    expect((await sipas('migrate')).status).toBe(0);
    const connection = sipas.open();
    try {
      await openAssessmentFixture(connection.db, '2099-12-31');
    } finally {
      await connection.close();
    }
  }, 120_000);
  afterAll(() => database.close());

  it('imports self-scores all or nothing, submits them, then the appraisal of each stage', async () => {
    const bad = write(
      'bad.csv',
      'unit,node,score,explanation,evidence,not_applicable',
      'T.H.X1,1.1,11,,,',
      'T.H.X1,1.2,3,,,',
      'T.H.X9,1.1,3,,,',
      'T.H.X1,1.2.1,abc,,,',
      'T.H.X1,1.2.2,2,,bad,',
    );
    const refused = await sipas('assessment', 'import', ...round, bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr.split('\n')).toEqual([
      'The file has 5 problems; nothing was stored.',
      'line 2, column score: 11 is outside [0, 10]',
      'line 3, column node: 1.2 has sub-nodes: scores go on its leaves',
      'line 4, column unit: Unknown unit T.H.X9.',
      'line 5, column score: not a number of points such as 2.5',
      'line 6, column evidence: bad is not a document reference NUMBER; YYYY-MM-DD; ISSUER',
      '',
    ]);
    expect(await stored()).toEqual([]);

    const scores = write(
      'scores.csv',
      'unit,node,score,explanation,evidence,not_applicable',
      'T.H.X1,1.1,8,Kế hoạch số 3,,',
      'T.H.X1,1.2.1,12,,"15/KH-UBND; 2025-03-02; UBND xã X1",',
      'T.H.X1,1.2.2,4,Biên bản,,',
      'T.H.X2,1.1,6,,"2/QĐ; 2025-01-05; UBND",',
      'T.H.X2,1.2.1,0,,,',
      'T.H.X2,1.2.2,,,,Xã không có thôn',
    );
    expect(await sipas('assessment', 'import', ...round, scores)).toEqual({
      status: 0,
      stdout: 'stored 6 leaves of 2 units: 2 submitted\n',
      stderr: '',
    });
    expect((await stored()).map((p) => [p.code, p.component, p.points, p.source])).toEqual([
      ['T.H.X1', '1.1', 8, 'self-assessed'],
      ['T.H.X1', '1.2.1', 12, 'self-assessed'],
      ['T.H.X1', '1.2.2', 4, 'self-assessed'],
      ['T.H.X2', '1.1', 6, 'self-assessed'],
      ['T.H.X2', '1.2.1', 0, 'self-assessed'],
      ['T.H.X2', '1.2.2', null, 'self-assessed'],
    ]);

    const appraisal = ['--stage', 'appraisal'];
    const unexplained = write(
      'unexplained.csv',
      'unit,node,score,explanation,not_applicable',
      'T.H.X1,1.2.1,10,,',
    );
    const noReason = await sipas('assessment', 'import', ...round, ...appraisal, unexplained);
    expect(noReason.stderr).toContain(
      'line 2, column explanation: required when the appraised score differs from the self-score (12)',
    );
    const parent = write(
      'parent.csv',
      'unit,node,score,explanation,not_applicable',
      'T.H.X1,1.1,8,,',
      'T.H.X1,1.2.1,10,Thiếu biên bản,',
      'T.H.X1,1.2.2,4,,',
      'T.H.X2,1.1,6,,',
      'T.H.X2,1.2.1,0,,',
      'T.H.X2,1.2.2,,,accepted',
    );
    expect((await sipas('assessment', 'import', ...round, ...appraisal, parent)).stdout).toBe(
      'stored 6 leaves of 2 units: 2 submitted\n',
    );
    const top = write(
      'top.csv',
      'unit,node,score,explanation,not_applicable',
      'T.H.X1,1.1,7,Ban hành muộn,',
      'T.H.X2,1.1,6,,',
    );
    expect((await sipas('assessment', 'import', ...round, ...appraisal, top)).stdout).toBe(
      'stored 2 leaves of 2 units: 2 appraised\n',
    );
    // X1: 7 + 10 + 4 = 21 appraised; X2: 6 + 0, and 1.2.2 accepted as not applicable.
    const points = await stored();
    expect(points.map((p) => [p.code, p.component, p.points, p.source])).toEqual([
      ['T.H.X1', '1.1', 7, 'appraised'],
      ['T.H.X1', '1.2.1', 10, 'appraised'],
      ['T.H.X1', '1.2.2', 4, 'appraised'],
      ['T.H.X2', '1.1', 6, 'appraised'],
      ['T.H.X2', '1.2.1', 0, 'appraised'],
      ['T.H.X2', '1.2.2', null, 'appraised'],
    ]);
    const x1 = points.filter((p) => p.code === 'T.H.X1');
    expect(x1.reduce((sum, p) => sum + (p.points ?? 0), 0)).toBeCloseTo(21, 9);
  });

  it('prints the status as json and as a table', async () => {
    const json = await sipas('assessment', 'status', ...round, '--format', 'json');
    expect(json.status).toBe(0);
    const overview: unknown = JSON.parse(json.stdout);
    expect(overview).toMatchObject({
      framework: FRAMEWORK,
      peers: 'T.H',
      stages: ['parent', 'top'],
      units: [
        { unit: 'T.H.X1', state: 'appraised', scored: 3, leaves: 3, late: false },
        { unit: 'T.H.X2', state: 'appraised', scored: 3, leaves: 3, late: false },
      ],
    });
    const table = await sipas('assessment', 'status', ...round);
    expect(table.stdout.split('\n').slice(0, 2)).toEqual([
      `${FRAMEWORK} ${PERIOD}, peers T.H, deadline 2099-12-31, stages parent, top`,
      expect.stringMatching(/^unit +name +state +stage +scored +returned +submitted +late$/),
    ]);
    expect(
      (await sipas('assessment', 'status', '--framework', FRAMEWORK, '--period', '2030')).status,
    ).toBe(1);
  });
});
