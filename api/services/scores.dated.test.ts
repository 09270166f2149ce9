// A campaign is scored on the map of its last day (docs/organisation.md): a later
// reorganisation leaves its figures as they were, a campaign after it rolls up on the new map,
// and `on` asks for another day's map. The reorganisation is written here with the dated links
// of db/repositories/links.ts, as applying a plan writes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { By, ScoresDocument } from '../../analysis/scores-document.ts';
import { scoresCsv } from '../../analysis/scores-format.ts';
import { must } from '../../analysis/scoring.testing.ts';
import type { Db } from '../../db/database.ts';
import * as counters from '../../db/repositories/counters.ts';
import * as links from '../../db/repositories/links.ts';
import * as units from '../../db/repositories/units.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { createCampaign } from './campaigns/index.ts';
import { importCounters } from './counters.ts';
import { DomainError } from '../errors.ts';
import { exampleActor as actor, textStream } from './examples.testing.ts';
import { importResponses } from './responses.ts';
import { campaignScores } from './scores.ts';
import { importUnits } from './units.ts';

/** The day of the reorganisation. */
const D = '2025-07-01';

/**
 * Respondents per counter, the same in both campaigns. On the map before D:
 * P ─ A (A.1: 3, A.2: 2), B (B.1: 4), C (C.1: 1, C.2: 5), D (D.1: 2), E (E.1: 6); Q ─ F (F.1: 3).
 */
const RESPONDENTS: Record<string, number> = {
  'A.1': 3,
  'A.2': 2,
  'B.1': 4,
  'C.1': 1,
  'C.2': 5,
  'D.1': 2,
  'E.1': 6,
  'F.1': 3,
};

/**
 * Respondents per unit on the map before D: A 3 + 2 = 5, B 4, C 1 + 5 = 6, D 2, E 6,
 * P 5 + 4 + 6 + 2 + 6 = 23; F 3, Q 3.
 */
const BEFORE = { A: 5, B: 4, C: 6, D: 2, E: 6, F: 3, P: 23, Q: 3 };

/**
 * On D: A and B merge into AB (their three counters: 3 + 2 + 4 = 9); C splits into C1 (C.1:
 * 1) and C2 (C.2: 5); D is re-coded DD (D.1: 2); E is transferred from P to Q (6). P holds
 * AB, C1, C2 and DD: 9 + 1 + 5 + 2 = 17; Q holds F and E: 3 + 6 = 9.
 */
const AFTER = { AB: 9, C1: 1, C2: 5, DD: 2, E: 6, F: 3, P: 17, Q: 9 };

function responsesCsv(year: number): string {
  const rows = Object.entries(RESPONDENTS).flatMap(([counter, n]) =>
    Array.from(
      { length: n },
      (_, i) => `${counter},${year}-03-0${1 + (i % 9)},paper,${4 + (i % 2)},4`,
    ),
  );
  return `counter,submitted_at,mode,TC1,HL\n${rows.join('\n')}\n`;
}

/** Respondents per unit group of a document scored by unit. */
const byUnit = (document: ScoresDocument) =>
  Object.fromEntries(
    document.groups.flatMap((g) => ('unit' in g.key ? [[g.key.unit, g.respondents]] : [])),
  );

/** The reorganisation of D, written link by link. */
async function reorganise(db: Db) {
  const unitId = async (code: string) => must(await units.findUnitByCode(db, code)).id;
  const counterId = async (code: string) => must(await counters.findCounterByCode(db, code)).id;
  const end = async (code: string) => {
    const id = await unitId(code);
    await links.endParent(db, id, D);
    await db.updateTable('unit').set({ valid_to: D }).where('id', '=', id).execute();
    return id;
  };
  const create = async (code: string, parent: string) => {
    const id = await units.insertUnit(db, { code, name: code, type: 'district', validFrom: D });
    await links.startParent(db, id, await unitId(parent), D);
    return id;
  };
  const move = async (counter: string, unit: number) => {
    const id = await counterId(counter);
    await links.endMembership(db, id, D);
    await links.startMembership(db, id, unit, D);
  };
  const { id: reorganisation } = await db
    .insertInto('reorganisation')
    .values({ effective_on: D, applied_by: 'test', plan: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const lineage = (predecessor: number, successor: number, share: number) =>
    db
      .insertInto('unit_lineage')
      .values({
        reorganisation_id: reorganisation,
        predecessor_id: predecessor,
        successor_id: successor,
        share,
      })
      .execute();

  const [a, b, c, d] = [await end('A'), await end('B'), await end('C'), await end('D')];
  const ab = await create('AB', 'P');
  const [c1, c2] = [await create('C1', 'P'), await create('C2', 'P')];
  const dd = await create('DD', 'P');
  for (const counter of ['A.1', 'A.2', 'B.1']) await move(counter, ab);
  await move('C.1', c1);
  await move('C.2', c2);
  await move('D.1', dd);
  await lineage(a, ab, 1);
  await lineage(b, ab, 1);
  await lineage(c, c1, 0.6);
  await lineage(c, c2, 0.4);
  await lineage(d, dd, 1);
  // The transfer: E's parent link ends at D and another starts, no lineage edge.
  const e = await unitId('E');
  await links.endParent(db, e, D);
  await links.startParent(db, e, await unitId('Q'), D);
}

describe.each(engines)('scores on the map of a day on %s', (engine) => {
  let database: TestDatabase;
  const score = (campaign: string, by: By, on?: string) =>
    campaignScores(database.db, operator(), { campaign, by, ...(on === undefined ? {} : { on }) });
  /** K-2024's documents before the reorganisation, as JSON and CSV, by all, unit and counter. */
  const printed = new Map<By, string>();
  const print = (document: ScoresDocument) => `${JSON.stringify(document)}\n${scoresCsv(document)}`;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const { db } = database;
    await ensureBuiltins(db);
    const districts = ['A', 'B', 'C', 'D', 'E'].map((u) => `${u},Huyện ${u},P`);
    await importUnits(
      db,
      actor,
      textStream(`unit,name,parent\nP,Tỉnh P,\nQ,Tỉnh Q,\n${districts.join('\n')}\nF,Huyện F,Q\n`),
    );
    const codes = Object.keys(RESPONDENTS);
    await importCounters(
      db,
      actor,
      textStream(
        `counter,unit,name\n${codes.map((c) => `${c},${c.slice(0, 1)},Quầy ${c}`).join('\n')}\n`,
      ),
    );
    await createCampaign(db, actor, {
      code: 'K-2024',
      instrument: 'sipas-2017',
      from: '2024-01-01',
      to: '2024-12-31',
      counters: 'all',
    });
    await importResponses(db, actor, 'K-2024', textStream(responsesCsv(2024)));
    for (const by of ['all', 'unit', 'counter'] as const)
      printed.set(by, print(await score('K-2024', by)));

    await db.transaction().execute(reorganise);
    await createCampaign(db, actor, {
      code: 'K-2026',
      instrument: 'sipas-2017',
      from: '2026-01-01',
      to: '2026-06-30',
      counters: 'all',
    });
    await importResponses(db, actor, 'K-2026', textStream(responsesCsv(2026)));
  });
  afterAll(() => database.close());

  it('prints a campaign before the reorganisation byte for byte as before it', async () => {
    for (const by of ['all', 'unit', 'counter'] as const) {
      expect(print(await score('K-2024', by))).toBe(printed.get(by));
    }
    expect(byUnit(await score('K-2024', 'unit'))).toEqual(BEFORE);
  });

  it('rolls a campaign after the reorganisation up on the new map (merge, split, re-code, transfer)', async () => {
    const document = await score('K-2026', 'unit');
    expect(byUnit(document)).toEqual(AFTER);
    expect(document.names.units).toEqual({
      AB: 'AB',
      C1: 'C1',
      C2: 'C2',
      DD: 'DD',
      E: 'Huyện E',
      F: 'Huyện F',
      P: 'Tỉnh P',
      Q: 'Tỉnh Q',
    });
    // Counters keep their responses whatever their unit: 3 + 2 + 4 + 1 + 5 + 2 + 6 + 3 = 26.
    const [all] = (await score('K-2026', 'all')).groups;
    expect(all?.respondents).toBe(26);
  });

  it('rolls up on the map of the day asked for', async () => {
    // K-2024's responses on the map from D, K-2026's on the map of the day before D.
    expect(byUnit(await score('K-2024', 'unit', D))).toEqual(AFTER);
    expect(byUnit(await score('K-2026', 'unit', '2025-06-30'))).toEqual(BEFORE);
    // A day long before any unit changed is the map before D.
    expect(byUnit(await score('K-2026', 'unit', '2000-01-01'))).toEqual(BEFORE);
  });

  it('refuses a day that is not a date', async () => {
    const error: unknown = await score('K-2024', 'unit', '2025-02-30').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'invalid' });
    expect(JSON.stringify((error as DomainError).errors)).toContain(
      '2025-02-30 is not a date YYYY-MM-DD',
    );
  });
});
