// Quarantine through the API (spec §7): suspect survey answers are stored with their reasons,
// listed to an admin, left out of the scores while kept, and counted from the moment an admin
// releases them; nobody else may list or release. Figures worked by hand: five valid answers
// TC1 = 5 (satisfied), then answers TC1 = 1 quarantined.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/testing.ts';
import {
  day,
  jsonBody,
  openRouteFixture,
  testActor,
  type RouteFixture,
} from '../api/routes/testing.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';
import { createApiToken, issueCounterToken } from '../api/services/credentials.ts';

const quarantinedSchema = (value: unknown) => {
  if (!Array.isArray(value)) throw new Error('the quarantine list is not an array');
  return value.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw new Error('not an entry');
    return {
      id: String(Reflect.get(entry, 'id')),
      responseId: String(Reflect.get(entry, 'responseId')),
      reason: String(Reflect.get(entry, 'reason')),
    };
  });
};

describe.each(engines)('quarantine on %s', (engine) => {
  let f: RouteFixture;
  let survey: string;
  let analyst: string;
  const suspect = new Map<string, string>();

  const submit = async (overrides: Record<string, unknown>) => {
    const id = randomUUID();
    const response = await f.request(
      `/api/v1/s/${survey}/responses`,
      jsonBody({
        id,
        answers: { TC1: 5, PAQ: 0 },
        startedAt: '2025-06-02T08:14:05+07:00',
        submittedAt: '2025-06-02T08:16:40+07:00',
        device: randomUUID(),
        ...overrides,
      }),
    );
    expect(response.status).toBe(201);
    const reply: unknown = await response.json();
    return { id, reply };
  };
  const tc1 = async () => {
    const response = await f.request('/api/v1/campaigns/Q/scores?by=all', {
      token: f.tokens.admin,
    });
    expect(response.status).toBe(200);
    const document: unknown = await response.json();
    const group: unknown = Reflect.get(Reflect.get(Object(document), 'groups') ?? [], 0);
    const items: unknown = Reflect.get(Object(group), 'items');
    const item: unknown = Reflect.get(Object(items), 'TC1');
    return {
      respondents: Reflect.get(Object(group), 'respondents'),
      valid: Reflect.get(Object(item), 'valid'),
      index: Reflect.get(Object(item), 'index'),
    };
  };
  /** Counts exactly, the index to 1e-9. */
  const expectTc1 = async (respondents: number, index: number) => {
    const got = await tc1();
    expect({ respondents: got.respondents, valid: got.valid }).toEqual({
      respondents,
      valid: respondents,
    });
    expect(Math.abs(Number(got.index) - index)).toBeLessThan(1e-9);
  };
  const list = async (token = f.tokens.admin) =>
    f.request('/api/v1/campaigns/Q/quarantine', { token });

  beforeAll(async () => {
    f = await openRouteFixture(engine, { SIPAS_RATE_LIMIT_DEVICE: '0', SIPAS_RATE_LIMIT_IP: '0' });
    await createCampaign(f.database.db, testActor, {
      code: 'Q',
      instrument: 'sipas-2017',
      from: day(-5),
      to: day(5),
      counters: ['BRVT.SKHDT.Q1'],
    });
    survey = await issueCounterToken(f.database.db, testActor, 'BRVT.SKHDT.Q1');
    analyst = await createApiToken(f.database.db, testActor, { role: 'analyst' });
    for (let n = 0; n < 5; n++) await submit({});
    const unhappy = { answers: { TC1: 1, PAQ: 0 } };
    for (let n = 0; n < 3; n++) {
      const { id, reply } = await submit({ ...unhappy, website: 'http://spam.example' });
      expect(reply).toEqual({ id, status: 'quarantined' });
      suspect.set(id, 'honeypot');
    }
    for (let n = 0; n < 2; n++) {
      const { id, reply } = await submit({
        ...unhappy,
        startedAt: '2025-06-02T08:14:05+07:00',
        submittedAt: '2025-06-02T08:14:12+07:00',
      });
      expect(reply).toEqual({ id, status: 'quarantined' });
      suspect.set(id, 'too-fast');
    }
  });
  afterAll(() => f.database.close());

  it('lists every quarantined response with its reason to an admin, and to nobody else', async () => {
    const response = await list();
    expect(response.status).toBe(200);
    const listed = quarantinedSchema(await response.json());
    expect(new Map(listed.map((q) => [q.responseId, q.reason]))).toEqual(suspect);
    expect((await list(analyst)).status).toBe(403);
    expect((await list('')).status).toBe(401);
    const release = await f.request('/api/v1/quarantine/release', {
      ...jsonBody({ ids: listed.map((q) => q.id) }),
      token: analyst,
    });
    expect(release.status).toBe(403);
  });

  it('leaves kept responses out of the scores', async () => {
    // Five valid answers, all satisfied: the five suspect ones (all dissatisfied) do not count.
    await expectTc1(5, 100);
  });

  it('counts released responses, and only those, from their release', async () => {
    const listed = quarantinedSchema(await (await list()).json());
    const chosen = listed.filter((q) => q.reason === 'too-fast').map((q) => q.id);
    expect(chosen).toHaveLength(2);
    const release = await f.request('/api/v1/quarantine/release', {
      ...jsonBody({ ids: chosen }),
      token: f.tokens.admin,
    });
    expect(release.status).toBe(200);
    expect(await release.json()).toEqual({ released: 2 });
    // Seven answers now, five satisfied: 100 × 5 / 7.
    await expectTc1(7, 71.42857142857143);
    const left = quarantinedSchema(await (await list()).json());
    expect(left.map((q) => q.reason)).toEqual(['honeypot', 'honeypot', 'honeypot']);

    // Releasing one already released, or an unknown id, releases nothing at all.
    const again = await f.request('/api/v1/quarantine/release', {
      ...jsonBody({ ids: [left[0]?.id, chosen[0]] }),
      token: f.tokens.admin,
    });
    expect(again.status).toBe(422);
    await expectTc1(7, 71.42857142857143);
    expect(quarantinedSchema(await (await list()).json())).toHaveLength(3);
  });
});
