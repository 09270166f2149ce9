// SQL injection: strings from users reach SQL only as parameters. Classic injection strings,
// each tagged with a marker, go through every text field of the API (bodies, CSV cells and
// headers, path and query parameters, the survey's fields, the bearer header); every statement
// the service sends is recorded as compiled. No marker may appear in any statement's SQL text,
// many must appear among the parameters (so they did reach the database), what was accepted is
// stored verbatim, nothing answers 5xx, and the schema is whole afterwards.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { loadConfig } from '../api/config.ts';
import { day, openRouteFixture, testActor, type RouteFixture } from '../api/routes/testing.ts';
import { issueCounterToken } from '../api/services/credentials.ts';
import { engines } from '../db/testing.ts';
import { parameterText, recording, type Recording } from './recorder.ts';

const attacks = [
  "' OR '1'='1",
  "'; DROP TABLE response; --",
  '"; DROP TABLE unit; --',
  "\\'; SELECT pg_sleep(5); --",
  '1) OR 1=1 --',
  '$$; DELETE FROM audit_log; $$',
  "' UNION SELECT token_hash::text FROM api_token --",
  "%' AND 1=1 AND '%'='",
  "E'\\x27'; COPY unit TO PROGRAM 'id'; --",
  "Tỉnh ' || (SELECT current_user) || '",
];
const MARKER = /INJ\d+X/g;

describe.each(engines)('injection strings on %s', (engine) => {
  let f: RouteFixture;
  let recorded: Recording;
  let app: ReturnType<typeof createApp>;
  let survey: string;
  let n = 0;
  const sent = new Set<string>();
  const statuses: number[] = [];

  /** The next attack string, tagged. */
  const attack = () => {
    const marker = `INJ${n}X`;
    const text = `${attacks[n++ % attacks.length]} ${marker}`;
    sent.add(marker);
    return text;
  };
  const request = async (path: string, init: RequestInit & { body?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${f.tokens.admin}`);
    const response = await app.request(path, { ...init, headers });
    statuses.push(response.status);
    await response.arrayBuffer();
    return response;
  };
  const send = (method: string, path: string, body: unknown) =>
    request(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const csv = (path: string, rows: string[][]) =>
    request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: rows.map((row) => row.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n'),
    });
  const at = (text: string) => encodeURIComponent(text);

  beforeAll(async () => {
    f = await openRouteFixture(engine, { SIPAS_RATE_LIMIT_DEVICE: '0', SIPAS_RATE_LIMIT_IP: '0' });
    recorded = recording(f.database.db);
    app = createApp({
      connection: { ...f.database, db: recorded.db },
      config: loadConfig({ SIPAS_RATE_LIMIT_DEVICE: '0', SIPAS_RATE_LIMIT_IP: '0' }),
    });
    tablesBefore = await tableNames();
  });
  afterAll(() => f.database.close());

  const tableNames = async () =>
    (
      await sql<{ name: string }>`
        select tablename as name from pg_tables where schemaname = current_schema() order by 1
      `.execute(f.database.db)
    ).rows.map((r) => r.name);
  let tablesBefore: string[] = [];

  it('sends every text field to SQL as a parameter, and stores it verbatim', async () => {
    const names = { unit: attack(), counter: attack(), campaign: attack(), area: attack() };
    const responseId = attack();

    // Organisation: bodies, then CSV cells, then path parameters.
    await send('POST', '/api/v1/units', { code: attack(), name: attack(), parent: attack() });
    expect(
      (await send('POST', '/api/v1/units', { code: 'BRVT.INJ', name: names.unit, parent: 'BRVT' }))
        .status,
    ).toBe(201);
    await send('PATCH', '/api/v1/units/BRVT.INJ', { name: names.unit, parent: attack() });
    await csv('/api/v1/units/import', [
      ['unit', 'name', 'parent'],
      ['BRVT.INJ2', attack(), 'BRVT'],
      [attack(), 'x', attack()],
    ]);
    await csv('/api/v1/units/import', [
      ['unit', 'name', attack()],
      ['BRVT.INJ3', 'x', ''],
    ]);
    expect(
      (
        await send('POST', '/api/v1/counters', {
          code: 'BRVT.INJ.Q1',
          unit: 'BRVT.INJ',
          name: names.counter,
        })
      ).status,
    ).toBe(201);
    await send('POST', '/api/v1/counters', { code: 'BRVT.INJ.Q2', unit: attack(), name: attack() });
    await send('PATCH', '/api/v1/counters/BRVT.INJ.Q1', { name: names.counter, unit: attack() });
    await csv('/api/v1/counters/import', [
      ['counter', 'unit', 'name'],
      ['BRVT.INJ.Q3', attack(), attack()],
    ]);
    for (const path of ['units', 'counters', 'campaigns', 'instruments', 'par']) {
      await request(`/api/v1/${path}/${at(attack())}`);
    }
    await request(`/api/v1/counters?unit=${at(attack())}`);

    // Campaigns and their figures.
    const campaign = {
      code: 'INJ-C',
      name: names.campaign,
      instrument: 'sipas-2017',
      from: day(-5),
      to: day(5),
      counters: ['BRVT.INJ.Q1'],
    };
    await send('POST', '/api/v1/campaigns', {
      ...campaign,
      code: 'INJ-D',
      instrument: attack(),
      counters: [attack()],
    });
    expect((await send('POST', '/api/v1/campaigns', campaign)).status).toBe(201);
    await send('PATCH', '/api/v1/campaigns/INJ-C', {
      name: names.campaign,
      targets: { [attack()]: 3 },
    });
    await send('PUT', '/api/v1/campaigns/INJ-C/transactions', { [attack()]: 5 });
    await csv('/api/v1/campaigns/INJ-C/transactions/import', [
      ['counter', 'transactions'],
      [attack(), '5'],
    ]);
    const entry = {
      counter: 'BRVT.INJ.Q1',
      submittedAt: day(),
      serviceArea: names.area,
      responseId,
      answers: { TC1: 4, PAQ: 0 },
    };
    await send('POST', '/api/v1/campaigns/INJ-C/responses', {
      ...entry,
      responseId: attack(),
      answers: { [attack()]: 1 },
    });
    await send('POST', '/api/v1/campaigns/INJ-C/responses', {
      ...entry,
      counter: attack(),
      submittedAt: attack(),
      mode: attack(),
    });
    expect((await send('POST', '/api/v1/campaigns/INJ-C/responses', entry)).status).toBe(201);
    await csv('/api/v1/campaigns/INJ-C/responses/import', [
      ['response_id', 'counter', 'submitted_at', 'mode', 'service_area', 'TC1'],
      [attack(), 'BRVT.INJ.Q1', day(), 'paper', attack(), '4'],
      [attack(), attack(), attack(), attack(), attack(), attack()],
    ]);
    await csv(`/api/v1/campaigns/INJ-C/responses/import?dryRun=${at(attack())}`, [
      ['response_id', attack()],
      ['1', '2'],
    ]);
    for (const query of [
      `by=${at(attack())}`,
      `by=all&design=${at(attack())}`,
      `by=all&format=${at(attack())}`,
    ]) {
      await request(`/api/v1/campaigns/INJ-C/scores?${query}`);
    }
    await request(`/api/v1/campaigns/INJ-C/compare?with=${at(attack())}`);
    await request(`/api/v1/campaigns/INJ-C/responses/export?format=${at(attack())}`);
    await request(`/api/v1/campaigns/${at(attack())}/progress`);
    await send('POST', '/api/v1/quarantine/release', { ids: [attack(), '1 OR 1=1'] });
    await request(
      `/api/v1/par/par-2020-province/scorecard?period=${at(attack())}&peers=${at(attack())}`,
    );
    await csv(`/api/v1/par/par-2020-province/points?period=2025`, [
      ['unit', 'component', 'points'],
      [attack(), attack(), '1'],
    ]);
    await send('POST', '/api/v1/par/par-2020-province/derive', {
      period: attack(),
      campaign: attack(),
    });

    // The public survey: its path, its body's every field, and the page.
    survey = await issueCounterToken(f.database.db, testActor, 'BRVT.INJ.Q1');
    const device = attack();
    const id = randomUUID();
    const posted = await send('POST', `/api/v1/s/${survey}/responses`, {
      id,
      answers: { TC1: 5, PAQ: 0 },
      device,
      website: '',
    });
    expect(posted.status).toBe(201);
    await send('POST', `/api/v1/s/${survey}/responses`, {
      id: attack(),
      answers: { [attack()]: 1 },
      device: attack(),
      lang: attack(),
      startedAt: attack(),
      website: attack(),
    });
    await send('POST', `/api/v1/s/${at(attack())}/responses`, {
      id: randomUUID(),
      answers: { TC1: 5 },
    });
    await request(`/api/v1/s/${at(attack())}`);
    await request(`/s/${at(attack())}`);
    await request('/api/v1/me', { headers: { Authorization: `Bearer ${attack()}` } });
    await request('/api/v1/me', { headers: { Authorization: `Bearer sk_${at(attack())}` } });

    // Nothing failed, and none of it became SQL text.
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const inText = recorded.queries.flatMap((q) => q.sql.match(MARKER) ?? []);
    expect(inText).toEqual([]);
    const asParameters = new Set(
      recorded.queries.flatMap((q) =>
        q.parameters.flatMap((p) => parameterText(p).match(MARKER) ?? []),
      ),
    );
    expect(asParameters.size).toBeGreaterThanOrEqual(15);
    for (const marker of asParameters) expect(sent.has(marker)).toBe(true);

    // Accepted text is stored exactly as sent.
    const db = f.database.db;
    expect(
      await db.selectFrom('unit').select('name').where('code', '=', 'BRVT.INJ').executeTakeFirst(),
    ).toEqual({ name: names.unit });
    expect(
      await db
        .selectFrom('counter')
        .select('name')
        .where('code', '=', 'BRVT.INJ.Q1')
        .executeTakeFirst(),
    ).toEqual({ name: names.counter });
    expect(
      await db.selectFrom('campaign').select('name').where('code', '=', 'INJ-C').executeTakeFirst(),
    ).toEqual({ name: names.campaign });
    expect(
      await db
        .selectFrom('response')
        .select(['source_id', 'service_area'])
        .where('source_id', '=', responseId)
        .execute(),
    ).toEqual([{ source_id: responseId, service_area: names.area }]);
    expect(
      await db.selectFrom('response').select('online_id').where('online_id', '=', id).execute(),
    ).toHaveLength(1);

    // The schema is whole: every table still there, nothing dropped or emptied behind our back.
    expect(await tableNames()).toEqual(tablesBefore);
    expect(await db.selectFrom('audit_log').select('id').limit(1).execute()).toHaveLength(1);
    expect(await db.selectFrom('api_token').select('id').execute()).toHaveLength(1);
  });

  it('would see text spliced into SQL (the check can fail)', async () => {
    const before = recorded.queries.length;
    await sql`select ${sql.lit('INJ999X')} as spliced, ${'INJ998X'} as bound`.execute(recorded.db);
    const [query] = recorded.queries.slice(before);
    expect(query?.sql.match(MARKER)).toEqual(['INJ999X']);
    expect(query?.parameters.map(parameterText)).toEqual(['INJ998X']);
  });
});
