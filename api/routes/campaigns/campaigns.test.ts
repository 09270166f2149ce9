import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import {
  csvBody,
  fixture,
  jsonBody,
  openRouteFixture,
  testActor,
  type RouteFixture,
} from '../testing.ts';

describe.each(engines)('campaigns on %s', (engine) => {
  let f: RouteFixture;
  let stpSurveyor: string;
  const admin = () => f.tokens.admin;

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    stpSurveyor = await createApiToken(f.database.db, testActor, {
      role: 'surveyor',
      unit: 'BRVT.STP',
    });
  });
  afterAll(() => f.database.close());

  it('opens the example campaign, takes its transactions and its responses', async () => {
    const created = await f.request('/api/v1/campaigns', {
      token: admin(),
      ...jsonBody({
        code: 'BRVT-2025',
        name: 'Khảo sát 2025',
        instrument: 'sipas-2017',
        from: '2025-01-01',
        to: '2025-12-31',
        counters: 'all',
        rules: { design: 'stratified' },
      }),
    });
    expect(created.status).toBe(201);
    const campaign = await created.json();
    expect(campaign).toMatchObject({
      code: 'BRVT-2025',
      name: 'Khảo sát 2025',
      instrument: 'sipas-2017',
      startsOn: '2025-01-01',
      endsOn: '2025-12-31',
      rules: { design: 'stratified', satisfied: [4, 5], blanks: 'exclude' },
    });
    expect(campaign.counters.map((c: { code: string }) => c.code)).toEqual([
      'BRVT.CHAUDUC.Q1',
      'BRVT.SKHDT.Q1',
      'BRVT.STP.Q1',
    ]);

    const transactions = await f.request('/api/v1/campaigns/BRVT-2025/transactions/import', {
      token: admin(),
      ...csvBody(fixture('transactions.csv')),
    });
    expect(await transactions.json()).toEqual({ updated: 3 });
    const put = await f.request('/api/v1/campaigns/BRVT-2025/transactions', {
      token: admin(),
      ...jsonBody({ 'BRVT.CHAUDUC.Q1': 181 }, 'PUT'),
    });
    expect(put.status).toBe(200);
    const wrong = await f.request('/api/v1/campaigns/BRVT-2025/transactions', {
      token: admin(),
      ...jsonBody({ 'BRVT.NOWHERE': 5, 'BRVT.STP.Q1': -1 }, 'PUT'),
    });
    expect(wrong.status).toBe(422);

    const responses = await f.request('/api/v1/campaigns/BRVT-2025/responses/import', {
      token: admin(),
      ...csvBody(fixture('responses.csv')),
    });
    expect(await responses.json()).toEqual({ stored: 60, duplicates: [], dryRun: false });
  });

  it('refuses a second campaign on a counter in an overlapping period with 409', async () => {
    const response = await f.request('/api/v1/campaigns', {
      token: admin(),
      ...jsonBody({
        code: 'OVERLAP',
        instrument: 'sipas-2017',
        from: '2025-06-01',
        to: '2026-05-31',
        counters: ['BRVT.STP.Q1'],
      }),
    });
    expect(response.status).toBe(409);
    expect((await response.json()).errors).toEqual([
      { path: 'counters.BRVT.STP.Q1', message: 'in campaign BRVT-2025 (2025-01-01 to 2025-12-31)' },
    ]);
  });

  it('says the overlap, a bad import and a missing token in Vietnamese under Accept-Language: vi', async () => {
    const vi = { 'Accept-Language': 'vi-VN,vi;q=0.9,en;q=0.5' };
    const overlap = await f.request('/api/v1/campaigns', {
      token: admin(),
      ...jsonBody({
        code: 'OVERLAP',
        instrument: 'sipas-2017',
        from: '2025-06-01',
        to: '2026-05-31',
        counters: ['BRVT.STP.Q1'],
      }),
      headers: { 'Content-Type': 'application/json', ...vi },
    });
    expect(overlap.status).toBe(409);
    expect(overlap.headers.get('Content-Language')).toBe('vi');
    expect(await overlap.json()).toEqual({
      type: 'about:blank',
      title: 'Xung đột',
      status: 409,
      detail:
        'Mỗi quầy chỉ thuộc một đợt khảo sát tại một thời điểm; các quầy này đã thuộc đợt khác ' +
        'trong thời gian này.',
      errors: [
        {
          path: 'counters.BRVT.STP.Q1',
          message: 'thuộc đợt khảo sát BRVT-2025 (2025-01-01 đến 2025-12-31)',
        },
      ],
    });

    const badImport = await f.request('/api/v1/campaigns/BRVT-2025/transactions/import', {
      token: admin(),
      method: 'POST',
      body: 'counter,transactions\nBRVT.STP.Q1,many\n',
      headers: { 'Content-Type': 'text/csv', ...vi },
    });
    expect(badImport.status).toBe(422);
    expect(await badImport.json()).toMatchObject({
      title: 'Dữ liệu không hợp lệ',
      detail: 'Tệp có 1 lỗi; không có gì được lưu.',
      errors: [
        {
          path: 'line 2, column transactions',
          message: 'many không phải số nguyên từ 0 trở lên',
        },
      ],
    });

    const anonymous = await f.request('/api/v1/campaigns', { headers: vi });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('Content-Language')).toBe('vi');
    expect(await anonymous.json()).toMatchObject({
      title: 'Chưa xác thực',
      detail: 'Cần đăng nhập, hoặc một mã API: Authorization: Bearer sk_….',
    });
    // Without Accept-Language, English, as before.
    const english = await f.request('/api/v1/campaigns');
    expect(english.headers.get('Content-Language')).toBe('en');
    expect((await english.json()).detail).toBe(
      'Sign in, or send an API token: Authorization: Bearer sk_….',
    );
  });

  it('renames it and sets a target; a period leaving out responses is 409, the instrument stays', async () => {
    const response = await f.request('/api/v1/campaigns/BRVT-2025', {
      token: admin(),
      ...jsonBody({ name: 'SIPAS 2025', targets: { 'BRVT.CHAUDUC.Q1': 20 } }, 'PATCH'),
    });
    expect(response.status).toBe(200);
    const campaign = await response.json();
    expect(campaign.name).toBe('SIPAS 2025');
    expect(campaign.counters).toEqual([
      {
        code: 'BRVT.CHAUDUC.Q1',
        name: 'Quầy 1',
        unit: 'BRVT.CHAUDUC',
        target: 20,
        transactions: 181,
      },
      {
        code: 'BRVT.SKHDT.Q1',
        name: 'Quầy 1',
        unit: 'BRVT.SKHDT',
        target: null,
        transactions: 319,
      },
      { code: 'BRVT.STP.Q1', name: 'Quầy 1', unit: 'BRVT.STP', target: null, transactions: 252 },
    ]);
    const shorter = await f.request('/api/v1/campaigns/BRVT-2025', {
      token: admin(),
      ...jsonBody({ from: '2025-06-01' }, 'PATCH'),
    });
    expect(shorter.status).toBe(409);
    expect((await shorter.json()).errors).toEqual([
      { path: 'from', message: 'a response was stored on 2025-03-05' },
    ]);
    const unknown = await f.request('/api/v1/campaigns/BRVT-2025', {
      token: admin(),
      ...jsonBody({ instrument: 'sipas-2023' }, 'PATCH'),
    });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors).toEqual([
      { path: 'instrument', message: 'unknown field' },
    ]);
  });

  it('reports progress per counter against target and transactions, worked by hand', async () => {
    const response = await f.request('/api/v1/campaigns/BRVT-2025/progress', { token: admin() });
    expect(response.status).toBe(200);
    const progress = await response.json();
    // fixtures/examples/responses.csv: 15, 25 and 20 responses; n = ⌈N / (1 + N × 0.0025)⌉:
    // 181 / 1.4525 = 124.61 → 125; 319 / 1.7975 = 177.47 → 178; 252 / 1.63 = 154.60 → 155.
    const expected = [
      ['BRVT.CHAUDUC.Q1', 15, { kiosk: 1, post: 3, qr: 11 }, 20, 181, 1500 / 181, 125, 75],
      [
        'BRVT.SKHDT.Q1',
        25,
        { kiosk: 2, paper: 6, post: 5, qr: 12 },
        null,
        319,
        2500 / 319,
        178,
        2500 / 178,
      ],
      [
        'BRVT.STP.Q1',
        20,
        { kiosk: 7, paper: 6, post: 1, qr: 6 },
        null,
        252,
        2000 / 252,
        155,
        2000 / 155,
      ],
    ] as const;
    expect(progress.counters).toHaveLength(3);
    expected.forEach(
      ([counter, respondents, modes, target, transactions, rate, planned, done], i) => {
        const row = progress.counters[i];
        expect(row).toMatchObject({
          counter,
          respondents,
          quarantined: 0,
          modes,
          target,
          transactions,
        });
        expect(row.plannedSample).toBe(planned);
        expect(row.responseRate).toBeCloseTo(rate, 9);
        expect(row.progress).toBeCloseTo(done, 9);
      },
    );
    expect(progress.total).toMatchObject({
      respondents: 60,
      quarantined: 0,
      modes: { kiosk: 10, paper: 12, post: 9, qr: 29 },
      target: 20,
      transactions: 752,
      plannedSample: 458,
    });
    expect(progress.total.responseRate).toBeCloseTo(6000 / 752, 9);
    // Against each counter's target, else its planned sample: 20 + 178 + 155.
    expect(progress.total.progress).toBeCloseTo(6000 / 353, 9);
  });

  it('shows a scoped surveyor its part of a shared campaign; changes only its own', async () => {
    const own = await f.request('/api/v1/campaigns', {
      token: stpSurveyor,
      ...jsonBody({
        code: 'STP-2026',
        instrument: 'sipas-2017',
        from: '2026-01-01',
        to: '2026-12-31',
        counters: 'all',
      }),
    });
    expect(own.status).toBe(201);
    expect((await own.json()).counters.map((c: { code: string }) => c.code)).toEqual([
      'BRVT.STP.Q1',
    ]);
    const listed = await f.request('/api/v1/campaigns', { token: stpSurveyor });
    expect(
      (await listed.json()).map((c: { code: string; counters: number }) => [c.code, c.counters]),
    ).toEqual([
      ['STP-2026', 1],
      ['BRVT-2025', 1],
    ]);
    const shared = await f.request('/api/v1/campaigns/BRVT-2025', { token: stpSurveyor });
    expect((await shared.json()).counters.map((c: { code: string }) => c.code)).toEqual([
      'BRVT.STP.Q1',
    ]);
    const progress = await f.request('/api/v1/campaigns/BRVT-2025/progress', {
      token: stpSurveyor,
    });
    expect((await progress.json()).counters.map((c: { counter: string }) => c.counter)).toEqual([
      'BRVT.STP.Q1',
    ]);
    // The campaign itself is not its own to change.
    const renamed = await f.request('/api/v1/campaigns/BRVT-2025', {
      token: stpSurveyor,
      ...jsonBody({ name: 'x' }, 'PATCH'),
    });
    expect(renamed.status).toBe(403);
    expect((await renamed.json()).detail).not.toMatch(/SKHDT|CHAUDUC/);
    const foreign = await f.request('/api/v1/campaigns', {
      token: stpSurveyor,
      ...jsonBody({
        code: 'X-2027',
        instrument: 'sipas-2017',
        from: '2027-01-01',
        to: '2027-12-31',
        counters: ['BRVT.STP.Q1', 'BRVT.SKHDT.Q1'],
      }),
    });
    expect(foreign.status).toBe(403);
  });

  it('tells a scoped analyst only that a campaign has none of its counters, not whose', async () => {
    const analyst = await createApiToken(f.database.db, testActor, {
      role: 'analyst',
      unit: 'BRVT.STP',
    });
    const created = await f.request('/api/v1/campaigns', {
      token: admin(),
      ...jsonBody({
        code: 'SKHDT-2027',
        instrument: 'sipas-2017',
        from: '2027-01-01',
        to: '2027-12-31',
        counters: ['BRVT.SKHDT.Q1'],
      }),
    });
    expect(created.status).toBe(201);
    const response = await f.request('/api/v1/campaigns/SKHDT-2027', {
      token: analyst,
      headers: { 'Accept-Language': 'vi' },
    });
    expect(response.status).toBe(403);
    const { detail } = await response.json();
    expect(detail).toBe(
      'Đợt khảo sát SKHDT-2027 không có quầy nào thuộc phạm vi của tài khoản (đơn vị BRVT.STP ' +
        'và các đơn vị trực thuộc).',
    );
    expect(detail).not.toMatch(/SKHDT\.Q1|CHAUDUC/);
    const listed = await f.request('/api/v1/campaigns', { token: analyst });
    expect((await listed.json()).map((c: { code: string }) => c.code)).not.toContain('SKHDT-2027');
    await f.request('/api/v1/campaigns/SKHDT-2027', { token: admin(), method: 'DELETE' });
  });

  it('deletes a campaign without responses only', async () => {
    const held = await f.request('/api/v1/campaigns/BRVT-2025', {
      token: admin(),
      method: 'DELETE',
    });
    expect(held.status).toBe(409);
    const gone = await f.request('/api/v1/campaigns/STP-2026', {
      token: admin(),
      method: 'DELETE',
    });
    expect(gone.status).toBe(204);
    expect((await f.request('/api/v1/campaigns/STP-2026', { token: admin() })).status).toBe(404);
  });
});
