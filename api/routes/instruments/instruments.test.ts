import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinInstruments } from '../../../analysis/instruments/index.ts';
import { engines } from '../../../db/testing.ts';
import { createCampaign } from '../../services/campaigns/index.ts';
import { createApiToken } from '../../services/credentials.ts';
import { enterResponse } from '../../services/responses.ts';
import { jsonBody, openRouteFixture, type RouteFixture, testActor } from '../testing.ts';

/** A small variant of sipas-2017: its first factor only, under a new code. */
function variant(code: string, question = 'Nơi ngồi chờ có đủ chỗ ngồi') {
  const base = builtinInstruments[0];
  if (!base) throw new Error('no built-in instrument');
  return {
    code,
    name: { vi: 'Biến thể', en: 'Variant' },
    scales: base.scales.filter((s) => s.code === 'sat5'),
    factors: base.factors.filter((f) => f.code === 'TC'),
    items: [
      { code: 'TC1', factor: 'TC', scale: 'sat5', text: { vi: question, en: 'Seats' } },
      { code: 'HL', scale: 'sat5', text: { vi: 'Nhìn chung', en: 'Overall' } },
    ],
    overallItem: 'HL',
  };
}

describe.each(engines)('adding instrument versions on %s', (engine) => {
  let f: RouteFixture;
  let analyst: string;
  beforeAll(async () => {
    f = await openRouteFixture(engine);
    analyst = await createApiToken(f.database.db, testActor, { role: 'analyst' });
  });
  afterAll(() => f.database.close());

  const save = (definition: unknown, token: string) =>
    f.request('/api/v1/instruments', { ...jsonBody(definition), token });

  it('validates a definition on entry, naming each problem, and stores nothing', async () => {
    const bad = {
      ...variant('brvt-26'),
      items: [{ code: 'TC1', factor: 'XX', scale: 'sat5', text: { vi: 'a', en: 'a' } }],
    };
    const response = await save(bad, f.tokens.admin);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: { path: string; message: string }[] };
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'items.0.factor', message: 'unknown factor XX' },
        { path: 'overallItem', message: 'HL is not a sat5 item' },
      ]),
    );
    expect(
      await f.request('/api/v1/instruments/brvt-26', { token: f.tokens.admin }),
    ).toHaveProperty('status', 404);
  });

  it('lets an admin add, replace while unanswered, and never change one with responses', async () => {
    expect((await save(variant('brvt-26'), analyst)).status).toBe(403);

    const created = await save(variant('brvt-26'), f.tokens.admin);
    expect(await created.json()).toEqual({ code: 'brvt-26', outcome: 'created' });
    const again = await save(variant('brvt-26'), f.tokens.admin);
    expect(await again.json()).toEqual({ code: 'brvt-26', outcome: 'unchanged' });
    const reworded = await save(variant('brvt-26', 'Đủ chỗ ngồi chờ'), f.tokens.admin);
    expect(await reworded.json()).toEqual({ code: 'brvt-26', outcome: 'replaced' });

    await createCampaign(f.database.db, testActor, {
      code: 'V-2025',
      instrument: 'brvt-26',
      from: '2025-01-01',
      to: '2025-12-31',
      counters: ['BRVT.STP.Q1'],
    });
    await enterResponse(f.database.db, testActor, 'V-2025', {
      counter: 'BRVT.STP.Q1',
      submittedAt: '2025-03-01',
      answers: { TC1: 4, HL: 5 },
    });
    const refused = await save(variant('brvt-26', 'Khác'), f.tokens.admin);
    expect(refused.status).toBe(409);
    const stored = await f.request('/api/v1/instruments/brvt-26', { token: analyst });
    expect(((await stored.json()) as { items: { text: { vi: string } }[] }).items[0]?.text.vi).toBe(
      'Đủ chỗ ngồi chờ',
    );
    const audit = await f.database.db
      .selectFrom('audit_log')
      .select(['action', 'subject'])
      .where('subject', '=', 'brvt-26')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['instrument.create', 'instrument.replace']);
  });
});
