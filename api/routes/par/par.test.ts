import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { openExampleCampaign } from '../../services/examples.testing.ts';
import { expectedScores } from '../../services/scores.testing.ts';
import { csvBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const points = (rows: string[]): RequestInit =>
  csvBody(['unit,component,points', ...rows].join('\n'));

const base = '/api/v1/par/par-2020-province';

describe.each(engines)('PAR points and scorecard on %s', (engine) => {
  let f: RouteFixture;
  let analyst: string;
  const admin = () => f.tokens.admin;

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    await openExampleCampaign(f.database.db);
    analyst = await createApiToken(f.database.db, testActor, { role: 'analyst', unit: 'BRVT' });
  });
  afterAll(() => f.database.close());

  it('imports points per period and ranks the peers, worked by hand', async () => {
    const y2019 = await f.request(`${base}/points?period=2019`, {
      token: admin(),
      ...points([
        'BRVT.SKHDT,appraisal,50',
        'BRVT.SKHDT,sipas,9',
        'BRVT.SKHDT,leaders,22.84',
        'BRVT.STP,appraisal,60',
        'BRVT.STP,sipas,9.5',
        'BRVT.STP,leaders,20',
      ]),
    });
    expect(await y2019.json()).toEqual({ stored: 6 });
    const y2020 = await f.request(`${base}/points?period=2020`, {
      token: admin(),
      ...points([
        'BRVT.SKHDT,appraisal,56.93',
        'BRVT.SKHDT,sipas,9.29',
        'BRVT.SKHDT,leaders,19.36',
        'BRVT.STP,appraisal,60',
        'BRVT.STP,sipas,9',
        'BRVT.STP,leaders,20',
        'BRVT.CHAUDUC,appraisal,50',
        'BRVT.CHAUDUC,sipas,8.5',
        'BRVT.CHAUDUC,leaders,20',
      ]),
    });
    expect(y2020.status).toBe(200);

    const response = await f.request(`${base}/scorecard?period=2020&peers=BRVT&top=1`, {
      token: analyst,
    });
    expect(response.status).toBe(200);
    const card = await response.json();
    expect(card).toMatchObject({
      framework: 'par-2020-province',
      period: '2020',
      previous: '2019',
      peers: 'BRVT',
      top: 1,
      target: 89,
    });
    // Totals 89, 85.58 and 78.5; in 2019 STP 89.5 and SKHDT 81.84, both then ranked as now.
    const expected = [
      ['BRVT.STP', 89, -0.5, 1, 0, 0],
      ['BRVT.SKHDT', 85.58, 3.74, 2, 0, 3.42],
      ['BRVT.CHAUDUC', 78.5, null, 3, null, 10.5],
    ] as const;
    expect(card.rows).toHaveLength(3);
    expected.forEach(([unit, total, change, rank, rankChange, gap], i) => {
      const row = card.rows[i];
      expect(row).toMatchObject({ unit, rank, rankChange });
      expect(row.total).toBeCloseTo(total, 9);
      if (change === null) expect(row.change).toBeNull();
      else expect(row.change).toBeCloseTo(change, 9);
      expect(row.gapToTarget).toBeCloseTo(gap, 9);
    });
    // Its 9.29 SIPAS points lead the 9 and the 8.5 of the others.
    expect(card.rows[1].components.sipas).toMatchObject({ max: 10, rank: 1 });
    expect(card.rows[1].components.sipas.available).toBeCloseTo(0.71, 9);

    const csv = await f.request(`${base}/scorecard?period=2020&peers=BRVT&top=1&format=csv`, {
      token: analyst,
    });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^unit,total,change,rank,rank_change,gap_to_target,appraisal_points,/);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 4))).toEqual([
      ['BRVT.STP', '89', '-0.5', '1'],
      ['BRVT.SKHDT', String(card.rows[1].total), String(card.rows[1].change), '2'],
      ['BRVT.CHAUDUC', '78.5', '', '3'],
    ]);
    const xlsx = await f.request(`${base}/scorecard?period=2020&peers=BRVT&format=xlsx`, {
      token: analyst,
    });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet?.getRow(2).getCell(1).value).toBe('BRVT.STP');
    expect(sheet?.getRow(2).getCell(2).value).toBe(89);

    const bad = await f.request(`${base}/points?period=2021`, {
      token: admin(),
      ...points(['BRVT.SKHDT,sipas,11']),
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([
      { path: 'line 2, column points', message: '11 is outside [0, 10]' },
    ]);
  });

  it('adds the nodes of a level, with targets given in the query', async () => {
    const query = 'period=2020&peers=BRVT&level=field&targets=total:1,appraisal:2';
    const response = await f.request(`${base}/scorecard?${query}`, { token: analyst });
    expect(response.status).toBe(200);
    const card = await response.json();
    // Totals of 100: STP 89 (band B), SKHDT 85.58 (B), CHAUDUC 78.5 (C); total top 1 is 89.
    expect(card).toMatchObject({ level: 'field', top: 1, target: 89 });
    expect(
      card.rows.map((r: Record<string, unknown>) => [r.unit, r.percent, r.band, r.gapToTarget]),
    ).toEqual([
      ['BRVT.STP', expect.closeTo(89, 9), 'B', 0],
      ['BRVT.SKHDT', expect.closeTo(85.58, 9), 'B', expect.closeTo(3.42, 9)],
      ['BRVT.CHAUDUC', expect.closeTo(78.5, 9), 'C', expect.closeTo(10.5, 9)],
    ]);
    // Appraisal of 66.5: STP 60 (90.2255639098%), SKHDT 56.93 (85.6090225564%, the top 2
    // target), CHAUDUC 50 (75.1879699248%), 56.93 − 50 = 6.93 points short. SKHDT had 50 in
    // 2019, 2nd behind STP's 60 then too.
    expect(card.rows[1].nodes.appraisal).toEqual({
      points: 56.93,
      max: 66.5,
      applicableMax: 66.5,
      percent: expect.closeTo(85.6090225564, 9),
      change: expect.closeTo(6.93, 9),
      rank: 2,
      rankChange: 0,
      target: expect.closeTo(85.6090225564, 9),
      gapToTarget: 0,
    });
    expect(card.rows[2].nodes.appraisal).toMatchObject({
      rank: 3,
      change: null,
      rankChange: null,
      gapToTarget: expect.closeTo(6.93, 9),
    });
    const csv = await f.request(`${base}/scorecard?${query}&format=csv`, { token: analyst });
    const [header, first] = (await csv.text()).split('\n');
    expect(header).toContain(
      'leaders_rank_change,applicable_max,percent,band,provisional,node_appraisal_points,' +
        'node_appraisal_max,' +
        'node_appraisal_applicable_max,node_appraisal_percent,node_appraisal_change,' +
        'node_appraisal_rank,node_appraisal_rank_change,node_appraisal_target,' +
        'node_appraisal_gap_to_target,node_sipas_points',
    );
    expect(header?.endsWith(',node_leaders_gap_to_target,previous_from')).toBe(true);
    expect(first).toContain(',100,89,B,no,60,66.5,66.5,90.226,');
    const bad = await f.request(`${base}/scorecard?period=2020&peers=BRVT&targets=total:1,x:0`, {
      token: analyst,
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'line 3, column node',
      'line 3, column top',
    ]);
  });

  it("derives SIPAS points from the example campaign's unit indices", async () => {
    const derived = await f.request(`${base}/derive`, {
      token: admin(),
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ period: '2025', campaign: 'BRVT-2025' }),
    });
    expect(derived.status).toBe(200);
    expect(await derived.json()).toEqual({ stored: 4, withoutIndex: [] });
    const card = await (
      await f.request(`${base}/scorecard?period=2025&peers=BRVT`, { token: analyst })
    ).json();
    expect(card.top).toBeNull();
    for (const row of card.rows) {
      const index = expectedScores.srs.find((g) => 'unit' in g.key && g.key.unit === row.unit)
        ?.sipas.index;
      expect(index).toBeTypeOf('number');
      expect(row.components.sipas.points).toBeCloseTo((index ?? 0) / 10, 9);
    }
  });

  it('describes a framework', async () => {
    const response = await f.request(base, { token: analyst });
    expect(await response.json()).toEqual({
      code: 'par-2020-province',
      name: 'Chỉ số cải cách hành chính cấp tỉnh (2020)',
      components: [
        { code: 'appraisal', name: 'Điểm đánh giá, thẩm định', max: 66.5 },
        {
          code: 'sipas',
          name: 'Điểm khảo sát sự hài lòng của người dân, tổ chức (SIPAS)',
          max: 10,
        },
        { code: 'leaders', name: 'Điểm điều tra xã hội học (lãnh đạo, quản lý)', max: 23.5 },
      ],
    });
    expect((await f.request('/api/v1/par/nope', { token: analyst })).status).toBe(404);
    // A tree lists its leaves, the codes its points are keyed by; its inner nodes are
    // /api/v1/frameworks/{code}'s.
    const imported = await f.request('/api/v1/frameworks/p-leaves/import?name=L%C3%A1', {
      token: admin(),
      ...csvBody(
        [
          'node,name,max,source',
          '1,Chỉ đạo,,',
          '1.1,Kế hoạch,40,assessment',
          '1.2,Kiểm tra,30,assessment',
          '2,Hài lòng,,',
          '2.1,SIPAS,30,sipas',
        ].join('\n'),
      ),
    });
    expect(imported.status).toBe(200);
    const leaves = await f.request('/api/v1/par/p-leaves', { token: analyst });
    expect(await leaves.json()).toEqual({
      code: 'p-leaves',
      name: 'Lá',
      components: [
        { code: '1.1', name: 'Kế hoạch', max: 40 },
        { code: '1.2', name: 'Kiểm tra', max: 30 },
        { code: '2.1', name: 'SIPAS', max: 30 },
      ],
    });
  });

  it('keeps the analyst to reading and to peers within reach', async () => {
    const stp = await createApiToken(f.database.db, testActor, {
      role: 'analyst',
      unit: 'BRVT.STP',
    });
    expect(
      (await f.request(`${base}/scorecard?period=2020&peers=BRVT`, { token: stp })).status,
    ).toBe(403);
    const write = await f.request(`${base}/derive`, {
      token: analyst,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ period: '2025', campaign: 'BRVT-2025' }),
    });
    expect(write.status).toBe(403);
    const bad = await f.request(`${base}/scorecard?period=2020&peers=BRVT&top=0`, {
      token: analyst,
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual(['top']);
  });
});
