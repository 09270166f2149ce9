// A campaign is scored on the map of its last day (docs/organisation.md): a later
// reorganisation leaves its figures as they were, a campaign after it rolls up on the new map,
// and `on` asks for another day's map. And a unit on a day, and a code's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { By, ScoresDocument } from '../../analysis/scores-document.ts';
import { scoresCsv } from '../../analysis/scores-format.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { operator } from './access.ts';
import { campaignProgress } from './campaigns/index.ts';
import { AFTER, BEFORE, D, openMapAfter, openMapBefore } from './reorganised.testing.ts';
import { campaignScores } from './scores.ts';
import { deleteUnit, unitHistory, unitOnDay } from './units.ts';

/** Respondents per unit group of a document scored by unit. */
const byUnit = (document: ScoresDocument) =>
  Object.fromEntries(
    document.groups.flatMap((g) => ('unit' in g.key ? [[g.key.unit, g.respondents]] : [])),
  );

describe.each(engines)('scores on the map of a day on %s', (engine) => {
  let database: TestDatabase;
  const score = (campaign: string, by: By, on?: string) =>
    campaignScores(database.db, operator(), { campaign, by, ...(on === undefined ? {} : { on }) });
  /** K-2024's documents before the reorganisation, as JSON and CSV, by all, unit and counter. */
  const printed = new Map<By, string>();
  const print = (document: ScoresDocument) => `${JSON.stringify(document)}\n${scoresCsv(document)}`;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await openMapBefore(database.db);
    for (const by of ['all', 'unit', 'counter'] as const) {
      printed.set(by, print(await score('K-2024', by)));
    }
    await openMapAfter(database.db);
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

  it("shows each counter's progress under its unit on the campaign's map", async () => {
    const unitOf = async (campaign: string) =>
      Object.fromEntries(
        (await campaignProgress(database.db, operator(), campaign)).counters.map((c) => [
          c.counter,
          c.unit,
        ]),
      );
    expect(await unitOf('K-2024')).toMatchObject({ 'A.1': 'A', 'C.2': 'C', 'D.1': 'D' });
    expect(await unitOf('K-2026')).toMatchObject({ 'A.1': 'AB', 'C.2': 'C2', 'D.1': 'DD' });
  });

  it('keeps a unit that ended with its history: it is not deleted', async () => {
    const error: unknown = await deleteUnit(database.db, operator(), 'A').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'conflict',
      message: 'Unit A is in use (2 counters, 1 lineage edges); it stays.',
    });
  });

  it('refuses a day that is not a date', async () => {
    const error: unknown = await score('K-2024', 'unit', '2025-02-30').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'invalid' });
    expect(JSON.stringify((error as DomainError).errors)).toContain(
      '2025-02-30 is not a date YYYY-MM-DD',
    );
  });

  it('shows a unit on a day: its type, validity, parent and counters then', async () => {
    const before = await unitOnDay(database.db, operator(), 'E', '2025-06-30');
    expect(before).toEqual({
      on: '2025-06-30',
      code: 'E',
      name: 'Huyện E',
      type: 'other',
      validFrom: null,
      validTo: null,
      parent: { code: 'P', name: 'Tỉnh P' },
      counters: [{ code: 'E.1', name: 'Quầy E.1', validFrom: null, validTo: null }],
    });
    // The transfer: from D, E is under Q.
    expect((await unitOnDay(database.db, operator(), 'E', D)).parent).toEqual({
      code: 'Q',
      name: 'Tỉnh Q',
    });
    expect(await unitOnDay(database.db, operator(), 'AB', D)).toMatchObject({
      type: 'district',
      validFrom: D,
      validTo: null,
      counters: ['A.1', 'A.2', 'B.1'].map((code) => ({ code, validFrom: D, validTo: null })),
    });
    // A ended at D: on D the code names no unit.
    const error: unknown = await unitOnDay(database.db, operator(), 'A', D).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'not-found', message: `Code A names no unit on ${D}.` });
  });

  it("gives a code's history: validity, parents, counters, lineage in and out", async () => {
    expect(await unitHistory(database.db, operator(), 'C')).toEqual({
      code: 'C',
      units: [
        {
          name: 'Huyện C',
          type: 'other',
          validFrom: null,
          validTo: D,
          parents: [{ code: 'P', name: 'Tỉnh P', validFrom: null, validTo: D }],
          counters: [
            { code: 'C.1', name: 'Quầy C.1', validFrom: null, validTo: D },
            { code: 'C.2', name: 'Quầy C.2', validFrom: null, validTo: D },
          ],
          predecessors: [],
          successors: [
            { code: 'C1', name: 'C1', share: 0.6, on: D },
            { code: 'C2', name: 'C2', share: 0.4, on: D },
          ],
        },
      ],
    });
    const { units } = await unitHistory(database.db, operator(), 'E');
    expect(units[0]?.parents).toEqual([
      { code: 'P', name: 'Tỉnh P', validFrom: null, validTo: D },
      { code: 'Q', name: 'Tỉnh Q', validFrom: D, validTo: null },
    ]);
    const ab = await unitHistory(database.db, operator(), 'AB');
    expect(ab.units[0]?.predecessors).toEqual([
      { code: 'A', name: 'Huyện A', share: 1, on: D },
      { code: 'B', name: 'Huyện B', share: 1, on: D },
    ]);
  });
});
