import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import { engines } from '../../db/testing.ts';
import { createApiToken, hashToken } from '../services/credentials.ts';
import { jsonBody, openRouteFixture, testActor, type RouteFixture } from './testing.ts';

describe.each(engines)('API tokens, roles and unit subtrees on %s', (engine) => {
  let f: RouteFixture;
  const tokens = { stp: '', root: '', analyst: '', unscopedSurveyor: '' };
  const auditCount = async () =>
    Number(
      (
        await f.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const db = f.database.db;
    tokens.stp = await createApiToken(db, testActor, { role: 'surveyor', unit: 'BRVT.STP' });
    tokens.root = await createApiToken(db, testActor, { role: 'surveyor', unit: 'BRVT' });
    tokens.analyst = await createApiToken(db, testActor, { role: 'analyst', unit: 'BRVT' });
    tokens.unscopedSurveyor = await createApiToken(db, testActor, { role: 'surveyor' });
  });
  afterAll(() => f.database.close());

  it('answers 401 problem+json without a token, with a bad one and with a revoked one', async () => {
    const missing = await f.request('/api/v1/counters');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await f.request('/api/v1/counters', { token: 'sk_nonsense' })).status).toBe(401);
    const basic = await f.request('/api/v1/counters', {
      headers: { Authorization: `Basic ${f.tokens.admin}` },
    });
    expect(basic.status).toBe(401);

    const doomed = await createApiToken(f.database.db, testActor, { role: 'admin' });
    expect((await f.request('/api/v1/counters', { token: doomed })).status).toBe(200);
    await f.database.db
      .updateTable('api_token')
      .set({ revoked_at: new Date() })
      .where('token_hash', '=', hashToken(doomed))
      .execute();
    expect((await f.request('/api/v1/counters', { token: doomed })).status).toBe(401);
  });

  it("gives a surveyor of one unit 403 on another unit's counters", async () => {
    const own = await f.request('/api/v1/counters/BRVT.STP.Q1', { token: tokens.stp });
    expect(own.status).toBe(200);
    const before = await auditCount();
    const attempts = [
      f.request('/api/v1/counters/BRVT.SKHDT.Q1', { token: tokens.stp }),
      f.request('/api/v1/counters/BRVT.SKHDT.Q1', {
        token: tokens.stp,
        ...jsonBody({ name: 'Quầy mới' }, 'PATCH'),
      }),
      f.request('/api/v1/counters/BRVT.SKHDT.Q1/token', { token: tokens.stp, method: 'POST' }),
      f.request('/api/v1/counters/BRVT.SKHDT.Q1/token', { token: tokens.stp, method: 'DELETE' }),
      f.request('/api/v1/counters/BRVT.SKHDT.Q1', { token: tokens.stp, method: 'DELETE' }),
      f.request('/api/v1/counters', {
        token: tokens.stp,
        ...jsonBody({ code: 'BRVT.SKHDT.Q9', unit: 'BRVT.SKHDT', name: 'Quầy 9' }),
      }),
      // Moving its own counter out of its subtree is reaching another unit too.
      f.request('/api/v1/counters/BRVT.STP.Q1', {
        token: tokens.stp,
        ...jsonBody({ unit: 'BRVT.SKHDT' }, 'PATCH'),
      }),
      f.request('/api/v1/units/BRVT.SKHDT/qr-sheet', { token: tokens.stp, method: 'POST' }),
      f.request('/api/v1/counters?unit=BRVT.SKHDT', { token: tokens.stp }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status, response.url).toBe(403);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect(await auditCount()).toBe(before);
    const counter = await f.database.db
      .selectFrom('counter')
      .select('name')
      .where('code', '=', 'BRVT.SKHDT.Q1')
      .executeTakeFirstOrThrow();
    expect(counter.name).toBe('Quầy 1');

    const listed = await f.request('/api/v1/counters', { token: tokens.stp });
    expect((await listed.json()).map((c: { code: string }) => c.code)).toEqual(['BRVT.STP.Q1']);
  });

  it('lets a surveyor reach the whole subtree under its unit, and an unscoped one everything', async () => {
    for (const token of [tokens.root, tokens.unscopedSurveyor]) {
      const listed = await f.request('/api/v1/counters', { token });
      expect((await listed.json()).map((c: { code: string }) => c.code)).toEqual([
        'BRVT.CHAUDUC.Q1',
        'BRVT.SKHDT.Q1',
        'BRVT.STP.Q1',
      ]);
    }
    const renamed = await f.request('/api/v1/counters/BRVT.CHAUDUC.Q1', {
      token: tokens.root,
      ...jsonBody({ name: 'Bộ phận Một cửa' }, 'PATCH'),
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toEqual({
      code: 'BRVT.CHAUDUC.Q1',
      name: 'Bộ phận Một cửa',
      unit: 'BRVT.CHAUDUC',
      hasToken: false,
    });
  });

  it('keeps an analyst from every write, and keeps a surveyor from admin work', async () => {
    const before = await auditCount();
    const writes: [string, RequestInit][] = [
      ['/api/v1/units', jsonBody({ code: 'BRVT.SNV', name: 'Sở Nội vụ', parent: 'BRVT' })],
      ['/api/v1/units/BRVT.STP', jsonBody({ name: 'x' }, 'PATCH')],
      ['/api/v1/units/BRVT.STP', { method: 'DELETE' }],
      ['/api/v1/counters', jsonBody({ code: 'X.Q1', unit: 'BRVT', name: 'x' })],
      ['/api/v1/counters/BRVT.STP.Q1', jsonBody({ name: 'x' }, 'PATCH')],
      ['/api/v1/counters/BRVT.STP.Q1/token', { method: 'POST' }],
      ['/api/v1/counters/import', { method: 'POST', body: 'counter,unit,name\n' }],
      [
        '/api/v1/campaigns',
        jsonBody({
          code: 'C',
          instrument: 'sipas-2017',
          from: '2025-01-01',
          to: '2025-12-31',
          counters: 'all',
        }),
      ],
      ['/api/v1/units/BRVT.STP/qr-sheet', { method: 'POST' }],
      ['/api/v1/quarantine/release', jsonBody({ ids: ['1'] })],
      ['/api/v1/par/par-2020-province/points?period=2020', { method: 'POST', body: 'unit\n' }],
    ];
    for (const [path, init] of writes) {
      const response = await f.request(path, { ...init, token: tokens.analyst });
      expect(response.status, `${init.method} ${path}`).toBe(403);
      expect((await response.json()).detail).toMatch(/Role analyst may not/);
    }
    for (const path of ['/api/v1/units', '/api/v1/units/import']) {
      const response = await f.request(path, {
        token: tokens.root,
        ...jsonBody({ code: 'BRVT.SNV', name: 'Sở Nội vụ' }),
      });
      expect(response.status).toBe(403);
    }
    expect(await auditCount()).toBe(before);
    const units = await f.request('/api/v1/units', { token: tokens.analyst });
    expect(units.status).toBe(200);
    expect((await units.json()).map((u: { code: string }) => u.code)).toEqual([
      'BRVT',
      'BRVT.CHAUDUC',
      'BRVT.SKHDT',
      'BRVT.STP',
    ]);
  });

  it("tells a token's account, and lists the instruments to every role", async () => {
    const me = await f.request('/api/v1/me', { token: tokens.stp });
    // A token's account has no login, and a bearer request needs no CSRF token.
    expect(await me.json()).toEqual({
      login: null,
      name: 'surveyor@BRVT.STP',
      role: 'surveyor',
      unit: 'BRVT.STP',
      csrfToken: null,
    });
    const admin = await f.request('/api/v1/me', { token: f.tokens.admin });
    expect(await admin.json()).toEqual({
      login: null,
      name: 'admin',
      role: 'admin',
      unit: null,
      csrfToken: null,
    });

    const list = await f.request('/api/v1/instruments', { token: tokens.analyst });
    expect(await list.json()).toEqual([
      expect.objectContaining({
        code: 'sipas-2017',
        name: expect.objectContaining({ vi: expect.any(String) }),
      }),
      expect.objectContaining({ code: 'sipas-2023' }),
    ]);
    const one = await (
      await f.request('/api/v1/instruments/sipas-2017', { token: tokens.analyst })
    ).json();
    expect(one).toEqual(builtinInstruments.find((i) => i.code === 'sipas-2017'));
    expect((await f.request('/api/v1/instruments/nope', { token: tokens.analyst })).status).toBe(
      404,
    );
  });

  it('records every write in the audit log with its account', async () => {
    const created = await f.request('/api/v1/counters', {
      token: tokens.stp,
      ...jsonBody({ code: 'BRVT.STP.Q2', unit: 'BRVT.STP', name: 'Quầy 2' }),
    });
    expect(created.status).toBe(201);
    const account = await f.database.db
      .selectFrom('api_token')
      .select('account_id')
      .where('token_hash', '=', hashToken(tokens.stp))
      .executeTakeFirstOrThrow();
    const entry = await f.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'subject'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({
      actor: `account:${account.account_id}`,
      action: 'counter.create',
      subject: 'BRVT.STP.Q2',
    });
  });
});
