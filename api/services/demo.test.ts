import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tokens from '../../db/repositories/tokens.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { ensureBuiltins } from './builtins.ts';
import { campaignByCode } from './campaigns/index.ts';
import { hashToken } from './credentials.ts';
import { seedDemoIfEmpty } from './demo.ts';

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
});
