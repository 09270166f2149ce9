// Upgrading to dated organisation links (2026_12_05_0100) keeps every score: a database made by
// the previous release's migrations, with units under parents, counters, a campaign and its
// responses, scores the same after the upgrade, where every unit is valid since always under
// its parent and every counter a member of its unit since always.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrator } from '../../db/migrate.ts';
import { engines, openTestDatabase } from '../../db/testing.ts';
import { operator } from './access.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { ensureBuiltinInstruments } from './instruments.ts';
import { importResponses } from './responses.ts';
import { campaignScores } from './scores.ts';
import { differences, rawScores, type CampaignMap } from './scores.testing.ts';

/** The last migration of the release before dated links. */
const PREVIOUS = '2026_12_04_0700_void_adjusts_tallies';

describe.each(engines)('upgrading to dated links on %s', (engine) => {
  it('keeps every unit under its parent and every counter in its unit since always, and the scores', async () => {
    const database = await openTestDatabase(engine, { migrate: false });
    try {
      const { db } = database;
      expect((await migrator(db).migrateTo(PREVIOUS)).error).toBeUndefined();
      // P ─ A (A.1: 2 respondents), B (B.1: 3); Q, a root without counters. By all: 5.
      for (const statement of [
        `insert into unit (code, name) values ('P', 'Tỉnh P'), ('Q', 'Tỉnh Q')`,
        `insert into unit (code, name, parent_id)
         select v.code, v.code, p.id from unit p, (values ('A'), ('B')) v (code) where p.code = 'P'`,
        `insert into counter (code, unit_id, name)
         select u.code || '.1', u.id, 'Quầy' from unit u where u.code in ('A', 'B')`,
      ]) {
        await sql.raw(statement).execute(db);
      }
      // The instruments, as the previous release held them (today's built-ins include tables
      // of later migrations).
      await ensureBuiltinInstruments(db);
      // The campaign as the previous release stored it (today's service reads the dated links).
      for (const statement of [
        `insert into campaign (code, name, instrument_id, starts_on, ends_on, rules)
         select 'K', 'K', id, '2024-01-01', '2024-12-31', '{}' from instrument
         where code = 'sipas-2017'`,
        `insert into campaign_counter (campaign_id, counter_id)
         select (select id from campaign), id from counter`,
      ]) {
        await sql.raw(statement).execute(db);
      }
      const responses = ['A.1,4', 'A.1,5', 'B.1,3', 'B.1,4', 'B.1,5']
        .map((row) => row.replace(',', ',2024-05-01,paper,'))
        .join('\n');
      await importResponses(
        db,
        actor,
        'K',
        textStream(`counter,submitted_at,mode,TC1\n${responses}\n`),
      );

      // Scored as the previous release did: each counter's unit and each unit's parent as stored.
      const { rows: counters } = await sql<CampaignMap['counters'][number]>`
        select c.id, c.code, c.unit_id as "unitId", cc.transactions
        from counter c join campaign_counter cc on cc.counter_id = c.id order by c.code
      `.execute(db);
      const { rows: units } = await sql<CampaignMap['units'][number]>`
        select id, code, parent_id as "parentId" from unit order by code
      `.execute(db);
      const before = await Promise.all(
        (['all', 'unit', 'counter'] as const).map((by) =>
          rawScores(db, 'K', by, undefined, { counters, units }),
        ),
      );
      // A 2, B 3, P 5; TC1 satisfied 4 of 5 (80%) by all.
      expect(before[1]?.map((g) => [g.key, g.respondents])).toEqual([
        [{ unit: 'A' }, 2],
        [{ unit: 'B' }, 3],
        [{ unit: 'P' }, 5],
      ]);
      expect(Math.abs((before[0]?.[0]?.items.TC1?.index ?? NaN) - 80)).toBeLessThan(1e-9);

      await migrateToLatest(db);
      const { rows: links } = await sql<{ unit: string; parent: string; from: null; to: null }>`
        select u.code as unit, p.code as parent, l.valid_from as from, l.valid_to as to
        from unit_parent l join unit u on u.id = l.unit_id join unit p on p.id = l.parent_id
        order by u.code
      `.execute(db);
      expect(links).toEqual([
        { unit: 'A', parent: 'P', from: null, to: null },
        { unit: 'B', parent: 'P', from: null, to: null },
      ]);
      const { rows: validity } = await sql`
        select code, valid_from, valid_to from unit order by code
      `.execute(db);
      expect(validity).toEqual(
        ['A', 'B', 'P', 'Q'].map((code) => ({ code, valid_from: null, valid_to: null })),
      );
      const { rows: members } = await sql`
        select c.code as counter, u.code as unit, m.valid_from, m.valid_to
        from counter_unit m join counter c on c.id = m.counter_id join unit u on u.id = m.unit_id
        order by c.code
      `.execute(db);
      expect(members).toEqual([
        { counter: 'A.1', unit: 'A', valid_from: null, valid_to: null },
        { counter: 'B.1', unit: 'B', valid_from: null, valid_to: null },
      ]);

      // On the campaign's own map now: the same JSON from the same responses, and the service's
      // (from the tallies) the same to 1e-9.
      for (const [i, by] of (['all', 'unit', 'counter'] as const).entries()) {
        expect(JSON.stringify(await rawScores(db, 'K', by))).toBe(JSON.stringify(before[i]));
        const document = await campaignScores(db, operator(), { campaign: 'K', by });
        expect(differences(document.groups, before[i])).toEqual([]);
      }
    } finally {
      await database.close();
    }
  });
});
