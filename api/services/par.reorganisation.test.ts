// A PAR scorecard across a reorganisation (docs/organisation.md), on real engines: two
// provinces merged into one between the periods, their rows written with links.ts.
//
// Under VN: BG, BN and HN. Campaign C-2024 (2024) counted 3,000 transactions at BG.Q1, 1,000 at
// BN.Q1 and 2,000 at HN.Q1, and gave each its SIPAS points. The 2024 points (appraisal, sipas,
// leaders): BG 40 + 5 + 5 = 50, BN 45 + 8 + 7 = 60, HN 50 + 9 + 11 = 70: published ranks HN 1,
// BN 2, BG 3. On 2025-07-01 BG and BN end and merge whole into a new BG (it takes over the
// code), their counters with them. 2025: BG 44 + 6 + 5 = 55, HN 50 + 9 + 12 = 71.
//
// BG's 2024 points, weighted by share × transactions (1 × 3000 and 1 × 1000, 4000 in all):
//   appraisal (40·3000 + 45·1000)/4000 = 41.25, sipas (5·3000 + 8·1000)/4000 = 5.75,
//   leaders (5·3000 + 7·1000)/4000 = 5.5; total 52.5.
// Its changes: 55 − 52.5 = 2.5; 44 − 41.25 = 2.75; 6 − 5.75 = 0.25; 5 − 5.5 = −0.5; rank
// changes null. HN keeps its own: change 71 − 70 = 1, rank 1 then and now: rank change 0.
//
// The same day HY absorbs HD and stays. 2024: HY 30 + 4 + 6 = 40, HD 20 + 2 + 3 = 25; HD.Q1's
// transactions are not known, so the shares alone weigh them (1 and 1): HY's previous points
// are appraisal (30 + 20)/2 = 25, sipas (4 + 2)/2 = 3, leaders (6 + 3)/2 = 4.5, total 32.5.
// 2025: HY 35 + 4 + 6 = 45, a change of 12.5.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must } from '../../analysis/scoring.testing.ts';
import { scorecardCsv } from '../../analysis/par-format.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as links from '../../db/repositories/links.ts';
import * as par from '../../db/repositories/par.ts';
import * as units from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { createCampaign, importTransactions } from './campaigns/index.ts';
import { importCounters } from './counters.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { frameworkByCode, parScorecard } from './par.ts';
import { importUnits } from './units.ts';

const framework = 'par-2020-province';
const close = (actual: number | null | undefined, expected: number) =>
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(1e-9);

describe.each(engines)('a PAR scorecard after a merge on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    await ensureBuiltins(db);
    await importUnits(
      db,
      actor,
      textStream(
        'unit,name,parent\nVN,Việt Nam,\nBG,Bắc Giang,VN\nBN,Bắc Ninh,VN\nHN,Hà Nội,VN\n' +
          'HY,Hưng Yên,VN\nHD,Hải Dương,VN\n',
      ),
    );
    await importCounters(
      db,
      actor,
      textStream(
        'counter,unit,name\nBG.Q1,BG,Quầy 1\nBN.Q1,BN,Quầy 1\nHN.Q1,HN,Quầy 1\n' +
          'HY.Q1,HY,Quầy 1\nHD.Q1,HD,Quầy 1\n',
      ),
    );
    await createCampaign(db, actor, {
      code: 'C-2024',
      instrument: 'sipas-2017',
      from: '2024-01-01',
      to: '2024-12-31',
      counters: 'all',
    });
    await importTransactions(
      db,
      actor,
      'C-2024',
      textStream('counter,transactions\nBG.Q1,3000\nBN.Q1,1000\nHN.Q1,2000\nHY.Q1,500\n'),
    );
    const { id: frameworkId } = await frameworkByCode(db, framework);
    const store = async (period: string, byUnit: Record<string, [number, number, number]>) => {
      for (const [code, [appraisal, sipas, leaders]] of Object.entries(byUnit)) {
        const unitId = must(await units.findUnitByCode(db, code)).id;
        await par.upsertPoints(db, frameworkId, period, [
          { unitId, component: 'appraisal', points: appraisal, source: 'import' },
          { unitId, component: 'sipas', points: sipas, source: `campaign:C-${period}` },
          { unitId, component: 'leaders', points: leaders, source: 'import' },
        ]);
      }
    };
    await store('2024', {
      BG: [40, 5, 5],
      BN: [45, 8, 7],
      HN: [50, 9, 11],
      HY: [30, 4, 6],
      HD: [20, 2, 3],
    });

    // The merge on 2025-07-01, as applying a reorganisation would write it.
    const day = '2025-07-01';
    const vn = must(await units.findUnitByCode(db, 'VN')).id;
    const before = [
      must(await units.findUnitByCode(db, 'BG')).id,
      must(await units.findUnitByCode(db, 'BN')).id,
    ];
    // The old BG ends before the new one takes its code.
    for (const ended of before) {
      await links.endParent(db, ended, day);
      await db.updateTable('unit').set({ valid_to: day }).where('id', '=', ended).execute();
    }
    const merged = await units.insertUnit(db, {
      code: 'BG',
      name: 'Bắc Ninh (mới)',
      type: 'province',
      validFrom: day,
    });
    await links.startParent(db, merged, vn, day);
    const { id: reorganisation } = await db
      .insertInto('reorganisation')
      .values({ effective_on: day, applied_by: 'test', plan: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [i, ended] of before.entries()) {
      const counter = must(await counters.findCounterByCode(db, ['BG.Q1', 'BN.Q1'][i] ?? '')).id;
      await links.endMembership(db, counter, day);
      await links.startMembership(db, counter, merged, day);
      await db
        .insertInto('unit_lineage')
        .values({
          reorganisation_id: reorganisation,
          predecessor_id: ended,
          successor_id: merged,
          share: 1,
        })
        .execute();
    }
    const hy = must(await units.findUnitByCode(db, 'HY')).id;
    const hd = must(await units.findUnitByCode(db, 'HD')).id;
    await links.endParent(db, hd, day);
    await db.updateTable('unit').set({ valid_to: day }).where('id', '=', hd).execute();
    const hdCounter = must(await counters.findCounterByCode(db, 'HD.Q1')).id;
    await links.endMembership(db, hdCounter, day);
    await links.startMembership(db, hdCounter, hy, day);
    await db
      .insertInto('unit_lineage')
      .values({ reorganisation_id: reorganisation, predecessor_id: hd, successor_id: hy, share: 1 })
      .execute();
    await store('2025', { BG: [44, 6, 5], HN: [50, 9, 12], HY: [35, 4, 6] });
  });
  afterAll(() => database.close());

  it("derives the successor's previous points from its predecessors, weighted by transactions", async () => {
    const card = await parScorecard(database.db, operator(), {
      framework,
      period: '2025',
      peers: 'VN',
    });
    expect(card.previous).toBe('2024');
    expect(card.rows.map((r) => [r.unit, r.rank])).toEqual([
      ['HN', 1],
      ['BG', 2],
      ['HY', 3],
    ]);
    const [hn, bg, hy] = card.rows.map(must);
    expect(hn).not.toHaveProperty('previousFrom');
    close(hn?.change, 1);
    expect(hn?.rankChange).toBe(0); // 1st of 3 as published in 2024, 1st of 2 now
    close(hn?.components.leaders?.change, 1);
    expect(hn?.components.leaders?.rankChange).toBe(0);

    expect(bg?.previousFrom).toEqual(['BG', 'BN']);
    close(bg?.total, 55);
    close(bg?.change, 2.5); // 55 − 52.5
    expect(bg?.rankChange).toBeNull();
    close(bg?.components.appraisal?.change, 2.75); // 44 − 41.25
    close(bg?.components.sipas?.change, 0.25); // 6 − 5.75
    close(bg?.components.leaders?.change, -0.5); // 5 − 5.5
    for (const component of Object.values(bg?.components ?? {})) {
      expect(component.rankChange).toBeNull();
    }

    // HY stayed and absorbed HD, whose transactions are not known: shares alone.
    expect(hy?.previousFrom).toEqual(['HD', 'HY']);
    close(hy?.change, 12.5); // 45 − 32.5
    close(hy?.components.appraisal?.change, 10); // 35 − 25
    close(hy?.components.sipas?.change, 1); // 4 − 3
    close(hy?.components.leaders?.change, 1.5); // 6 − 4.5
    expect(hy?.rankChange).toBeNull();

    // At level field the nodes of this flat framework change as its components do; a
    // successor's node ranks have no published previous rank either.
    const fields = await parScorecard(database.db, operator(), {
      framework,
      period: '2025',
      peers: 'VN',
      level: 'field',
    });
    const bgNodes = fields.rows.find((r) => r.unit === 'BG')?.nodes ?? {};
    close(bgNodes.appraisal?.change, 2.75);
    close(bgNodes.leaders?.change, -0.5);
    close(fields.rows.find((r) => r.unit === 'HY')?.nodes?.appraisal?.change, 10);
    for (const node of Object.values(bgNodes)) expect(node.rankChange).toBeNull();

    const csv = scorecardCsv(card).trim().split('\n');
    expect(csv[0]?.split(',').at(-1)).toBe('previous_from');
    expect(csv[2]?.split(',').at(-1)).toBe('BG; BN');
  });

  it("ranks each period's peers on its own map", async () => {
    // On 2024-12-31 VN's children are the old BG and BN, HN, HY and HD.
    const card = await parScorecard(database.db, operator(), {
      framework,
      period: '2024',
      peers: 'VN',
    });
    expect(card.previous).toBeNull();
    expect(card.rows.map((r) => [r.unit, r.total, r.rank])).toEqual([
      ['HN', 70, 1],
      ['BN', 60, 2],
      ['BG', 50, 3],
      ['HY', 40, 4],
      ['HD', 25, 5],
    ]);
  });
});
