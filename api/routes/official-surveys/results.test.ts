// An officials' survey's results and derivation over HTTP on both engines: the document, its
// CSV download, the derivation's reply and its refusals. The survey is stored as rows, as the
// staff and public sides write them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { officialInstrumentByCode } from '../../services/official-instruments.ts';
import { frameworkByCode } from '../../services/par.ts';
import { day, openRouteFixture, type RouteFixture } from '../testing.ts';

const n = (value: number) => expect.closeTo(value, 9);
const R = '/api/v1/official-surveys/LD-R';

describe.each(engines)("an officials' survey's results over HTTP on %s", (engine) => {
  let f: RouteFixture;

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const { db } = f.database;
    const survey = await db
      .insertInto('official_survey')
      .values({
        code: 'LD-R',
        name: 'Điều tra cán bộ',
        instrument_id: (await officialInstrumentByCode(db, 'par-officials-2020')).id,
        framework_id: (await frameworkByCode(db, 'par-2020-province')).id,
        period: '2025',
        opens_on: day(-10),
        closes_on: day(10),
        created_by: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const unit = await db
      .selectFrom('unit')
      .select('id')
      .where('code', '=', 'BRVT.SKHDT')
      .executeTakeFirstOrThrow();
    const group = async (name: string, invited: number, options: number[]) => {
      const { id } = await db
        .insertInto('official_group')
        .values({ survey_id: survey.id, unit_id: unit.id, name, invited })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const option of options) {
        const answers = Array.from({ length: 8 }, () => option);
        await db.insertInto('official_response').values({ group_id: id, answers }).execute();
      }
    };
    // Every item answered alike: "Lãnh đạo" y = 100, 100, 60, 60, 20, 0 (6 of 10);
    // "Nhỏ" y = 60, 60 (2 of 4).
    await group('Lãnh đạo', 10, [0, 0, 1, 1, 2, 3]);
    await group('Nhỏ', 4, [1, 1]);
  });
  afterAll(() => f.database.close());

  it('answers the results as a document and as CSV', async () => {
    const reply = await f.request(`${R}/results`, { token: f.tokens.admin });
    expect(reply.status).toBe(200);
    const body: unknown = await reply.json();
    // The unit: n = 8 of N = 14, Σy = 340 + 120 = 460, ȳ = 57.5, points 0.575 × 23.5 = 13.5125.
    // Σy² = 27600 + 7200 = 34800, Σ(y − ȳ)² = 34800 − 460²/8 = 8350, s² = 8350/7.
    // SE = 0.235 × sqrt((1 − 8/14) × (8350/7) / 8) = 0.235 × sqrt(63.903061) = 1.878576.
    // "Nhỏ" (2 < 5) is small; "Lãnh đạo", the one group shown, would give it away: withheld.
    expect(body).toMatchObject({
      survey: 'LD-R',
      units: [
        {
          unit: 'BRVT.SKHDT',
          invited: 14,
          answered: 8,
          leaves: [
            {
              leaf: 'leaders',
              respondents: 8,
              meanShare: n(57.5),
              points: n(13.5125),
              se: n(0.235 * Math.sqrt(((6 / 14) * (8350 / 7)) / 8)),
            },
          ],
          groups: [
            { group: 'Lãnh đạo', suppressed: 'complementary', leaves: null },
            { group: 'Nhỏ', suppressed: 'small', leaves: null },
          ],
        },
      ],
    });
    const csv = await f.request(`${R}/results?format=csv`, { token: f.tokens.admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toContain('LD-R-results.csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    // The BOM that tells Excel the file is UTF-8, then the rows.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\n');
    expect(lines[0]).toBe(
      'unit,unit_name,group,invited,answered,rate,suppressed,leaf,max,respondents,' +
        'mean_share,points,se,low,high',
    );
    expect(lines.slice(2, 4).map((line) => line.split(',').slice(2, 7))).toEqual([
      ['Lãnh đạo', '10', '6', '0.6', 'complementary'],
      ['Nhỏ', '4', '2', '0.5', 'small'],
    ]);
    expect((await f.request(`${R}/results?format=xlsx`, { token: f.tokens.admin })).status).toBe(
      422,
    );
  });

  it('derives the points once there are answers, and says what is unknown', async () => {
    const derived = await f.request(`${R}/derive`, { method: 'POST', token: f.tokens.admin });
    expect(derived.status).toBe(200);
    expect(await derived.json()).toEqual({ stored: 1, units: 1 });
    const unknown = await f.request('/api/v1/official-surveys/NONE/derive', {
      method: 'POST',
      token: f.tokens.admin,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  });
});
