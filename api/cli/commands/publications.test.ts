// `sipas par publish`, `par publications`, `par publication import`, and `par scorecard` of a
// published period, through the command.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { cliFor } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sipas-publication-'));
const write = (name: string, ...lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

const units = write('units.csv', 'unit,name,parent', 'P,Tỉnh P,', 'P.A,Sở A,P', 'P.B,Sở B,P');
// A 55 + 8.5 + 19.5 = 83, B 61 + 9.6 + 20.5 = 91.1: B first.
const points = write(
  'points.csv',
  'unit,component,points',
  ...['P.A,appraisal,55', 'P.A,sipas,8.5', 'P.A,leaders,19.5'],
  ...['P.B,appraisal,61', 'P.B,sipas,9.6', 'P.B,leaders,20.5'],
);
// A's appraisal corrected to 66.5: 94.5, now first.
const corrected = write('corrected.csv', 'unit,component,points', 'P.A,appraisal,66.5');
const ranks = write('ranks.csv', 'unit,points,rank,band', 'P,85.62,11,B', 'HCM,91.5,1,A');
const badRanks = write('bad-ranks.csv', 'unit,points,rank', 'P,85.62,first');

describe.each(engines)('sipas par publish on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  const key = ['--framework', 'par-2020-province', '--period', '2020', '--peers', 'P'];
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
    expect((await sipas('units', 'import', units)).status).toBe(0);
    const args = ['par', 'import', '--framework', 'par-2020-province', '--period', '2020'];
    expect((await sipas(...args, points)).stdout).toBe('stored 6\n');
  });
  afterAll(() => database.close());

  it('publishes, refuses a second version without a reason, and lists the versions', async () => {
    expect(await sipas('par', 'publish', ...key)).toEqual({
      status: 0,
      stdout: 'published par-2020-province 2020 P: version 1, 2 units\n',
      stderr: '',
    });
    const again = await sipas('par', 'publish', ...key);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('reason: version 1 is published: a correction needs its reason');
    const args = ['par', 'import', '--framework', 'par-2020-province', '--period', '2020'];
    expect((await sipas(...args, corrected)).stdout).toBe('stored 1\n');

    const table = await sipas('par', 'scorecard', ...key, '--format', 'table');
    expect(table.stdout).toMatch(/\npublished version 1 at \d{4}-\d\d-\d\dT[^;]*; --live/);
    const published = JSON.parse((await sipas('par', 'scorecard', ...key)).stdout);
    expect(published.published).toMatchObject({ version: 1, reason: null, source: 'service' });
    expect(published.rows.map((r: { unit: string }) => r.unit)).toEqual(['P.B', 'P.A']);
    const live = JSON.parse((await sipas('par', 'scorecard', ...key, '--live')).stdout);
    expect(live.published).toBeUndefined();
    expect(live.rows.map((r: { unit: string }) => r.unit)).toEqual(['P.A', 'P.B']);
    const csv = await sipas('par', 'scorecard', ...key, '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toMatch(/^unit,total,/);
    expect(csv.stderr).toMatch(/^published version 1 at /);

    const second = await sipas('par', 'publish', ...key, '--reason', 'Sửa điểm thẩm định của P.A');
    expect(second.stdout).toBe('published par-2020-province 2020 P: version 2, 2 units\n');
    const list = await sipas('par', 'publications', ...key, '--format', 'json');
    const versions = JSON.parse(list.stdout).versions;
    expect(
      versions.map((v: { version: number; reason: string | null }) => [v.version, v.reason]),
    ).toEqual([
      [1, null],
      [2, 'Sửa điểm thẩm định của P.A'],
    ]);
    const shown = await sipas('par', 'publications', ...key);
    expect(shown.stdout.split('\n')[0]).toBe('par-2020-province 2020, peers P');
    expect(shown.stdout).toContain('Sửa điểm thẩm định của P.A');
  });

  it('imports ranks published elsewhere, refusing a bad file whole', async () => {
    const elsewhere = ['--framework', 'par-2020-province', '--period', '2020', '--peers', 'VN63'];
    const refused = await sipas(
      'par',
      'publication',
      'import',
      ...elsewhere,
      '--source',
      'Bộ Nội vụ',
      badRanks,
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      'The file has 1 problem; nothing was stored.\n' +
        'line 2, column rank: not a rank, a whole number from 1\n',
    );
    const imported = await sipas(
      'par',
      'publication',
      'import',
      ...elsewhere,
      '--source',
      'Bộ Nội vụ',
      ranks,
    );
    expect(imported.stdout).toBe('imported par-2020-province 2020 VN63: version 1, 2 units\n');
    const card = JSON.parse(
      (await sipas('par', 'scorecard', ...elsewhere, '--level', 'total')).stdout,
    );
    expect(card.published).toMatchObject({ version: 1, source: 'import', origin: 'Bộ Nội vụ' });
    expect(
      card.rows.map((r: { unit: string; rank: number; band: string }) => [r.unit, r.rank, r.band]),
    ).toEqual([
      ['HCM', 1, 'A'],
      ['P', 11, 'B'],
    ]);
  });
});
