// `sipas peers import|list|show` and a scorecard of a peer group, through the command.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { cliFor } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sipas-peers-'));
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
  'Q,Tỉnh Q,',
  'Q.X,Sở X,Q',
);
// P.A 50 + 8 + 20 = 78, Q.X 55 + 9 + 18 = 82: Q.X first.
const points = write(
  'points.csv',
  'unit,component,points',
  ...['P.A,appraisal,50', 'P.A,sipas,8', 'P.A,leaders,20'],
  ...['Q.X,appraisal,55', 'Q.X,sipas,9', 'Q.X,leaders,18'],
);
const good = write('peers.csv', 'group,period,unit', 'so,2020,P.A', 'so,2020,Q.X');
const bad = write('bad.csv', 'group,period,unit', 'so,2020,P.A', 'so,20,Q.X', 'so,2020,NOPE');

describe.each(engines)('sipas peers on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
    expect((await sipas('units', 'import', units)).status).toBe(0);
  });
  afterAll(() => database.close());

  it('refuses a bad file whole, then imports, lists and shows a group', async () => {
    const refused = await sipas('peers', 'import', bad);
    expect(refused).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'The file has 2 problems; nothing was stored.\n' +
        'line 3, column period: not a period such as 2025, 2025-H1, 2025-Q3 or 2025-07\n' +
        'line 4, column unit: unknown unit NOPE\n',
    });
    expect(await sipas('peers', 'import', good)).toEqual({
      status: 0,
      stdout: 'so 2020: 2 units\n',
      stderr: '',
    });
    expect((await sipas('peers', 'import', good)).stdout).toBe('so 2020: 2 units, replaced\n');
    expect((await sipas('peers', 'list')).stdout).toBe(
      'group  period  units\nso       2020      2\n',
    );
    expect((await sipas('peers', 'show', 'so', '--period', '2020')).stdout).toBe(
      'so 2020 (the map of 2020-12-31), 2 units\nunit  name\nP.A   Sở A\nQ.X   Sở X\n',
    );
  });

  it('ranks a scorecard within the group', async () => {
    const framework = ['--framework', 'par-2020-province', '--period', '2020'];
    expect((await sipas('par', 'import', ...framework, points)).status).toBe(0);
    const card = await sipas('par', 'scorecard', ...framework, '--peers', 'so', '--format', 'csv');
    expect(card.status).toBe(0);
    expect(
      card.stdout
        .split('\n')
        .slice(1, 3)
        .map((line) => line.split(',').slice(0, 4)),
    ).toEqual([
      ['Q.X', '82', '', '1'],
      ['P.A', '78', '', '2'],
    ]);
  });
});
