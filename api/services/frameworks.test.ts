import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BANDS, frameworkTreeSchema } from '../../analysis/par-tree.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator } from './access.ts';
import { openRound } from './assessments.ts';
import { ensureBuiltins } from './builtins.ts';
import { frameworkTree, importFrameworkTree, parseBands, readTargets } from './frameworks.ts';
import { frameworkByCode, importPoints, parScorecard } from './par.ts';
import { importUnits } from './units.ts';

const actor = operator();
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

// Three levels, 50 points: field 1 (30 = 1.1 10 + 1.2 20, its maximum left empty), 1.2 =
// 1.2.1 12 + 1.2.2 8 (districts only); field 2 (20) = 2.1 10 (SIPAS) + 2.2 10 (imported).
const threeLevels = () =>
  file(
    'node,name,max,source,applies_to,guidance',
    '1,Công tác chỉ đạo,30,,,',
    '1.1,Kế hoạch CCHC,10,assessment,,Quyết định ban hành kế hoạch',
    '1.2,Kiểm tra,,,,',
    '1.2.1,Tự kiểm tra,12,assessment,,',
    '1.2.2,Kiểm tra cấp xã,8,assessment,district; town,',
    '2,Sự hài lòng,20,,,',
    '2.1,SIPAS,10,sipas,,',
    '2.2,Điểm khác,10,import,,',
  );

describe.each(engines)('framework trees on %s', (engine) => {
  let database: TestDatabase;
  const frameworkRows = async () =>
    (await database.db.selectFrom('par_framework').select('code').orderBy('code').execute()).map(
      (row) => row.code,
    );

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    await importUnits(database.db, actor, file('unit,name,parent', 'P,Tỉnh P,', 'P.A,Sở A,P'));
  });
  afterAll(() => database.close());

  it('reads the flat par-2020-province as a tree of depth one', async () => {
    const tree = await frameworkTree(database.db, 'par-2020-province');
    expect(tree.nodes.map((n) => [n.code, n.max, n.source])).toEqual([
      ['appraisal', 66.5, 'import'],
      ['sipas', 10, 'sipas'],
      ['leaders', 23.5, 'survey'],
    ]);
    expect(tree.bands).toEqual(DEFAULT_BANDS);
    await expect(frameworkTree(database.db, 'nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('imports a three-level framework, its inner maxima the sums of their children', async () => {
    const { framework, replaced } = await importFrameworkTree(
      database.db,
      actor,
      { code: 't-three', name: 'Ba cấp', bands: 'A:85,B:70' },
      threeLevels(),
    );
    expect(replaced).toBe(false);
    const stored = await frameworkTree(database.db, 't-three');
    expect(stored).toEqual(framework);
    // 1.2 = 12 + 8 = 20; field 1 given 30 = 10 + 20.
    expect(stored.nodes.map((n) => [n.code, n.max, n.source])).toEqual([
      ['1', 30, null],
      ['1.1', 10, 'assessment'],
      ['1.2', 20, null],
      ['1.2.1', 12, 'assessment'],
      ['1.2.2', 8, 'assessment'],
      ['2', 20, null],
      ['2.1', 10, 'sipas'],
      ['2.2', 10, 'import'],
    ]);
    expect(stored.nodes[4]?.appliesTo).toEqual(['district', 'town']);
    // Points go on leaves; an inner node's are its leaves' sum (./par-tree.test.ts).
    await expect(
      importPoints(
        database.db,
        actor,
        { framework: 't-three', period: '2025' },
        file('unit,component,points', 'P.A,1.2,5'),
      ),
    ).rejects.toMatchObject({ code: 'invalid', errors: [{ path: 'line 2, column component' }] });
    expect(stored.nodes[1]?.guidance).toBe('Quyết định ban hành kế hoạch');
    // Below C:70 the next letter starts at 0.
    expect(stored.bands).toEqual([
      { band: 'A', min: 85 },
      { band: 'B', min: 70 },
      { band: 'C', min: 0 },
    ]);
  });

  it('refuses a bad file whole, every bad row named, and stores nothing', async () => {
    const before = await frameworkRows();
    const bad = file(
      'node,name,max,source',
      '1,Lĩnh vực 1,25,',
      '1.1,Tiêu chí,10,assessment',
      '1.2,Tiêu chí,-5,assessment',
      '1.1,Trùng,5,assessment',
      '3.1,Mồ côi,5,import',
      '4..1,Mã hỏng,5,import',
      '5,Thiếu điểm,,survey',
      '6,Nguồn lạ,5,ministry',
      '7,Không điểm,0,import',
    );
    await expect(
      importFrameworkTree(database.db, actor, { code: 't-bad' }, bad),
    ).rejects.toMatchObject({
      code: 'invalid',
      message: 'The file has 5 problems; nothing was stored.',
      errors: [
        { path: 'line 4, column max', message: { en: '-5 is negative' } },
        { path: 'line 5, column node', message: { en: '1.1 is also on line 3' } },
        { path: 'line 8, column max', message: { en: 'required on a leaf' } },
        {
          path: 'line 9, column source',
          message: { en: 'unknown source ministry: assessment, sipas, survey or import' },
        },
        { path: 'line 10, column max', message: { en: 'must be more than 0' } },
      ],
    });
    // Past the cells, the tree: an inner maximum that is not its children's sum, an orphan, a
    // bad code, each on its row.
    const badTree = file(
      'node,name,max,source',
      '1,Lĩnh vực 1,25,',
      '1.1,Tiêu chí,10,assessment',
      '1.2,Tiêu chí,10,assessment',
      '3.1,Mồ côi,5,import',
      '4..1,Mã hỏng,5,import',
    );
    await expect(
      importFrameworkTree(database.db, actor, { code: 't-bad' }, badTree),
    ).rejects.toMatchObject({
      message: 'The file has 3 problems; nothing was stored.',
      errors: [
        {
          path: 'line 2, column max',
          message: { en: "25 is not the sum of its children's maxima, 20" },
        },
        { path: 'line 5, column node', message: { en: 'no parent node 3' } },
        { path: 'line 6, column node', message: { en: 'a code such as 3, 3.2 or 3.2.1' } },
      ],
    });
    await expect(
      importFrameworkTree(database.db, actor, { code: 't-bad', bands: 'A:90,B' }, threeLevels()),
    ).rejects.toMatchObject({ errors: [{ path: 'bands' }] });
    expect(await frameworkRows()).toEqual(before);
  });

  it('replaces a framework without points, and refuses to change one with points', async () => {
    const flat = () => file('node,name,max', 'tasks,Thực hiện nhiệm vụ,70', 'sipas,Sự hài lòng,30');
    expect(
      (await importFrameworkTree(database.db, actor, { code: 't-flat' }, flat())).replaced,
    ).toBe(false);
    // A depth-one tree with flat codes is a flat framework to the flat paths too.
    expect((await frameworkByCode(database.db, 't-flat')).components).toEqual([
      { code: 'tasks', name: 'Thực hiện nhiệm vụ', max: 70 },
      { code: 'sipas', name: 'Sự hài lòng', max: 30 },
    ]);
    expect((await frameworkTree(database.db, 't-flat')).nodes.map((n) => n.source)).toEqual([
      'import',
      'import',
    ]);
    expect(
      (await importFrameworkTree(database.db, actor, { code: 't-flat', name: 'Lại' }, flat()))
        .replaced,
    ).toBe(true);
    await importPoints(
      database.db,
      actor,
      { framework: 't-flat', period: '2025' },
      file('unit,component,points', 'P.A,tasks,60'),
    );
    await expect(
      importFrameworkTree(database.db, actor, { code: 't-flat' }, flat()),
    ).rejects.toMatchObject({
      code: 'conflict',
      message:
        'The PAR framework t-flat has points and never changes: a change is a new version, under a new code.',
    });
    expect((await frameworkTree(database.db, 't-flat')).name).toBe('Lại');
    // Today's scorecard still reads it: P.A's 60 points.
    const card = await parScorecard(database.db, actor, {
      framework: 't-flat',
      period: '2025',
      peers: 'P',
    });
    expect(card.rows.map((r) => [r.unit, r.total])).toEqual([['P.A', 60]]);
  });

  it('never changes a framework once an assessment round is open on it', async () => {
    const tree = () => file('node,name,max,source', '1,Lĩnh vực,,', '1.1,Tự chấm,10,assessment');
    await importFrameworkTree(database.db, actor, { code: 't-round' }, tree());
    await openRound(database.db, actor, {
      framework: 't-round',
      period: '2026',
      peers: 'P',
      deadline: '2026-03-31',
    });
    await expect(
      importFrameworkTree(database.db, actor, { code: 't-round' }, tree()),
    ).rejects.toMatchObject({
      code: 'conflict',
      message:
        'The PAR framework t-round has an assessment round and never changes: a change is a new version, under a new code.',
    });
  });
});

describe('bands', () => {
  it('reads A:90,B:80,C:70 as the Ministry’s bands, D from 0', () => {
    expect(parseBands('A:90,B:80,C:70')).toEqual(DEFAULT_BANDS);
    expect(parseBands('A:90, B:80, C:70, D:0')).toEqual(DEFAULT_BANDS);
  });
});

describe('targets', () => {
  const tree = frameworkTreeSchema.parse({
    code: 't-targets',
    name: 'Mục tiêu',
    nodes: ['3', '6'].map((code) => ({
      code,
      name: code,
      max: 10,
      source: 'import',
      appliesTo: null,
      guidance: null,
    })),
    bands: DEFAULT_BANDS,
  });

  it('reads "total: top 10; field 3: top 15; field 6: keep the top 5"', async () => {
    const targets = await readTargets(tree, file('node,top', 'total,10', '3,15', '6,5'));
    expect([...targets]).toEqual([
      ['total', 10],
      ['3', 15],
      ['6', 5],
    ]);
  });

  it('refuses a bad file whole, every row named', async () => {
    await expect(
      readTargets(tree, file('node,top', '3,15', '3,10', '4,5', '6,0', 'total,ten')),
    ).rejects.toMatchObject({
      code: 'invalid',
      message: 'The file has 4 problems; no target was used.',
      errors: [
        { path: 'line 3, column node', message: { en: '3 is also on line 2' } },
        {
          path: 'line 4, column node',
          message: { en: 'no node 4 in t-targets (or total for the whole)' },
        },
        { path: 'line 5, column top', message: { en: 'not a rank such as 10' } },
        { path: 'line 6, column top', message: { en: 'not a rank such as 10' } },
      ],
    });
  });
});
