import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import {
  allAnswered,
  seedOfficialSurvey,
  type SeededSurvey,
} from '../../db/official-surveys.testing.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { DomainError } from '../errors.ts';
import { operator } from './access.ts';
import { ensureBuiltins } from './builtins.ts';
import { officialPageOfToken, submitOfficialAnswers } from './official-answers.ts';
import { importUnits } from './units.ts';

// The survey is open 1 to 30 November 2026 (Vietnam's days, UTC+7).
const inside = new Date('2026-11-15T03:00:00Z');
/** 23:59 on 30 November in Vietnam: the last minute of the last day. */
const lastMinute = new Date('2026-11-30T16:59:00Z');
/** 00:00 on 1 December in Vietnam, though still 30 November in UTC. */
const afterClose = new Date('2026-11-30T17:00:00Z');
/** 23:59 on 31 October in Vietnam. */
const beforeOpen = new Date('2026-10-31T16:59:00Z');

describe.each(engines)("an official's single-use link on %s", (engine) => {
  let database: TestDatabase;
  let seeded: SeededSurvey;
  const db = () => database.db;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    const units = 'unit,name,parent,type\nT,Tỉnh T,,province\nT.S,Sở Nội vụ,T,department\n';
    await importUnits(database.db, operator('test'), Readable.from([units]));
    seeded = await seedOfficialSurvey(db(), { unit: 'T.S' });
  });
  afterAll(() => database.close());

  const token = (i: number) => seeded.tokens[i] ?? '';
  const submit = (i: number, body: unknown, now = inside) =>
    submitOfficialAnswers(db(), { token: token(i), body, now });
  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof DomainError)) throw new Error(`not refused: ${String(error)}`);
    return error;
  };
  const counts = async () => {
    const answers = await db()
      .selectFrom('official_response')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const used = await db()
      .selectFrom('official_invitation')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('used', '=', true)
      .executeTakeFirstOrThrow();
    return { answers: Number(answers.n), used: Number(used.n) };
  };

  it("shows the link's page: survey, unit, group and every item with its options, no shares", async () => {
    const page = await officialPageOfToken(db(), token(9), inside);
    expect(page.survey).toEqual({ name: 'Điều tra cán bộ 2026', closesOn: '2026-11-30' });
    expect(page.group).toBe('Lãnh đạo phòng');
    expect(page.unit).toEqual({ name: 'Sở Nội vụ' });
    expect(page.instrument.items.map((item) => item.code)).toEqual(Object.keys(allAnswered()));
    expect(page.instrument.items[0]?.options).toEqual([
      { code: 'A', label: { vi: 'Tốt', en: 'Good' } },
      { code: 'B', label: { vi: 'Khá', en: 'Fairly good' } },
      { code: 'C', label: { vi: 'Trung bình', en: 'Average' } },
      { code: 'D', label: { vi: 'Kém', en: 'Poor' } },
    ]);
    expect(JSON.stringify(page)).not.toMatch(/share|invited/);
  });

  it('refuses an unknown or ill-formed token with 404, before any look-up of its shape', async () => {
    for (const unknown of ['A'.repeat(22), 'short', `${token(0)}x`]) {
      const error = await refusal(officialPageOfToken(db(), unknown, inside));
      expect(error.code).toBe('not-found');
      const posted = await refusal(
        submitOfficialAnswers(db(), {
          token: unknown,
          body: { id: randomUUID(), answers: allAnswered() },
          now: inside,
        }),
      );
      expect(posted.code).toBe('not-found');
    }
  });

  it('refuses an unknown item, a missing item or an option out of range with 422 naming it, storing nothing', async () => {
    const before = await counts();
    const cases = [
      { answers: allAnswered('A', { LD9: 'A' }), field: 'answers.LD9' },
      { answers: (({ LD3: _, ...rest }) => rest)(allAnswered()), field: 'answers.LD3' },
      { answers: allAnswered('A', { LD3: 'E' }), field: 'answers.LD3' },
      { answers: allAnswered('A', { LD5: 0 }), field: 'answers.LD5' },
    ];
    for (const { answers, field } of cases) {
      const error = await refusal(submit(0, { id: randomUUID(), answers }));
      expect(error.code, field).toBe('invalid');
      expect(
        error.errors.map((e) => e.path),
        field,
      ).toEqual([field]);
      expect(error.errors[0]?.message.vi).not.toBe('');
    }
    const missing = await refusal(
      submit(0, { id: randomUUID(), answers: (({ LD3: _, ...rest }) => rest)(allAnswered()) }),
    );
    expect(missing.errors[0]?.message).toEqual({ vi: 'bắt buộc', en: 'required' });
    const outOfRange = await refusal(submit(0, { id: randomUUID(), answers: allAnswered('E') }));
    expect(outOfRange.errors[0]?.message).toEqual({
      vi: 'một trong A, B, C, D',
      en: 'one of A, B, C, D',
    });
    // A body of another shape: its id, or a field it does not take.
    const shape = await refusal(submit(0, { id: 'phone-1', answers: allAnswered(), extra: 1 }));
    expect(shape.errors.map((e) => e.path).sort()).toEqual(['extra', 'id']);
    expect((await refusal(submit(0, [1, 2]))).code).toBe('bad-request');
    expect(await counts()).toEqual(before);
    // The link is still unused: it answers now.
    expect((await submit(0, { id: randomUUID(), answers: allAnswered() })).httpStatus).toBe(201);
  });

  it('stores a link used twice once: the same key is told stored (200), another 409', async () => {
    const key = randomUUID();
    const first = await submit(1, { id: key, answers: allAnswered('B') });
    expect(first).toEqual({ httpStatus: 201, reply: { status: 'stored' } });
    const before = await counts();
    // The same phone's retry, even with its key in capitals, is the same answer.
    const again = await submit(1, { id: key.toUpperCase(), answers: allAnswered('B') });
    expect(again).toEqual({ httpStatus: 200, reply: { status: 'stored' } });
    const other = await refusal(submit(1, { id: randomUUID(), answers: allAnswered('D') }));
    expect(other.code).toBe('conflict');
    expect(other.text).toEqual({
      vi: 'Đường dẫn này đã được dùng để trả lời. Mỗi đường dẫn chỉ trả lời được một lần.',
      en: 'This link has already been used to answer. Each link answers once.',
    });
    expect(await counts()).toEqual(before);
    // The page of a used link says so.
    expect((await refusal(officialPageOfToken(db(), token(1), inside))).code).toBe('conflict');
  });

  it('lets one of several phones sending on one link at once store, the others told 409', async () => {
    const before = await counts();
    // Each waits on the invitation's lock; whoever comes after the first finds it used.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => submit(6, { id: randomUUID(), answers: allAnswered() })),
    );
    const stored = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(stored.map((o) => o.value.httpStatus)).toEqual([201]);
    expect(refused.map((e) => (e instanceof DomainError ? e.code : String(e)))).toEqual(
      Array(4).fill('conflict'),
    );
    expect(await counts()).toEqual({ answers: before.answers + 1, used: before.used + 1 });
  });

  it('refuses a revoked link, and one outside the survey by Vietnam’s day, with 410', async () => {
    await db()
      .updateTable('official_invitation')
      .set({ revoked_at: new Date(), revoke_reason: 'lost' })
      .where('token', '=', token(8))
      .execute();
    const before = await counts();
    const body = () => ({ id: randomUUID(), answers: allAnswered() });
    const revoked = await refusal(submit(8, body()));
    expect([revoked.code, revoked.text.en]).toEqual(['gone', expect.stringMatching(/revoked/)]);
    expect((await refusal(officialPageOfToken(db(), token(8), inside))).code).toBe('gone');
    const closed = await refusal(submit(7, body(), afterClose));
    expect(closed.code).toBe('gone');
    expect(closed.text.vi).toBe(
      'Cuộc điều tra đã kết thúc ngày 30/11/2026; không nhận thêm câu trả lời.',
    );
    const early = await refusal(submit(7, body(), beforeOpen));
    expect([early.code, early.text.en]).toEqual([
      'gone',
      'The survey takes answers from 2026-11-01.',
    ]);
    expect((await refusal(officialPageOfToken(db(), token(7), afterClose))).code).toBe('gone');
    expect(await counts()).toEqual(before);
    // The last minute of the last day still counts.
    expect((await submit(7, body(), lastMinute)).httpStatus).toBe(201);
  });

  it('keeps answers anonymous: after 6 of 10 links, no value joins an answer to its invitation', async () => {
    // Links 0, 1, 6 and 7 were answered above; two more make six.
    for (const [i, option] of [
      [2, 'C'],
      [4, 'D'],
    ] as const) {
      await submit(i, { id: randomUUID(), answers: allAnswered(option, { LD2: 'B' }) });
    }
    const { rows: answers } = await sql<Record<string, unknown>>`
      select * from official_response`.execute(db());
    const { rows: invitations } = await sql<Record<string, unknown>>`
      select * from official_invitation`.execute(db());
    expect(answers).toHaveLength(6);
    expect(invitations).toHaveLength(10);
    expect(invitations.filter((i) => i.used === true)).toHaveLength(6);

    // The answer table holds its key, its group and the choices: nothing else, ever.
    const { rows: columns } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_name = 'official_response' order by column_name`.execute(db());
    expect(columns.map((c) => c.column_name)).toEqual(['answers', 'group_id', 'id']);
    for (const row of answers)
      expect(Object.keys(row).sort()).toEqual(['answers', 'group_id', 'id']);

    // Random (version 4) keys: no time in them, and no order that follows the submissions'.
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const row of answers) expect(String(row.id)).toMatch(v4);
    const { rows: defaults } = await sql<{ column_default: string }>`
      select column_default from information_schema.columns
      where table_name = 'official_response' and column_name = 'id'`.execute(db());
    expect(defaults[0]?.column_default).toBe('gen_random_uuid()');

    // Every value of each row, as text; a value "appears" in another when equal to it, or, for
    // text of 8 characters or more (keys, tokens, times), when found inside it.
    const values = (row: Record<string, unknown>) =>
      Object.entries(row)
        .filter(([column, value]) => column !== 'group_id' && value !== null)
        .map(([column, value]) => ({
          column,
          text: value instanceof Date ? value.toISOString() : JSON.stringify(value),
        }));
    const appears = (needle: string, hay: string) =>
      needle === hay || (needle.length >= 10 && hay.includes(needle.replace(/^"|"$/g, '')));
    for (const answer of answers) {
      for (const invitation of invitations) {
        for (const a of values(answer)) {
          for (const i of values(invitation)) {
            const what = `answer ${a.column} ${a.text} / invitation ${i.column} ${i.text}`;
            expect(appears(a.text, i.text), what).toBe(false);
            expect(appears(i.text, a.text), what).toBe(false);
          }
        }
      }
    }
    // The choices as stored: indexes of A–D in instrument order (A 0, B 1, C 2, D 3).
    const stored = answers.map((row) => JSON.stringify(row.answers)).sort();
    expect(stored).toEqual(
      [
        [0, 0, 0, 0, 0, 0, 0, 0], // link 0: all A
        [1, 1, 1, 1, 1, 1, 1, 1], // link 1: all B
        [0, 0, 0, 0, 0, 0, 0, 0], // link 6: all A
        [0, 0, 0, 0, 0, 0, 0, 0], // link 7: all A
        [2, 1, 2, 2, 2, 2, 2, 2], // link 2: C, LD2 B
        [3, 1, 3, 3, 3, 3, 3, 3], // link 4: D, LD2 B
      ]
        .map((row) => JSON.stringify(row))
        .sort(),
    );
  });

  it("leaves no transaction id or key that pairs an answer with its link: each answer rewrites its group's", async () => {
    // PostgreSQL's hidden xmin is the id of the transaction that wrote a row. The answer and the
    // invitation marked used are written by one transaction; were the answer written alone, the
    // two would share an xmin that no other row has. Every answer rewrites the group's answers,
    // so all six bear the last submission's id, which pairs them with that one link only as a
    // group; the other five used links' ids are found on no answer.
    const xmins = async (table: 'official_response' | 'official_invitation', used: boolean) =>
      (
        await sql<{ xmin: string }>`
          select xmin::text as xmin from ${sql.table(table)}
          where ${sql.raw(table === 'official_invitation' ? 'used' : 'true')} = ${used}`.execute(
          db(),
        )
      ).rows.map((row) => row.xmin);
    const keysBefore = (
      await sql<{ id: string }>`select id from official_response`.execute(db())
    ).rows.map((row) => row.id);
    await submit(3, { id: randomUUID(), answers: allAnswered('B') });
    const answered = await xmins('official_response', true);
    expect(answered).toHaveLength(7);
    expect(new Set(answered).size).toBe(1);
    const links = await xmins('official_invitation', true);
    expect(links).toHaveLength(7);
    expect(links.filter((xmin) => xmin === answered[0])).toHaveLength(1);
    // New random keys too: no answer keeps the key it had before the last submission.
    const keysAfter = (
      await sql<{ id: string }>`select id from official_response`.execute(db())
    ).rows.map((row) => row.id);
    expect(keysAfter.filter((key) => keysBefore.includes(key))).toEqual([]);
  });
});
