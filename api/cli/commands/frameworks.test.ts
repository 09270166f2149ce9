import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { cliFor } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sipas-framework-'));
const write = (name: string, ...lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

// Field 1 (30) = 1.1 (10) + 1.2 (20 = 1.2.1 12 + 1.2.2 8, communes only); field 2 (20) = 2.1.
const tree = write(
  'framework.csv',
  'node,name,max,source,applies_to,guidance',
  '1,Chỉ đạo,,,,',
  '1.1,Kế hoạch,10,assessment,,Quyết định ban hành',
  '1.2,Kiểm tra,20,,,',
  '1.2.1,Tự kiểm tra,12,assessment,,',
  '1.2.2,Kiểm tra xã,8,assessment,commune,',
  '2,Hài lòng,20,,,',
  '2.1,SIPAS,20,sipas,,',
);

describe.each(engines)('sipas framework on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
  });
  afterAll(() => database.close());

  it('imports a tree and shows it as a table and as json', async () => {
    expect(
      await sipas('framework', 'import', 'p-tree', tree, '--name', 'Cây', '--bands', 'A:85,B:70'),
    ).toEqual({
      status: 0,
      stdout: 'stored p-tree: 7 nodes, 4 leaves, 50.000 points\n',
      stderr: '',
    });
    const table = await sipas('framework', 'show', 'p-tree');
    expect(table.stdout.split('\n').slice(0, 4)).toEqual([
      'p-tree: Cây, 50.000 points; bands A ≥ 85%, B ≥ 70%, C ≥ 0%',
      'node       name         max     source      applies to  guidance',
      '1          Chỉ đạo      30.000',
      '  1.1      Kế hoạch     10.000  assessment              Quyết định ban hành',
    ]);
    const json = await sipas('framework', 'show', 'p-tree', '--format', 'json');
    const shown: unknown = JSON.parse(json.stdout);
    expect(shown).toMatchObject({
      code: 'p-tree',
      nodes: [{ code: '1', max: 30, source: null }, {}, {}, {}, { appliesTo: ['commune'] }, {}, {}],
    });
    expect((await sipas('framework', 'show', 'nope')).status).toBe(1);
  });
});
