import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tokens from '../../db/repositories/tokens.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { operator } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { campaignByCode, campaignProgress } from './campaigns/index.ts';
import { hashToken } from './credentials.ts';
import { seedDemoIfEmpty } from './demo.ts';
import { officialResults } from './official-results.ts';
import { officialProgress } from './official-surveys/index.ts';
import { parScorecard } from './par.ts';
import { exportResponses, listQuarantined } from './responses.ts';
import { campaignScores } from './scores.ts';

/** The campaign's valid responses as the export writes them, one record per response. */
async function exported(database: TestDatabase, campaign: string) {
  let text = '';
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  await exportResponses(database.db, operator(), campaign, { format: 'csv' }, output);
  await finished(output);
  return parse(text, { columns: true }) as Record<string, string>[];
}

describe.each(engines)('the demo province on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
  });
  afterAll(() => database.close());

  it('is seeded once, on an empty database, with working credentials', async () => {
    const now = new Date('2026-12-31T20:00:00Z'); // already 2027 in Vietnam
    const demo = await seedDemoIfEmpty(database.db, { publicUrl: 'https://sipas.example', now });
    expect(demo?.campaign).toBe('DEMO-2027');
    const campaign = await campaignByCode(database.db, 'DEMO-2027');
    expect(campaign).toMatchObject({ startsOn: '2027-01-01', endsOn: '2027-12-31' });
    expect(campaign.instrument.code).toBe('sipas-2017');

    // No admin secret: the first admin comes through the one-time setup link.
    expect(await database.db.selectFrom('account').selectAll().execute()).toEqual([]);
    expect(demo?.surveyUrls.map((s) => s.counter)).toEqual([
      'DEMO.SNV.Q1',
      'DEMO.STP.Q1',
      'DEMO.HUYEN1.Q1',
      'DEMO.HUYEN1.XA01.Q1',
    ]);
    for (const { url } of demo?.surveyUrls ?? []) {
      const token = url.replace('https://sipas.example/s/', '');
      expect(await tokens.findCounterTokenByHash(database.db, hashToken(token))).toMatchObject({
        revoked_at: null,
      });
    }
    const units = await database.db.selectFrom('unit').select('code').orderBy('code').execute();
    expect(units.every((u) => u.code.startsWith('DEMO'))).toBe(true);

    expect(await seedDemoIfEmpty(database.db, { publicUrl: 'https://sipas.example' })).toBe(
      undefined,
    );
    const count = await database.db
      .selectFrom('campaign')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(1);
  });

  it('gives every console page something: responses, targets, transactions, quarantine, PAR', async () => {
    const campaign = 'DEMO-2027';
    const progress = await campaignProgress(database.db, operator(), campaign);
    expect(progress.counters.map((c) => [c.counter, c.target, c.transactions])).toEqual([
      ['DEMO.HUYEN1.Q1', 180, 910],
      ['DEMO.HUYEN1.XA01.Q1', 120, 380],
      ['DEMO.SNV.Q1', 160, 640],
      ['DEMO.STP.Q1', 150, 520],
    ]);
    expect(progress.counters.map((c) => [c.counter, c.respondents])).toEqual([
      ['DEMO.HUYEN1.Q1', 72],
      ['DEMO.HUYEN1.XA01.Q1', 48],
      ['DEMO.SNV.Q1', 96],
      ['DEMO.STP.Q1', 84],
    ]);
    expect(progress.total).toMatchObject({ respondents: 300, quarantined: 8 });
    expect(Object.keys(progress.total.modes).sort()).toEqual([
      'kiosk',
      'paper',
      'phone',
      'post',
      'qr',
    ]);

    const held = await listQuarantined(database.db, operator(), campaign);
    expect(held.map((r) => r.reason).sort()).toEqual([
      ...Array<string>(4).fill('honeypot'),
      ...Array<string>(4).fill('too-fast'),
    ]);

    // Some answers are blank, and only those who gave feedback were asked PA2 to PA4.
    const rows = await exported(database, campaign);
    expect(rows).toHaveLength(300);
    expect(rows.filter((r) => r.TC1 === '').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.PAQ === '0' && r.PA2 !== '')).toEqual([]);
    expect(rows.filter((r) => r.PAQ === '1').length).toBeGreaterThan(0);

    const card = await parScorecard(database.db, operator(), {
      framework: 'par-2020-province',
      period: '2027',
      peers: 'DEMO',
    });
    expect(card.previous).toBe('2026');
    expect(card.rows.map((r) => r.unit).sort()).toEqual(['DEMO.HUYEN1', 'DEMO.SNV', 'DEMO.STP']);
    expect(card.rows.every((r) => (r.components.sipas?.points ?? 0) > 0)).toBe(true);

    // The officials' survey: 30 of 52 officials answered; the Sở Tư pháp's civil servants, 3,
    // too few for their group to be shown; each unit's leaders' points derived from it.
    const officials = await officialProgress(database.db, operator(), 'DEMO-LD-2027');
    expect([officials.answered, officials.invited]).toEqual([30, 52]);
    const results = await officialResults(database.db, operator(), 'DEMO-LD-2027');
    const justice = results.units.find((u) => u.unit === 'DEMO.STP');
    expect(justice?.groups.map((g) => [g.group, g.answered, g.suppressed])).toEqual([
      ['Công chức', 3, 'small'],
      ['Lãnh đạo sở, phòng', 5, 'complementary'],
    ]);
    // The scorecard writes points to a billionth (analysis/par.ts `exact`).
    for (const row of card.rows) {
      const unit = results.units.find((u) => u.unit === row.unit);
      expect(row.components.leaders?.points).toBeCloseTo(unit?.leaves[0]?.points ?? NaN, 9);
    }
  });

  it('scores as its responses, scored by hand, say', async () => {
    const campaign = await campaignByCode(database.db, 'DEMO-2027');
    const rows = await exported(database, 'DEMO-2027');
    // Under the default rules: an item's index is the share of 4 and 5 among its non-blank
    // answers, a factor's the mean of its items', SIPAS the mean of the factors'.
    const itemIndex = (code: string) => {
      const answered = rows.map((r) => r[code] ?? '').filter((a) => a !== '');
      return (100 * answered.filter((a) => a === '4' || a === '5').length) / answered.length;
    };
    const byFactor = new Map<string, string[]>();
    for (const item of campaign.instrument.items) {
      if (item.factor) byFactor.set(item.factor, [...(byFactor.get(item.factor) ?? []), item.code]);
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const sipas = mean([...byFactor.values()].map((items) => mean(items.map(itemIndex))));

    const scores = await campaignScores(database.db, operator(), {
      campaign: 'DEMO-2027',
      by: 'all',
    });
    expect(scores.rules).toMatchObject({
      score: 'share',
      blanks: 'exclude',
      sipas: 'meanOfFactors',
    });
    expect(byFactor.size).toBe(5);
    expect(scores.groups[0]?.respondents).toBe(300);
    expect(scores.groups[0]?.sipas.index).toBeCloseTo(sipas, 9);
    expect(scores.groups[0]?.items.TC1?.index).toBeCloseTo(itemIndex('TC1'), 9);
    expect(scores.groups[0]?.responseRate).toBeCloseTo((100 * 300) / (910 + 380 + 640 + 520), 9);
  });
});
