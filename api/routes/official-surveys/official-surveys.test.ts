// The officials' survey's staff routes over HTTP on real engines: the instruments, a survey
// created (a bad leaf refused as problem+json), the group file as CSV and as XLSX, the links as
// CSV (with its BOM), XLSX and printable slips with a QR code each, a reissue, and progress.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialProgressSchema } from '../../../analysis/official-document.ts';
import { engines } from '../../../db/testing.ts';
import { INVITATION_TOKEN_PATTERN } from '../../../shared/official.ts';
import { createApiToken } from '../../services/credentials.ts';
import { readTable } from '../../services/csv.ts';
import { INVITATION_COLUMNS } from '../../services/official-surveys/index.ts';
import { tableAsCsv, tableBytes, XLSX_TYPE } from '../../services/spreadsheet.ts';
import {
  csvBody,
  day,
  jsonBody,
  openRouteFixture,
  testActor,
  type RouteFixture,
} from '../testing.ts';

const O = '/api/v1/official-surveys/CB-2025';
const LINK = new RegExp(`^https://sipas\\.example\\.vn/o/${INVITATION_TOKEN_PATTERN}$`);

const survey = {
  code: 'CB-2025',
  name: 'Điều tra cán bộ 2025',
  instrument: 'par-officials-2020',
  framework: 'par-2020-province',
  period: '2025',
  opensOn: day(-1),
  closesOn: day(30),
};

describe.each(engines)("the officials' survey's staff routes on %s", (engine) => {
  let f: RouteFixture;
  let otherSurveyor: string;
  let appraiser: string;
  const admin = (path: string, init: RequestInit = {}) =>
    f.request(path, { ...init, token: f.tokens.admin });

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const { db } = f.database;
    otherSurveyor = await createApiToken(db, testActor, { role: 'surveyor', unit: 'BRVT.STP' });
    appraiser = await createApiToken(db, testActor, { role: 'appraiser', unit: 'BRVT' });
    // An instrument whose item scores `appraisal`, a leaf not of source survey.
    const badLeaf = {
      code: 'bad-leaf',
      name: { vi: 'Sai', en: 'Wrong' },
      items: [{ code: 'X1', leaf: 'appraisal', text: { vi: 'Một', en: 'One' } }],
    };
    await db
      .insertInto('official_instrument')
      .values({ code: 'bad-leaf', definition: JSON.stringify(badLeaf) })
      .execute();
  });
  afterAll(() => f.database.close());

  it('serves the instruments to every account', async () => {
    const list = await f.request('/api/v1/official-instruments', { token: appraiser });
    expect(list.status).toBe(200);
    const codes = ((await list.json()) as { code: string }[]).map((i) => i.code);
    expect(codes).toContain('par-officials-2020');
    const one = await f.request('/api/v1/official-instruments/par-officials-2020', {
      token: appraiser,
    });
    const body = (await one.json()) as { items: { code: string; leaf: string }[] };
    expect(body.items.map((i) => i.code)).toEqual([
      'LD1',
      'LD2',
      'LD3',
      'LD4',
      'LD5',
      'LD6',
      'LD7',
      'LD8',
    ]);
    expect(new Set(body.items.map((i) => i.leaf))).toEqual(new Set(['leaders']));
    expect((await admin('/api/v1/official-instruments/nothing')).status).toBe(404);
  });

  it('creates a survey, refusing an item on a leaf not of source survey', async () => {
    const bad = await admin(
      '/api/v1/official-surveys',
      jsonBody({ ...survey, instrument: 'bad-leaf' }),
    );
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await bad.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['instrument']);
    expect(problem.errors[0]?.message).toContain('X1');
    const created = await admin('/api/v1/official-surveys', jsonBody(survey));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ ...survey, minGroup: 5 });
    const list = await f.request('/api/v1/official-surveys', { token: appraiser });
    expect(((await list.json()) as { code: string }[]).map((s) => s.code)).toEqual(['CB-2025']);
  });

  it('loads groups from CSV and from XLSX, and names a bad row', async () => {
    const csv = await admin(
      `${O}/groups`,
      csvBody('unit,group,count\nBRVT.SKHDT,Lãnh đạo,4\nBRVT.STP,Công chức,2\n'),
    );
    expect(csv.status).toBe(200);
    expect(await csv.json()).toEqual({ groups: 2, issued: 6 });
    const workbook = await tableBytes(
      'xlsx',
      [
        ['unit', 'group', 'count'],
        ['BRVT.SKHDT', 'Chuyên viên', 3],
      ],
      'groups',
    );
    const xlsx = await admin(`${O}/groups`, {
      method: 'POST',
      headers: { 'Content-Type': XLSX_TYPE },
      body: workbook,
    });
    expect(xlsx.status).toBe(200);
    expect(await xlsx.json()).toEqual({ groups: 1, issued: 3 });
    const bad = await admin(`${O}/groups`, csvBody('unit,group,count\nBRVT.SKHDT,Khác,1.5\n'));
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(['line 2, column count']);
    const lowered = await admin(`${O}/groups`, csvBody('unit,group,count\nBRVT.STP,Công chức,1\n'));
    expect(lowered.status).toBe(409);
  });

  it('downloads the links as CSV with its BOM, as XLSX, and as slips with a QR code each', async () => {
    const csv = await admin(`${O}/invitations?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('CB-2025-links.csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = await readTable(Readable.from([bytes]), INVITATION_COLUMNS);
    // 4 + 2 + 3 = 9 links, each once, all active.
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((r) => r.cell('link'))).size).toBe(9);
    for (const row of rows) {
      expect(row.cell('link')).toMatch(LINK);
      expect(row.cell('status')).toBe('active');
    }
    const xlsx = await admin(`${O}/invitations?format=xlsx&unit=BRVT.SKHDT`);
    expect(xlsx.headers.get('content-type')).toBe(XLSX_TYPE);
    const sheet = await readTable(
      await tableAsCsv('xlsx', new Uint8Array(await xlsx.arrayBuffer())),
      INVITATION_COLUMNS,
    );
    // BRVT.SKHDT: 4 + 3 = 7.
    expect(sheet.map((r) => r.cell('unit'))).toEqual(Array(7).fill('BRVT.SKHDT'));

    const slips = await admin(`${O}/invitations?format=slips`);
    expect(slips.headers.get('content-type')).toContain('text/html');
    expect(slips.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await slips.text();
    expect(html.match(/<svg/g)).toHaveLength(9);
    expect(html).toContain('/api/qr-sheet.css');
    for (const row of rows) expect(html).toContain(row.cell('link'));
  });

  it('reissues a link, refuses it twice, and keeps other units out', async () => {
    const csv = await admin(`${O}/invitations?unit=BRVT.STP`);
    const [first] = await readTable(Readable.from([await csv.text()]), INVITATION_COLUMNS);
    const number = first?.cell('number') ?? '';
    expect(
      (await f.request(`${O}/invitations?unit=BRVT.SKHDT`, { token: otherSurveyor })).status,
    ).toBe(403);
    const reissued = await f.request(`${O}/invitations/${number}/reissue`, {
      ...jsonBody({ reason: 'Gửi nhầm' }),
      token: otherSurveyor,
    });
    expect(reissued.status).toBe(200);
    const body = (await reissued.json()) as { number: number; link: string };
    expect(body.link).toMatch(LINK);
    expect(body.number).toBeGreaterThan(Number(number));
    const again = await admin(
      `${O}/invitations/${number}/reissue`,
      jsonBody({ reason: 'Lần nữa' }),
    );
    expect(again.status).toBe(409);
    expect((await admin(`${O}/invitations/999999/reissue`, jsonBody({ reason: 'x' }))).status).toBe(
      404,
    );

    const progress = officialProgressSchema.parse(
      await (await f.request(`${O}/progress`, { token: otherSurveyor })).json(),
    );
    // The surveyor of BRVT.STP reads BRVT.STP's group only: 2 invited, none answered, 1 revoked.
    expect(progress.units.map((u) => [u.unit, u.invited, u.answered])).toEqual([
      ['BRVT.STP', 2, 0],
    ]);
    expect(progress.units[0]?.groups[0]).toEqual({
      group: 'Công chức',
      invited: 2,
      answered: 0,
      rate: 0,
      revoked: 1,
    });
    const whole = officialProgressSchema.parse(await (await admin(`${O}/progress`)).json());
    expect([whole.invited, whole.answered, whole.rate]).toEqual([9, 0, 0]);
  });

  it('moves the last day, not before the first', async () => {
    const early = await admin(O, jsonBody({ closesOn: day(-5) }, 'PATCH'));
    expect(early.status).toBe(422);
    const later = await admin(O, jsonBody({ closesOn: day(60) }, 'PATCH'));
    expect(((await later.json()) as { closesOn: string }).closesOn).toBe(day(60));
  });
});
