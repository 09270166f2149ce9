import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRules } from '../../../analysis/rules.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { DomainError } from '../../errors.ts';
import {
  campaignByCode,
  campaignCounters,
  createCampaign,
  importTransactions,
  type CampaignInput,
} from './index.ts';
import { exampleActor as actor, openExampleCampaign, textStream } from '../examples.testing.ts';
import { importCounters } from '../counters.ts';

async function refusal(work: Promise<unknown>): Promise<{ code: string; errors: string[] }> {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError))
    throw new Error(`expected a DomainError, got ${String(error)}`);
  return { code: error.code, errors: error.errors.map((e) => `${e.path}: ${e.message.en}`) };
}

describe.each(engines)('campaigns on %s', (engine) => {
  let database: TestDatabase;
  const input = (overrides: Partial<CampaignInput>): CampaignInput => ({
    code: 'C',
    instrument: 'sipas-2017',
    from: '2026-01-01',
    to: '2026-06-30',
    counters: ['BRVT.STP.Q1'],
    ...overrides,
  });
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await openExampleCampaign(database.db, { responses: false });
    // A fourth counter that BRVT-2025 does not hold.
    await importCounters(
      database.db,
      actor,
      textStream('counter,unit,name\nBRVT.STP.Q2,BRVT.STP,Quầy 2\n'),
    );
  });
  afterAll(() => database.close());

  it('stores the example campaign with default rules, its counters and their transactions', async () => {
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    expect(campaign).toMatchObject({
      code: 'BRVT-2025',
      name: 'BRVT-2025',
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
      rules: defaultRules,
    });
    expect(campaign.instrument.code).toBe('sipas-2017');
    const counters = await campaignCounters(database.db, campaign.id);
    expect(counters.map((c) => [c.code, c.transactions, c.target])).toEqual([
      ['BRVT.CHAUDUC.Q1', 181, null],
      ['BRVT.SKHDT.Q1', 319, null],
      ['BRVT.STP.Q1', 252, null],
    ]);
  });

  it('names every bad field of a campaign', async () => {
    const refused = await refusal(
      createCampaign(
        database.db,
        actor,
        input({
          code: 'bad code',
          instrument: 'sipas-1999',
          from: '2026-02-30',
          counters: ['BRVT.STP.Q2', 'NOPE.Q9'],
          rules: { satisfied: [6], adequacy: { minRespondents: 0 } },
          targets: { 'BRVT.SKHDT.Q1': 10, 'BRVT.STP.Q2': -1 },
        }),
      ),
    );
    expect(refused.code).toBe('invalid');
    expect(refused.errors).toEqual([
      'code: a code is 1 to 64 letters, digits, dots, hyphens or underscores',
      'from: 2026-02-30 is not a date YYYY-MM-DD',
      expect.stringMatching(/^rules\.satisfied\.0: /),
      expect.stringMatching(/^rules\.adequacy\.minRespondents: /),
      'instrument: unknown instrument sipas-1999',
      'counters: unknown counter NOPE.Q9',
      'targets.BRVT.SKHDT.Q1: not a counter of the campaign',
      'targets.BRVT.STP.Q2: a target is a whole number, 0 or more',
    ]);
    expect(
      (await refusal(createCampaign(database.db, actor, input({ to: '2025-12-31' })))).errors,
    ).toEqual(['to: 2025-12-31 is before 2026-01-01']);
  });

  it('refuses a rule the instrument cannot serve: factor overallItem on sipas-2017', async () => {
    const refused = await refusal(
      createCampaign(database.db, actor, input({ rules: { factor: 'overallItem' } })),
    );
    expect(refused).toEqual({
      code: 'invalid',
      errors: [
        'rules.factor: overallItem needs an overall question per factor; sipas-2017 has none for TC, TT, CC, KQ, PA',
      ],
    });
  });

  it('refuses a counter held by another campaign in an overlapping period, last day included', async () => {
    const refused = await refusal(
      createCampaign(
        database.db,
        actor,
        input({ from: '2025-12-31', counters: ['BRVT.STP.Q2', 'BRVT.STP.Q1'] }),
      ),
    );
    expect(refused).toEqual({
      code: 'conflict',
      errors: ['counters.BRVT.STP.Q1: in campaign BRVT-2025 (2025-01-01 to 2025-12-31)'],
    });
    // The day after BRVT-2025 ends, the counter is free; rules and targets are stored.
    const next = await createCampaign(
      database.db,
      actor,
      input({
        code: 'BRVT-2026',
        name: 'Khảo sát 2026',
        rules: { satisfied: [5, 4, 5], sipas: 'overallItem', design: 'stratified' },
        targets: { 'BRVT.STP.Q1': 120 },
      }),
    );
    expect(next).toMatchObject({
      name: 'Khảo sát 2026',
      startsOn: '2026-01-01',
      rules: { ...defaultRules, satisfied: [4, 5], sipas: 'overallItem', design: 'stratified' },
    });
    const counters = await campaignCounters(database.db, next.id);
    expect(counters.map((c) => [c.code, c.target])).toEqual([['BRVT.STP.Q1', 120]]);
    expect(
      (await refusal(createCampaign(database.db, actor, input({ code: 'BRVT-2026' })))).code,
    ).toBe('conflict');
  });

  it('lets exactly one of several concurrent campaigns take a free counter', async () => {
    const attempts = await Promise.allSettled(
      ['R1', 'R2', 'R3', 'R4'].map((code) =>
        createCampaign(
          database.db,
          actor,
          input({ code, from: '2027-01-01', to: '2027-12-31', counters: ['BRVT.STP.Q2'] }),
        ),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') {
        expect(attempt.reason).toBeInstanceOf(DomainError);
        expect(attempt.reason).toMatchObject({ code: 'conflict' });
      }
    }
  });

  it('imports transactions for the campaign counters only, updating on re-import', async () => {
    const bad =
      'counter,transactions\nBRVT.STP.Q2,10\nBRVT.STP.Q1,x\nBRVT.SKHDT.Q1,-3\nBRVT.CHAUDUC.Q1,\n';
    expect(
      (await refusal(importTransactions(database.db, actor, 'BRVT-2025', textStream(bad)))).errors,
    ).toEqual([
      'line 2, column counter: counter BRVT.STP.Q2 is not in campaign BRVT-2025',
      'line 3, column transactions: x is not a whole number, 0 or more',
      'line 4, column transactions: -3 is not a whole number, 0 or more',
      'line 5, column transactions: required',
    ]);
    const again = 'transactions,counter\n300,BRVT.STP.Q1\n0,BRVT.CHAUDUC.Q1\n';
    expect(await importTransactions(database.db, actor, 'BRVT-2025', textStream(again))).toEqual({
      updated: 2,
    });
    const campaign = await campaignByCode(database.db, 'BRVT-2025');
    const counters = await campaignCounters(database.db, campaign.id);
    expect(counters.map((c) => [c.code, c.transactions])).toEqual([
      ['BRVT.CHAUDUC.Q1', 0],
      ['BRVT.SKHDT.Q1', 319],
      ['BRVT.STP.Q1', 300],
    ]);
    await expect(
      importTransactions(database.db, actor, 'NOPE', textStream(again)),
    ).rejects.toMatchObject({ code: 'not-found' });
    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'subject'])
      .where('action', 'in', ['campaign.create', 'transactions.import'])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'campaign.create', subject: 'BRVT-2025' },
      { action: 'transactions.import', subject: 'BRVT-2025' },
      { action: 'campaign.create', subject: 'BRVT-2026' },
      { action: 'campaign.create', subject: expect.stringMatching(/^R[1-4]$/) },
      { action: 'transactions.import', subject: 'BRVT-2025' },
    ]);
  });
});
