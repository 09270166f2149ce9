// Peer groups on real engines: peers.csv imported whole or not at all, a group replaced, a PAR
// scorecard ranked within a group (ranks worked by hand), and a league table of a group.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as links from '../../db/repositories/links.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator, type Principal } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { openExampleCampaign } from './examples.testing.ts';
import { importPoints, parScorecard } from './par.ts';
import { importPeers, listPeerGroups, showPeerGroup } from './peers.ts';
import { campaignScores } from './scores.ts';
import { importUnits } from './units.ts';

const actor = operator();
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

describe.each(engines)('peer groups on %s', (engine) => {
  let database: TestDatabase;
  const count = async (table: 'peer_group' | 'peer_group_unit') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select(({ fn }) => fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    await importUnits(
      database.db,
      actor,
      file(
        'unit,name,parent',
        'P,Tỉnh P,',
        'P.A,Sở A,P',
        'P.B,Sở B,P',
        'P.C,Sở C,P',
        'Q,Tỉnh Q,',
        'Q.X,Sở X,Q',
        'OLD,Tỉnh cũ,',
      ),
    );
    // OLD ended on 1 July 2025: on the map of 2024, not on that of 2025.
    await database.db
      .updateTable('unit')
      .set({ valid_to: '2025-07-01' })
      .where('code', '=', 'OLD')
      .execute();
  });
  afterAll(() => database.close());

  it('imports peers.csv, a group per name and period, in any column order', async () => {
    const imported = await importPeers(
      database.db,
      actor,
      file(
        'unit,group,period',
        'P.A,mixed,2020',
        'P.C,mixed,2020',
        'Q.X,mixed,2020',
        'OLD,provinces,2024',
        'P,provinces,2024',
        'Q,provinces,2024',
      ),
    );
    expect(imported.groups).toEqual([
      { name: 'mixed', period: '2020', units: 3, replaced: false },
      { name: 'provinces', period: '2024', units: 3, replaced: false },
    ]);
    expect(await listPeerGroups(database.db, {})).toEqual([
      { name: 'mixed', period: '2020', units: 3 },
      { name: 'provinces', period: '2024', units: 3 },
    ]);
    expect(await listPeerGroups(database.db, { period: '2024' })).toEqual([
      { name: 'provinces', period: '2024', units: 3 },
    ]);
    expect(await showPeerGroup(database.db, actor, { name: 'provinces', period: '2024' })).toEqual({
      name: 'provinces',
      period: '2024',
      day: '2024-12-31',
      units: [
        { code: 'OLD', name: 'Tỉnh cũ' },
        { code: 'P', name: 'Tỉnh P' },
        { code: 'Q', name: 'Tỉnh Q' },
      ],
      outside: 0,
    });
  });

  it('refuses a bad file whole, every bad row as line N, column C, storing nothing', async () => {
    const [groups, members] = [await count('peer_group'), await count('peer_group_unit')];
    const error = await importPeers(
      database.db,
      actor,
      file(
        'group,period,unit',
        'new,2025,P.A',
        'new,2025,NOPE',
        'new,2025,OLD',
        'new,2025-H3,P.B',
        'new,2025,P.A',
        ',2025,P.C',
      ),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid',
      errors: [
        { path: 'line 3, column unit', message: { en: 'unknown unit NOPE' } },
        {
          path: 'line 4, column unit',
          message: { en: 'unit OLD is not on the map of 2025-12-31 (the end of 2025)' },
        },
        {
          path: 'line 5, column period',
          message: { en: 'not a period such as 2025, 2025-H1, 2025-Q3 or 2025-07' },
        },
        { path: 'line 6, column unit', message: { en: 'P.A (new, 2025) is also on line 2' } },
        { path: 'line 7, column group', message: { en: 'required' } },
      ],
    });
    expect((error as Error).message).toContain('nothing was stored');
    expect([await count('peer_group'), await count('peer_group_unit')]).toEqual([groups, members]);
    await expect(listPeerGroups(database.db, { period: '2025' })).resolves.toEqual([]);
  });

  it('replaces the membership of a group imported again, and audits it', async () => {
    const imported = await importPeers(
      database.db,
      actor,
      file('group,period,unit', 'provinces,2024,P', 'provinces,2024,Q'),
    );
    expect(imported.groups).toEqual([
      { name: 'provinces', period: '2024', units: 2, replaced: true },
    ]);
    const group = await showPeerGroup(database.db, actor, { name: 'provinces', period: '2024' });
    expect(group.units.map((u) => u.code)).toEqual(['P', 'Q']);
    const entry = await database.db
      .selectFrom('audit_log')
      .select(['action', 'subject', 'detail'])
      .where('action', '=', 'peers.replace')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      subject: 'provinces/2024',
      detail: { units: ['P', 'Q'], before: ['OLD', 'P', 'Q'] },
    });
  });

  it('ranks a scorecard within a peer group of its period, or among the children of a unit', async () => {
    const par = { framework: 'par-2020-province' };
    await importPoints(
      database.db,
      actor,
      { ...par, period: '2019' },
      file('unit,component,points', 'P.B,appraisal,60'),
    );
    await importPoints(
      database.db,
      actor,
      { ...par, period: '2020' },
      file(
        'unit,component,points',
        'P.A,appraisal,50',
        'P.A,sipas,8',
        'P.A,leaders,20',
        'P.B,appraisal,66',
        'P.B,sipas,10',
        'P.B,leaders,23',
        'P.C,appraisal,60',
        'P.C,sipas,7',
        'P.C,leaders,15',
        'Q.X,appraisal,55',
        'Q.X,sipas,9',
        'Q.X,leaders,18',
      ),
    );
    // The group: P.A 50 + 8 + 20 = 78, P.C 60 + 7 + 15 = 82, Q.X 55 + 9 + 18 = 82. P.C and Q.X
    // tie first, P.A is third (1, 1, 3). Appraisal 60 > 55 > 50: P.C 1, Q.X 2, P.A 3; SIPAS
    // 9 > 8 > 7: Q.X 1, P.A 2, P.C 3; leaders 20 > 18 > 15: P.A 1, Q.X 2, P.C 3. P.B (99) is
    // not in the group, and its 2019 points give the group no previous period.
    const card = await parScorecard(database.db, actor, { ...par, period: '2020', peers: 'mixed' });
    expect(card).toMatchObject({ peers: 'mixed', previous: null });
    expect(
      card.rows.map((row) => [
        row.unit,
        row.total,
        row.rank,
        row.components.appraisal?.rank,
        row.components.sipas?.rank,
        row.components.leaders?.rank,
      ]),
    ).toEqual([
      ['P.C', 82, 1, 1, 3, 3],
      ['Q.X', 82, 1, 2, 1, 2],
      ['P.A', 78, 3, 3, 2, 1],
    ]);
    // The children of P: P.B 99 first, P.C 82, P.A 78; previous 2019 from P.B's points.
    const children = await parScorecard(database.db, actor, { ...par, period: '2020', peers: 'P' });
    expect(children).toMatchObject({ peers: 'P', previous: '2019' });
    expect(children.rows.map((row) => [row.unit, row.total, row.rank])).toEqual([
      ['P.B', 99, 1],
      ['P.C', 82, 2],
      ['P.A', 78, 3],
    ]);
    // A group of another period is not this period's.
    await expect(
      parScorecard(database.db, actor, { ...par, period: '2021', peers: 'mixed' }),
    ).rejects.toMatchObject({ code: 'not-found', errors: [{ path: 'peers' }] });
    // A scoped analyst of P ranks no group holding a unit it does not reach.
    const analyst: Principal = {
      ...actor,
      role: 'analyst',
      unitId: await idOf('P'),
      unitCode: 'P',
    };
    await expect(
      parScorecard(database.db, analyst, { ...par, period: '2020', peers: 'mixed' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      showPeerGroup(database.db, analyst, { name: 'mixed', period: '2020' }),
    ).resolves.toMatchObject({ units: [{ code: 'P.A' }, { code: 'P.C' }], outside: 1 });
  });

  it("takes a group's previous ranks among that period's group, else among its members now", async () => {
    const par = { framework: 'par-2020-province' };
    await importPeers(
      database.db,
      actor,
      file('group,period,unit', 'pair,2023,P.A', 'pair,2023,Q.X'),
    );
    await importPoints(
      database.db,
      actor,
      { ...par, period: '2022' },
      file('unit,component,points', 'P.A,appraisal,40', 'Q.X,appraisal,50', 'P.C,appraisal,65'),
    );
    await importPoints(
      database.db,
      actor,
      { ...par, period: '2023' },
      file('unit,component,points', 'P.A,appraisal,60', 'Q.X,appraisal,55'),
    );
    const rows = async () =>
      (await parScorecard(database.db, actor, { ...par, period: '2023', peers: 'pair' })).rows.map(
        (row) => [row.unit, row.total, row.change, row.rank, row.rankChange],
      );
    // No group pair of 2022: its 2022 ranks are among P.A (40) and Q.X (50), Q.X 1, P.A 2; in
    // 2023 P.A 60 is 1 (up 1, change 20) and Q.X 55 is 2 (down 1, change 5).
    expect(await rows()).toEqual([
      ['P.A', 60, 20, 1, 1],
      ['Q.X', 55, 5, 2, -1],
    ]);
    // A group pair of 2022 with P.C (65): published ranks P.C 1, Q.X 2, P.A 3, so P.A is up 2
    // and Q.X keeps its place.
    await importPeers(
      database.db,
      actor,
      file('group,period,unit', 'pair,2022,P.A', 'pair,2022,Q.X', 'pair,2022,P.C'),
    );
    expect(await rows()).toEqual([
      ['P.A', 60, 20, 1, 2],
      ['Q.X', 55, 5, 2, 0],
    ]);
  });

  it("ranks the children of a unit on the period's map, a code taken over naming the old unit then", async () => {
    const { db } = database;
    const D = '2025-07-01';
    await importUnits(db, actor, file('unit,name,parent', 'R,Tỉnh R,', 'R.A,Sở RA,R'));
    // On D, R and its R.A end; a new unit takes over the code R, with a new child R.B.
    const [oldR, ra] = [await idOf('R'), await idOf('R.A')];
    await links.endParent(db, ra, D);
    await db.updateTable('unit').set({ valid_to: D }).where('id', 'in', [oldR, ra]).execute();
    const insert = (code: string) =>
      db
        .insertInto('unit')
        .values({ code, name: code, parent_id: null, valid_from: D })
        .returning('id')
        .executeTakeFirstOrThrow();
    const newR = await insert('R');
    await links.startParent(db, (await insert('R.B')).id, newR.id, D);
    const par = { framework: 'par-2020-province' };
    await importPoints(
      db,
      actor,
      { ...par, period: '2024' },
      file('unit,component,points', 'R.A,appraisal,50'),
    );
    await importPoints(
      db,
      actor,
      { ...par, period: '2025' },
      file('unit,component,points', 'R.B,appraisal,60'),
    );
    const rows = async (period: string) =>
      (await parScorecard(db, actor, { ...par, period, peers: 'R' })).rows.map((r) => r.unit);
    expect(await rows('2024')).toEqual(['R.A']);
    expect(await rows('2025')).toEqual(['R.B']);
  });

  const idOf = async (code: string) =>
    (
      await database.db
        .selectFrom('unit')
        .select('id')
        .where('code', '=', code)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
});

describe.each(engines)('a league table of a peer group on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    // The worked example (fixtures/examples): BRVT-2025 ends on 2025-12-31, so its period is 2025.
    await openExampleCampaign(database.db);
    await importUnits(database.db, actor, file('unit,name,parent', 'BRVT.SYT,Sở Y tế,BRVT'));
    await importPeers(
      database.db,
      actor,
      file(
        'group,period,unit',
        'departments,2025,BRVT.SKHDT',
        'departments,2025,BRVT.STP',
        'departments,2025,BRVT.SYT',
        'departments,2024,BRVT.CHAUDUC',
      ),
    );
  });
  afterAll(() => database.close());

  it("scores the group's units of the campaign's period alone", async () => {
    const document = await campaignScores(database.db, actor, {
      campaign: 'BRVT-2025',
      by: 'unit',
      peers: 'departments',
    });
    // The example's unit indices (fixtures/examples/expected.json, R): SKHDT 78.1856609574001,
    // STP 77.2567251461988; BRVT (the province, 81.47) and CHAUDUC (92.50, in the 2024 group
    // only) are left out; SYT has no counter, hence no respondents. The league: SKHDT 1, STP 2.
    expect(document.peers).toEqual({
      group: 'departments',
      period: '2025',
      without: ['BRVT.SYT'],
    });
    expect(
      document.groups.map((group) => [
        'unit' in group.key ? group.key.unit : '',
        group.sipas.index,
      ]),
    ).toEqual([
      ['BRVT.SKHDT', expect.closeTo(78.1856609574001, 9)],
      ['BRVT.STP', expect.closeTo(77.2567251461988, 9)],
    ]);
  });

  it('refuses a group by anything but unit, and names an unknown group', async () => {
    await expect(
      campaignScores(database.db, actor, {
        campaign: 'BRVT-2025',
        by: 'all',
        peers: 'departments',
      }),
    ).rejects.toMatchObject({ code: 'invalid', errors: [{ path: 'peers' }] });
    await expect(
      campaignScores(database.db, actor, { campaign: 'BRVT-2025', by: 'unit', peers: 'nope' }),
    ).rejects.toMatchObject({
      code: 'not-found',
      errors: [{ path: 'peers', message: { en: 'no peer group nope for period 2025' } }],
    });
  });
});
