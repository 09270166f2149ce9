// `sipas officials …` on real engines: the instruments, a survey created, its group file
// loaded (a bad one refused whole, naming its lines), the links exported, one reissued, and
// the response rate as a table and as JSON.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialProgressSchema } from '../../../analysis/official-document.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { INVITATION_TOKEN_PATTERN } from '../../../shared/official.ts';
import { cliFor } from '../testing.ts';

const dir = mkdtempSync(join(tmpdir(), 'sipas-officials-'));
const write = (name: string, ...lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

const units = write('units.csv', 'unit,name,parent', 'P,Tỉnh P,', 'P.A,Sở A,P', 'P.B,Sở B,P');
const groups = write('groups.csv', 'unit,group,count', 'P.A,Lãnh đạo,2', 'P.B,Công chức,3');
const ownInstrument = write(
  'instrument.json',
  JSON.stringify({
    code: 'ld-rieng',
    name: { vi: 'Phiếu riêng', en: 'Own form' },
    items: [{ code: 'Q1', leaf: 'leaders', text: { vi: 'Câu một', en: 'One' } }],
  }),
);
const bad = write('bad.csv', 'unit,group,count', 'P.A,,2', 'P.Z,Khác,0');
const LINK = `/o/${INVITATION_TOKEN_PATTERN}`;

describe.each(engines)('sipas officials on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
  });
  afterAll(() => database.close());

  it('creates a survey and loads its groups, refusing a bad file whole', async () => {
    expect((await sipas('units', 'import', units)).status).toBe(0);
    expect((await sipas('officials', 'instruments')).stdout).toContain('par-officials-2020');
    expect(await sipas('officials', 'instruments', 'add', ownInstrument)).toEqual({
      status: 0,
      stdout: 'ld-rieng: created\n',
      stderr: '',
    });
    expect((await sipas('officials', 'instruments')).stdout).toContain('ld-rieng');
    const notJson = await sipas('officials', 'instruments', 'add', groups);
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toContain(`${groups} is not JSON`);
    const create = [
      'officials',
      'create',
      'CB-2025',
      '--name',
      'Điều tra cán bộ 2025',
      '--instrument',
      'par-officials-2020',
      '--framework',
      'par-2020-province',
      '--period',
      '2025',
      '--opens',
      '2025-10-01',
      '--closes',
      '2025-10-31',
    ];
    expect(await sipas(...create)).toEqual({
      status: 0,
      stdout: 'created CB-2025: par-2020-province 2025, 2025-10-01 to 2025-10-31\n',
      stderr: '',
    });
    const refused = await sipas('officials', 'groups', 'CB-2025', bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      'The file has 3 problems; nothing was stored.\n' +
        'line 2, column group: required\n' +
        'line 3, column unit: unknown unit P.Z\n' +
        'line 3, column count: 0 is not a whole number from 1 to 5000\n',
    );
    // 2 + 3 = 5 links.
    expect((await sipas('officials', 'groups', 'CB-2025', groups)).stdout).toBe(
      '2 groups, 5 links issued\n',
    );
  });

  it('exports the links, reissues one, and shows the response rate', async () => {
    const out = join(dir, 'links.csv');
    expect((await sipas('officials', 'links', 'CB-2025', '--out', out)).status).toBe(0);
    const file = readFileSync(out, 'utf8');
    expect(file.startsWith('\uFEFFunit,unit_name,group,number,link,status,issued\n')).toBe(true);
    const lines = file.trim().split('\n').slice(1);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatch(new RegExp(`${LINK},active,`));
    const ofB = await sipas('officials', 'links', 'CB-2025', '--unit', 'P.B');
    expect(ofB.stdout.trim().split('\n')).toHaveLength(1 + 3);

    const number = lines[0]?.split(',')[3] ?? '';
    const reissued = await sipas('officials', 'reissue', 'CB-2025', number, '--reason', 'Mất');
    expect(reissued.status).toBe(0);
    expect(reissued.stdout).toMatch(new RegExp(`^\\d+\\t\\S+${LINK}\\n$`));
    const again = await sipas('officials', 'reissue', 'CB-2025', number, '--reason', 'Mất');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`Link number ${number} is revoked already.`);

    const table = await sipas('officials', 'progress', 'CB-2025');
    expect(table.stdout).toContain('Lãnh đạo');
    expect(table.stdout).toMatch(/total\s+5\s+0\s+0\.0%/);
    const json = officialProgressSchema.parse(
      JSON.parse((await sipas('officials', 'progress', 'CB-2025', '--format', 'json')).stdout),
    );
    expect(json.units.map((u) => [u.unit, u.invited, u.answered])).toEqual([
      ['P.A', 2, 0],
      ['P.B', 3, 0],
    ]);
    expect(json.units[0]?.groups[0]?.revoked).toBe(1);
  });
});
