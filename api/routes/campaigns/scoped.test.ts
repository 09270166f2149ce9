// A province-wide campaign seen by accounts scoped to one of its two departments (issue 14):
// the campaign is listed, its own counters' rows, progress and scores are shown, every other
// counter's never; forms are keyed in for its own counters only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { enterResponse } from '../../services/responses.ts';
import { csvBody, jsonBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const CAMPAIGN = 'TWO-2026';
const OWN = 'BRVT.SKHDT.Q1';
const OTHER = 'BRVT.STP.Q1';

/** TC1 and TC2 of each form keyed in; null is a blank. */
const forms: [counter: string, tc1: number, tc2: number | null][] = [
  [OWN, 5, 3],
  [OWN, 4, null],
  [OWN, 2, 5],
  [OTHER, 1, 1],
  [OTHER, 5, 4],
];

describe.each(engines)('a campaign shared by two departments, on %s', (engine) => {
  let f: RouteFixture;
  const tokens = { analyst: '', surveyor: '' };

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const db = f.database.db;
    const created = await f.request('/api/v1/campaigns', {
      token: f.tokens.admin,
      ...jsonBody({
        code: CAMPAIGN,
        instrument: 'sipas-2017',
        from: '2026-01-01',
        to: '2026-12-31',
        counters: [OWN, OTHER],
        targets: { [OWN]: 10, [OTHER]: 20 },
      }),
    });
    expect(created.status).toBe(201);
    for (const [counter, TC1, TC2] of forms) {
      await enterResponse(db, testActor, CAMPAIGN, {
        counter,
        submittedAt: '2026-03-02',
        answers: { TC1, TC2 },
      });
    }
    tokens.analyst = await createApiToken(db, testActor, { role: 'analyst', unit: 'BRVT.SKHDT' });
    tokens.surveyor = await createApiToken(db, testActor, {
      role: 'surveyor',
      unit: 'BRVT.SKHDT',
    });
  });
  afterAll(() => f.database.close());

  const get = async (path: string, token: string) => {
    const response = await f.request(path, { token });
    expect(response.status, path).toBe(200);
    return response.json();
  };

  it('lists the campaign with its own counters only, and their progress', async () => {
    for (const token of [tokens.analyst, tokens.surveyor]) {
      expect(await get('/api/v1/campaigns', token)).toMatchObject([
        { code: CAMPAIGN, counters: 1 },
      ]);
      const view = await get(`/api/v1/campaigns/${CAMPAIGN}`, token);
      expect(view.counters.map((c: { code: string }) => c.code)).toEqual([OWN]);
      const progress = await get(`/api/v1/campaigns/${CAMPAIGN}/progress`, token);
      expect(progress.counters).toMatchObject([{ counter: OWN, respondents: 3, target: 10 }]);
      expect(progress.counters).toHaveLength(1);
      expect(progress.total).toMatchObject({ respondents: 3, target: 10, progress: 30 });
    }
    const whole = await get(`/api/v1/campaigns/${CAMPAIGN}/progress`, f.tokens.admin);
    expect(whole.total).toMatchObject({ respondents: 5, target: 30 });
  });

  it("scores its own counters only, `all` included, and says so; the admin's the whole", async () => {
    const path = `/api/v1/campaigns/${CAMPAIGN}/scores`;
    const scope = { unit: 'BRVT.SKHDT', counters: [OWN] };
    const all = await get(`${path}?by=all`, tokens.analyst);
    expect(all.scope).toEqual(scope);
    expect(all.groups).toHaveLength(1);
    // By hand: TC1 answered 5, 4, 2 (2 of 3 satisfied); TC2 3, blank, 5 (1 of 2).
    expect(all.groups[0]).toMatchObject({
      key: {},
      respondents: 3,
      modes: { paper: 3 },
      items: {
        TC1: { valid: 3, satisfied: 2, index: expect.closeTo((100 * 2) / 3, 9) },
        TC2: { valid: 2, satisfied: 1, index: 50 },
      },
    });
    // The same counters scored by the admin with a counter filter: the same figures.
    const filtered = await get(`${path}?by=all&counters=${OWN}`, f.tokens.admin);
    expect(filtered.scope).toEqual({ unit: null, counters: [OWN] });
    expect(all.groups).toEqual(filtered.groups);
    const province = await get(`${path}?by=all`, f.tokens.admin);
    expect(province.scope).toBeUndefined();
    expect(province.groups[0]).toMatchObject({
      respondents: 5,
      items: { TC1: { valid: 5, satisfied: 3 }, TC2: { valid: 4, satisfied: 2 } },
    });

    const byCounter = await get(`${path}?by=counter`, tokens.analyst);
    expect(byCounter.groups.map((g: { key: unknown }) => g.key)).toEqual([{ counter: OWN }]);
    const adminByCounter = await get(`${path}?by=counter`, f.tokens.admin);
    expect(byCounter.groups[0]).toEqual(adminByCounter.groups[0]);
    expect(adminByCounter.groups.map((g: { key: unknown }) => g.key)).toEqual([
      { counter: OWN },
      { counter: OTHER },
    ]);
    // Units stop at its own: the province's row would read as the province's figures.
    const byUnit = await get(`${path}?by=unit`, tokens.analyst);
    expect(byUnit.groups.map((g: { key: unknown }) => g.key)).toEqual([{ unit: 'BRVT.SKHDT' }]);

    const csv = await f.request(`${path}?by=all&format=csv`, { token: tokens.analyst });
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe(
      'group,level,code,valid,satisfied,index,se,ci_low,ci_high,' +
        'name,respondents,modes,transactions,response_rate,group_flags,flags,rules,scope',
    );
    expect(lines.slice(1).every((line) => line.endsWith(',unit:BRVT.SKHDT'))).toBe(true);

    const outside = await f.request(`${path}?counters=${OTHER}`, { token: tokens.analyst });
    expect(outside.status).toBe(422);
    expect((await outside.json()).errors).toEqual([
      {
        path: 'counters',
        message: `${OTHER} is not a counter of campaign ${CAMPAIGN} within reach`,
      },
    ]);
  });

  it("exports its own counters' responses only", async () => {
    const response = await f.request(`/api/v1/campaigns/${CAMPAIGN}/responses/export`, {
      token: tokens.analyst,
    });
    const rows = (await response.text()).trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(',')[1])).toEqual([OWN, OWN, OWN]);
  });

  it("refuses the other department's counter", async () => {
    expect((await f.request(`/api/v1/counters/${OTHER}`, { token: tokens.surveyor })).status).toBe(
      403,
    );
    expect((await f.request(`/api/v1/counters/${OWN}`, { token: tokens.surveyor })).status).toBe(
      200,
    );
  });

  it('keys in a form for its own counter and refuses one for the other, storing nothing', async () => {
    const path = `/api/v1/campaigns/${CAMPAIGN}/responses`;
    const form = { submittedAt: '2026-03-03', answers: { TC1: 5 } };
    const own = await f.request(path, {
      token: tokens.surveyor,
      ...jsonBody({ ...form, counter: OWN }),
    });
    expect(own.status).toBe(201);
    const other = await f.request(path, {
      token: tokens.surveyor,
      ...jsonBody({ ...form, counter: OTHER }),
    });
    expect(other.status).toBe(422);
    expect((await other.json()).errors).toEqual([
      {
        path: 'counter',
        message: `counter ${OTHER} is outside unit BRVT.SKHDT and the units under it, which this account reaches`,
      },
    ]);
    const imported = await f.request(`${path}/import`, {
      token: tokens.surveyor,
      ...csvBody(
        `counter,submitted_at,mode,TC1\n${OWN},2026-03-04,paper,4\n${OTHER},2026-03-04,paper,4\n`,
      ),
    });
    expect(imported.status).toBe(422);
    expect((await imported.json()).errors).toEqual([
      {
        path: 'line 3, column counter',
        message: `counter ${OTHER} is outside unit BRVT.SKHDT and the units under it, which this account reaches`,
      },
    ]);
    const whole = await get(`/api/v1/campaigns/${CAMPAIGN}/progress`, f.tokens.admin);
    expect(whole.counters.map((c: { respondents: number }) => c.respondents)).toEqual([4, 2]);
  });

  it("sets its own counters' transactions, not the other's, and may not rename the campaign", async () => {
    const path = `/api/v1/campaigns/${CAMPAIGN}/transactions`;
    const other = await f.request(path, {
      token: tokens.surveyor,
      ...jsonBody({ [OWN]: 40, [OTHER]: 50 }, 'PUT'),
    });
    expect(other.status).toBe(422);
    expect((await other.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      `transactions.${OTHER}`,
    ]);
    const own = await f.request(path, {
      token: tokens.surveyor,
      ...jsonBody({ [OWN]: 40 }, 'PUT'),
    });
    expect(own.status).toBe(200);
    expect((await own.json()).counters).toMatchObject([{ code: OWN, transactions: 40 }]);
    const renamed = await f.request(`/api/v1/campaigns/${CAMPAIGN}`, {
      token: tokens.surveyor,
      ...jsonBody({ name: 'x' }, 'PATCH'),
    });
    expect(renamed.status).toBe(403);
  });
});
