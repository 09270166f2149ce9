import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../../db/connect.ts';
import { migrateToLatest } from '../../../db/migrate.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { ensureBuiltins } from '../../services/builtins.ts';
import { openExampleCampaign } from '../../services/examples.testing.ts';
import { importUnits } from '../../services/units.ts';
import { importPoints, parScorecard } from '../../services/par.ts';
import { cliFor } from '../testing.ts';
import { localFiles } from './input.ts';
import { operator } from '../../services/access.ts';

const dir = mkdtempSync(join(tmpdir(), 'sipas-par-'));
const write = (name: string, ...lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

const units = write(
  'units.csv',
  'unit,name,parent',
  'P,Tỉnh P,',
  'P.A,Sở A,P',
  'P.B,Sở B,P',
  'P.C,Sở C,P',
);
// 2019: A 55 + 8.5 + 19.5 = 83, B 61 + 9.6 + 20.5 = 91.1.
const points2019 = write(
  'points-2019.csv',
  'unit,component,points',
  ...['P.A,appraisal,55', 'P.A,sipas,8.5', 'P.A,leaders,19.5'],
  ...['P.B,appraisal,61', 'P.B,sipas,9.6', 'P.B,leaders,20.5'],
);
// 2020: B 89.5, C 85.62, A 85.58.
const points2020 = write(
  'points-2020.csv',
  'unit,component,points',
  ...['P.A,appraisal,56.93', 'P.A,sipas,9.29', 'P.A,leaders,19.36'],
  ...['P.B,appraisal,60', 'P.B,sipas,9.5', 'P.B,leaders,20'],
  ...['P.C,appraisal,55.5', 'P.C,sipas,9.12', 'P.C,leaders,21'],
);
const bad = write('bad.csv', 'unit,component,points', 'P.A,sipas,10.5', 'P.Q,sipas,5');

describe.each(engines)('sipas par on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  const framework = ['--framework', 'par-2020-province'];
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
  });
  afterAll(() => database.close());

  it('imports points files', async () => {
    expect((await sipas('units', 'import', units)).status).toBe(0);
    expect(await sipas('par', 'import', ...framework, '--period', '2019', points2019)).toEqual({
      status: 0,
      stdout: 'stored 6\n',
      stderr: '',
    });
    expect(
      (await sipas('par', 'import', ...framework, '--period', '2020', points2020)).stdout,
    ).toBe('stored 9\n');
  });

  it('refuses a bad file whole, naming its lines (the service test shows nothing is stored)', async () => {
    const refused = await sipas('par', 'import', ...framework, '--period', '2021', bad);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'The file has 2 problems; nothing was stored.\n' +
        'line 2, column points: 10.5 is outside [0, 10]\n' +
        'line 3, column unit: unknown unit P.Q\n',
    );
    expect((await sipas('par', 'import', ...framework, bad)).status).toBe(2);
  });

  it('imports a flat framework, all or nothing, and then takes points against it', async () => {
    const departments = write(
      'departments.csv',
      'node,name,max',
      'tasks,Thực hiện nhiệm vụ,70',
      'sipas,Sự hài lòng,30',
    );
    const args = ['framework', 'import', 'p-departments', departments, '--name', 'Các sở'];
    expect(await sipas(...args)).toEqual({
      status: 0,
      stdout: 'stored p-departments: 2 nodes, 2 leaves, 100.000 points\n',
      stderr: '',
    });
    // Without points it may still change; with points, a change is a new version.
    expect((await sipas(...args)).stdout).toBe(
      'replaced p-departments: 2 nodes, 2 leaves, 100.000 points\n',
    );
    const points = write('departments-2025.csv', 'unit,component,points', 'P.A,tasks,70.5');
    const over = await sipas(
      'par',
      'import',
      '--framework',
      'p-departments',
      '--period',
      '2025',
      points,
    );
    expect(over.stderr).toContain('line 2, column points: 70.5 is outside [0, 70]');
    const fits = write('departments-2024.csv', 'unit,component,points', 'P.A,tasks,60');
    const args2024 = ['--framework', 'p-departments', '--period', '2024', fits];
    expect((await sipas('par', 'import', ...args2024)).stdout).toBe('stored 1\n');
    const again = await sipas(...args);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('The PAR framework p-departments has points and never changes');

    const broken = write(
      'broken.csv',
      'node,name,max',
      'tasks,Nhiệm vụ,lots',
      'sipas,Sự hài lòng,-30',
    );
    const refused = await sipas('framework', 'import', 'p-broken', broken);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      'The file has 2 problems; nothing was stored.\n' +
        'line 2, column max: not a number of points such as 30\n' +
        'line 3, column max: -30 is negative\n',
    );
    const negative = write('negative.csv', 'node,name,max', 'sipas,Sự hài lòng,-30');
    const refusedToo = await sipas('framework', 'import', 'p-broken', negative);
    expect(refusedToo.stderr).toMatch(
      /^The file has 1 problem; nothing was stored\.\nline 2, column max: /,
    );
    const stillMissing = await sipas(
      'par',
      'import',
      '--framework',
      'p-broken',
      '--period',
      '2025',
      points,
    );
    expect(stillMissing.stderr).toContain('p-broken');
    expect(stillMissing.status).toBe(1);
  });

  it('prints the scorecard document of the service as json, and as csv and a table', async () => {
    const args = [
      'par',
      'scorecard',
      ...framework,
      '--period',
      '2020',
      '--peers',
      'P',
      '--top',
      '2',
    ];
    const printed = await sipas(...args, '--format', 'json');
    expect(printed.status).toBe(0);
    const connection = sipas.open();
    let expected: unknown;
    try {
      expected = await parScorecard(connection.db, operator(), {
        framework: 'par-2020-province',
        period: '2020',
        peers: 'P',
        top: 2,
      });
    } finally {
      await connection.close();
    }
    expect(JSON.parse(printed.stdout)).toEqual(expected);
    // Second in rank order: P.C, 85.62; P.A is 0.04 short of it.
    expect(JSON.parse(printed.stdout)).toMatchObject({
      previous: '2019',
      target: expect.closeTo(85.62, 9),
      rows: [
        { unit: 'P.B', rank: 1, rankChange: 0, gapToTarget: 0 },
        { unit: 'P.C', rank: 2, change: null, rankChange: null, gapToTarget: 0 },
        { unit: 'P.A', rank: 3, rankChange: -1, gapToTarget: expect.closeTo(0.04, 9) },
      ],
    });

    const csv = (await sipas(...args, '--format', 'csv')).stdout.split('\n');
    expect(csv[0]).toBe(
      'unit,total,change,rank,rank_change,gap_to_target,' +
        ['appraisal', 'sipas', 'leaders']
          .map((c) =>
            ['points', 'max', 'available', 'change', 'rank', 'rank_change'].map((f) => `${c}_${f}`),
          )
          .join(',') +
        ',previous_from',
    );
    const cell = (value: string) => (value === '' ? null : Number(value));
    const close = (values: (number | null)[]) =>
      values.map((v) => (v === null ? null : expect.closeTo(v, 9)));
    expect(csv.slice(1, 3).map((line) => line.split(',').slice(1).map(cell))).toEqual([
      // P.B: sipas 1st in both years; leaders 2nd behind P.C, 1st in 2019.
      close([
        ...[89.5, -1.6, 1, 0, 0],
        ...[60, 66.5, 6.5, -1, 1, 0],
        ...[9.5, 10, 0.5, -0.1, 1, 0],
        ...[20, 23.5, 3.5, -0.5, 2, -1],
        null, // previous_from: its own points
      ]),
      // P.C, new in 2020: appraisal 55.5 and sipas 9.12 3rd, leaders 21 1st.
      close([
        ...[85.62, null, 2, null, 0],
        ...[55.5, 66.5, 11, null, 3, null],
        ...[9.12, 10, 0.88, null, 3, null],
        ...[21, 23.5, 2.5, null, 1, null],
        null,
      ]),
    ]);
    expect(csv.slice(1, 4).map((line) => line.split(',')[0])).toEqual(['P.B', 'P.C', 'P.A']);
    const table = (await sipas(...args, '--format', 'table')).stdout.split('\n');
    expect(table[0]).toBe('par-2020-province 2020, peers P, previous 2019, top 2: 85.62');
    expect(table[3]?.split(/\s+/)).toEqual([
      'P.C',
      '85.62',
      '–',
      '2',
      '–',
      '0.00',
      '55.50',
      '3',
      '9.12',
      '3',
      '21.00',
      '1',
    ]);
  });

  it('adds the nodes of --level, with targets from --targets', async () => {
    const targets = write('targets.csv', 'node,top', 'leaders,2');
    const args = ['par', 'scorecard', ...framework, '--period', '2020', '--peers', 'P'];
    const printed = await sipas(...args, '--level', 'field', '--targets', targets);
    expect(printed.status).toBe(0);
    // Leaders of 23.5: P.C 21 (89.3617021277%) 1st, P.B 20 (85.1063829787%) 2nd, the top 2
    // target, P.A 19.36 (82.3829787234%) 3rd, 20 − 19.36 = 0.64 points short.
    const rows = JSON.parse(printed.stdout).rows;
    expect(rows.map((r: { unit: string }) => r.unit)).toEqual(['P.B', 'P.C', 'P.A']);
    expect(rows[2].nodes.leaders).toMatchObject({
      percent: expect.closeTo(82.3829787234, 9),
      rank: 3,
      target: expect.closeTo(85.1063829787, 9),
      gapToTarget: expect.closeTo(0.64, 9),
    });
    expect(rows[1].nodes.leaders).toMatchObject({ rank: 1, gapToTarget: 0 });
    // The table of a level shows its nodes (percent and rank), not every leaf's points.
    const table = (
      await sipas(...args, '--level', 'field', '--targets', targets, '--format', 'table')
    ).stdout.split('\n');
    expect(table[1]?.trim().split(/\s{2,}/)).toEqual([
      'unit',
      'total',
      'change',
      'rank',
      'rank change',
      'gap',
      'band',
      'appraisal %',
      'rank',
      'sipas %',
      'rank',
      'leaders %',
      'rank',
    ]);
    const pa = table[4]?.trim().split(/\s+/) ?? [];
    expect([pa[0], ...pa.slice(-2)]).toEqual(['P.A', '82.38', '3']);
    const wrong = await sipas(...args, '--level', 'leaf');
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('--level must be one of total, field, criterion, all');
  });

  it('derives SIPAS points from a campaign', async () => {
    const connection = sipas.open();
    try {
      await openExampleCampaign(connection.db);
    } finally {
      await connection.close();
    }
    const derived = await sipas(
      'par',
      'derive',
      ...framework,
      '--period',
      '2025',
      '--campaign',
      'BRVT-2025',
    );
    expect(derived).toEqual({ status: 0, stdout: 'stored 4\n', stderr: '' });
    const card = await sipas(
      'par',
      'scorecard',
      ...framework,
      '--period',
      '2025',
      '--peers',
      'BRVT',
    );
    // SIPAS 92.5021978021978% of Châu Đức → 9.25021978021978 of 10 points.
    expect(JSON.parse(card.stdout)).toMatchObject({
      rows: [
        { unit: 'BRVT.CHAUDUC', total: expect.closeTo(9.25021978021978, 9), rank: 1 },
        { unit: 'BRVT.SKHDT', total: expect.closeTo(7.81856609574001, 9), rank: 2 },
        { unit: 'BRVT.STP', total: expect.closeTo(7.72567251461988, 9), rank: 3 },
      ],
    });
  });
});

describe('./bin/sipas.js par scorecard', () => {
  it("prints the service's document from an embedded database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sipas-par-bin-'));
    const connection = connect({ engine: 'pglite', dataDir });
    const actor = operator();
    let expected: unknown;
    try {
      await migrateToLatest(connection.db);
      await ensureBuiltins(connection.db);
      await localFiles.read(units, (input) => importUnits(connection.db, actor, input));
      for (const [period, path] of [
        ['2019', points2019],
        ['2020', points2020],
      ] as const) {
        await localFiles.read(path, (input) =>
          importPoints(connection.db, actor, { framework: 'par-2020-province', period }, input),
        );
      }
      expected = await parScorecard(connection.db, operator(), {
        framework: 'par-2020-province',
        period: '2020',
        peers: 'P',
      });
    } finally {
      await connection.close();
    }
    const { stdout } = await promisify(execFile)(
      './bin/sipas.js',
      [
        'par',
        'scorecard',
        '--framework',
        'par-2020-province',
        '--period',
        '2020',
        '--peers',
        'P',
        '--data',
        dataDir,
      ],
      { env: { ...process.env, DATABASE_URL: '' } },
    );
    expect(JSON.parse(stdout)).toEqual(expected);
    expect(JSON.parse(stdout)).toMatchObject({ top: null, target: null, previous: '2019' });
  });
});
