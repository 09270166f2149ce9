// Running an officials' survey on real engines: a survey refused when its instrument scores a
// leaf that is not of source `survey`; a group file issuing exactly its counts' links, each bad
// case named with nothing stored; a raised count issuing the extra links, a lowered one refused;
// the links file without participation; a reissue; and the response rate worked by hand.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOfficialInstrumentIfMissing } from '../../../db/repositories/official-instruments.ts';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { INVITATION_TOKEN_PATTERN, OFFICIAL_LIMITS } from '../../../shared/official.ts';
import { operator, type Principal } from '../access.ts';
import { ensureBuiltins } from '../builtins.ts';
import { DomainError } from '../../errors.ts';
import {
  createOfficialSurvey,
  importOfficialGroups,
  officialInvitations,
  officialProgress,
  patchOfficialSurvey,
  reissueInvitation,
} from './index.ts';
import { importUnits } from '../units.ts';

const admin = operator();
const URL = 'https://sipas.example.vn';
const file = (...lines: string[]) => Readable.from([`${lines.join('\n')}\n`]);
const TOKEN = new RegExp(`^${INVITATION_TOKEN_PATTERN}$`);

const survey = {
  code: 'CB-2025',
  name: 'Điều tra cán bộ 2025',
  instrument: 'par-officials-2020',
  framework: 'par-2020-province',
  period: '2025',
  opensOn: '2025-10-01',
  closesOn: '2025-10-31',
};

/** The error a promise is refused with, as a DomainError. */
async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`not refused with a DomainError: ${error}`);
  return error;
}

describe.each(engines)("running an officials' survey on %s", (engine) => {
  let database: TestDatabase;
  let surveyor: Principal;
  const count = async (table: 'official_group' | 'official_invitation' | 'official_survey') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select(({ fn }) => fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stored = async () => [
    await count('official_survey'),
    await count('official_group'),
    await count('official_invitation'),
  ];

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    await importUnits(
      database.db,
      admin,
      file('unit,name,parent', 'P,Tỉnh P,', 'P.A,Sở A,P', 'P.B,Sở B,P', 'Q,Tỉnh Q,', 'Q.X,Sở X,Q'),
    );
    const p = await database.db
      .selectFrom('unit')
      .select('id')
      .where('code', '=', 'P')
      .executeTakeFirstOrThrow();
    surveyor = {
      actor: { id: 'account:77' },
      accountId: 77,
      name: 'surveyor of P',
      login: null,
      role: 'surveyor',
      unitId: p.id,
      unitCode: 'P',
    };
    // An instrument one of whose items scores `sipas`, a leaf of source sipas, not survey.
    await insertOfficialInstrumentIfMissing(database.db, 'bad-leaf', {
      code: 'bad-leaf',
      name: { vi: 'Sai', en: 'Wrong' },
      items: [
        { code: 'X1', leaf: 'leaders', text: { vi: 'Một', en: 'One' } },
        { code: 'X2', leaf: 'sipas', text: { vi: 'Hai', en: 'Two' } },
      ],
    });
  });
  afterAll(() => database.close());

  it('refuses an instrument scoring a leaf not of source survey, naming the item', async () => {
    const error = await refusal(
      createOfficialSurvey(database.db, admin, { ...survey, instrument: 'bad-leaf' }),
    );
    expect(error.code).toBe('invalid');
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]?.path).toBe('instrument');
    expect(error.errors[0]?.message.en).toContain('item X2 scores sipas');
    const closed = await refusal(
      createOfficialSurvey(database.db, admin, { ...survey, closesOn: '2025-09-30' }),
    );
    expect(closed.errors.map((e) => e.path)).toEqual(['closesOn']);
    expect(await stored()).toEqual([0, 0, 0]);
  });

  it('creates a survey (a surveyor may), once, and moves its last day', async () => {
    const created = await createOfficialSurvey(database.db, surveyor, survey);
    expect(created).toMatchObject({ ...survey, minGroup: 5, createdBy: 'account:77' });
    expect((await refusal(createOfficialSurvey(database.db, admin, survey))).code).toBe('conflict');
    const early = await refusal(
      patchOfficialSurvey(database.db, admin, survey.code, { closesOn: '2025-09-01' }),
    );
    expect(early.errors.map((e) => e.path)).toEqual(['closesOn']);
    const moved = await patchOfficialSurvey(database.db, surveyor, survey.code, {
      closesOn: '2025-11-15',
    });
    expect(moved.closesOn).toBe('2025-11-15');
    const unit = { ...surveyor, role: 'unit' as const };
    expect((await refusal(createOfficialSurvey(database.db, unit, survey))).code).toBe('forbidden');
  });

  it('issues exactly the counts’ links, each token new and of 22 characters', async () => {
    const imported = await importOfficialGroups(
      database.db,
      surveyor,
      survey.code,
      file('unit,group,count', 'P.A,Lãnh đạo,3', 'P.A,Công chức,4', 'P.B,Lãnh đạo,5'),
    );
    // 3 + 4 + 5 = 12 links, in 3 groups.
    expect(imported).toEqual({ groups: 3, issued: 12 });
    const tokens = await database.db.selectFrom('official_invitation').select('token').execute();
    expect(tokens).toHaveLength(12);
    expect(new Set(tokens.map((t) => t.token)).size).toBe(12);
    for (const { token } of tokens) expect(token).toMatch(TOKEN);
  });

  it.each([
    ['an unknown unit', 'P.Z,Lãnh đạo,2', 'line 3, column unit', 'unknown unit P.Z'],
    ['a unit outside the scope', 'Q.X,Lãnh đạo,2', 'line 3, column unit', 'outside your scope'],
    ['a count of 0', 'P.B,Mới,0', 'line 3, column count', '0 is not a whole number from 1'],
    ['a count of −1', 'P.B,Mới,-1', 'line 3, column count', '-1 is not a whole number'],
    ['a count of 1.5', 'P.B,Mới,1.5', 'line 3, column count', '1.5 is not a whole number'],
    ['an empty group', 'P.B,,2', 'line 3, column group', 'required'],
  ])('names %s and stores nothing', async (_case, row, path, message) => {
    const before = await stored();
    const error = await refusal(
      importOfficialGroups(
        database.db,
        surveyor,
        survey.code,
        file('unit,group,count', 'P.A,Khác,2', row),
      ),
    );
    expect(error.code).toBe('invalid');
    expect(error.errors.map((e) => e.path)).toEqual([path]);
    expect(error.errors[0]?.message.en).toContain(message);
    expect(await stored()).toEqual(before);
  });

  it('names a unit and group given twice, and a file of too many rows', async () => {
    const before = await stored();
    const twice = await refusal(
      importOfficialGroups(
        database.db,
        admin,
        survey.code,
        file('unit,group,count', 'P.B,Mới,2', 'P.A,Mới,1', 'P.B,Mới,3'),
      ),
    );
    expect(twice.errors.map((e) => [e.path, e.message.en])).toEqual([
      ['line 4, column group', 'P.B / Mới is also on line 2'],
    ]);
    const rows = Array.from({ length: OFFICIAL_LIMITS.groupRows + 1 }, (_, i) => `P.A,G${i},1`);
    const many = await refusal(
      importOfficialGroups(database.db, admin, survey.code, file('unit,group,count', ...rows)),
    );
    // The header is line 1: row 5001 is on line 5002.
    expect(many.errors.map((e) => e.path)).toEqual([`line ${OFFICIAL_LIMITS.groupRows + 2}`]);
    expect(await stored()).toEqual(before);
  });

  it('issues the extra links of a raised count, and refuses a lowered one', async () => {
    const raised = await importOfficialGroups(
      database.db,
      admin,
      survey.code,
      file('unit,group,count', 'P.A,Lãnh đạo,5', 'P.B,Lãnh đạo,5'),
    );
    // Lãnh đạo of P.A: 3 → 5 issues 2; P.B's is unchanged. 12 + 2 = 14 links.
    expect(raised).toEqual({ groups: 2, issued: 2 });
    expect(await stored()).toEqual([1, 3, 14]);
    const lowered = await refusal(
      importOfficialGroups(
        database.db,
        admin,
        survey.code,
        file('unit,group,count', 'P.B,Mới,2', 'P.A,Công chức,3'),
      ),
    );
    expect(lowered.code).toBe('conflict');
    expect(lowered.errors.map((e) => e.path)).toEqual(['line 3, column count']);
    expect(await stored()).toEqual([1, 3, 14]);
  });

  it('lists every link once, active or revoked and never used; reissues a link', async () => {
    // One link used: it is listed as active all the same.
    const [first, second] = await database.db
      .selectFrom('official_invitation')
      .select('id')
      .orderBy('id')
      .limit(2)
      .execute();
    const [used, lost] = [first?.id ?? 0, second?.id ?? 0];
    await database.db
      .updateTable('official_invitation')
      .set({ used: true, submission_key: 'k' })
      .where('id', '=', used)
      .execute();
    const links = await officialInvitations(database.db, surveyor, survey.code, URL);
    expect(links).toHaveLength(14);
    expect(new Set(links.map((l) => l.link)).size).toBe(14);
    expect(new Set(links.map((l) => l.status))).toEqual(new Set(['active']));
    for (const l of links)
      expect(l.link).toMatch(new RegExp(`^${URL}/o/${INVITATION_TOKEN_PATTERN}$`));
    const lostLine = links.find((l) => l.number === lost);

    const answered = await refusal(
      reissueInvitation(database.db, surveyor, survey.code, used, { reason: 'Mất' }, URL),
    );
    expect(answered.code).toBe('conflict');
    expect(answered.text.en).toContain('has been answered');
    const reissued = await reissueInvitation(
      database.db,
      surveyor,
      survey.code,
      lost,
      { reason: 'Gửi nhầm người' },
      URL,
    );
    const after = await officialInvitations(database.db, surveyor, survey.code, URL);
    expect(after).toHaveLength(15);
    expect(after.find((l) => l.number === lost)?.status).toBe('revoked');
    const fresh = after.find((l) => l.number === reissued.number);
    expect(fresh).toMatchObject({
      status: 'active',
      link: reissued.link,
      unit: lostLine?.unit,
      group: lostLine?.group,
    });
    expect(fresh?.link).not.toBe(lostLine?.link);
    expect(
      (
        await refusal(
          reissueInvitation(database.db, admin, survey.code, lost, { reason: 'Lần nữa' }, URL),
        )
      ).code,
    ).toBe('conflict');
    // The audit names the numbers, never a token.
    const entries = await database.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', 'like', 'officials.%')
      .execute();
    expect(entries.map((e) => e.action).sort()).toEqual([
      'officials.create',
      'officials.groups',
      'officials.groups',
      'officials.patch',
      'officials.reissue',
    ]);
    const tokens = await database.db.selectFrom('official_invitation').select('token').execute();
    const audited = JSON.stringify(entries);
    for (const { token } of tokens) expect(audited).not.toContain(token);
  });

  it('counts invited, answered and revoked by unit and group, within the scope', async () => {
    // A group of Q.X, outside the surveyor's scope: 1 of 2 answer.
    await importOfficialGroups(
      database.db,
      admin,
      survey.code,
      file('unit,group,count', 'Q.X,Sở,2'),
    );
    const groups = new Map(
      (
        await database.db
          .selectFrom('official_group as g')
          .innerJoin('unit as u', 'u.id', 'g.unit_id')
          .select(['g.id', 'u.code', 'g.name'])
          .execute()
      ).map((g) => [`${g.code}/${g.name}`, g.id]),
    );
    const answer = async (group: string, n: number) => {
      for (let i = 0; i < n; i++) {
        await database.db
          .insertInto('official_response')
          .values({ group_id: groups.get(group) ?? 0, answers: [0, 1, 2, 3, 0, 1, 2, 3] })
          .execute();
      }
    };
    // P.A Lãnh đạo 2 of 5, P.A Công chức 4 of 4, P.B Lãnh đạo 0 of 5.
    await answer('P.A/Lãnh đạo', 2);
    await answer('P.A/Công chức', 4);
    await answer('Q.X/Sở', 1);

    const progress = await officialProgress(database.db, surveyor, survey.code);
    // P.A: invited 5 + 4 = 9, answered 2 + 4 = 6, rate 6/9; P.B: 0 of 5; total 6 of 14.
    expect(progress.invited).toBe(14);
    expect(progress.answered).toBe(6);
    expect(progress.rate).toBeCloseTo(6 / 14, 9);
    expect(progress.units.map((u) => [u.unit, u.invited, u.answered])).toEqual([
      ['P.A', 9, 6],
      ['P.B', 5, 0],
    ]);
    expect(progress.units[0]?.rate).toBeCloseTo(6 / 9, 9);
    expect(progress.units[1]?.rate).toBe(0);
    const groupsOfA = [...(progress.units[0]?.groups ?? [])].sort((a, b) =>
      a.group < b.group ? -1 : 1,
    );
    // The link reissued was of the first group made (P.A Lãnh đạo): 1 revoked there.
    expect(groupsOfA.map((g) => [g.group, g.invited, g.answered, g.revoked])).toEqual([
      ['Công chức', 4, 4, 0],
      ['Lãnh đạo', 5, 2, 1],
    ]);
    expect(groupsOfA[1]?.rate).toBeCloseTo(2 / 5, 9);

    const whole = await officialProgress(database.db, admin, survey.code);
    // With Q.X: 14 + 2 = 16 invited, 6 + 1 = 7 answered.
    expect([whole.invited, whole.answered]).toEqual([16, 7]);
    expect(whole.rate).toBeCloseTo(7 / 16, 9);
    // The links of a unit outside the surveyor's reach are not read.
    expect(
      (await refusal(officialInvitations(database.db, surveyor, survey.code, URL, 'Q.X'))).code,
    ).toBe('forbidden');
    expect(await officialInvitations(database.db, surveyor, survey.code, URL, 'P.B')).toHaveLength(
      5,
    );
  });
});
