// Self-assessment and appraisal on every engine (par-cycle.md §2, docs/assessment.md): a commune
// scores and submits, the district returns a leaf, the commune resubmits, the district and then
// the province appraise; the points follow. Every refusal stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { ensureBuiltins } from './builtins.ts';
import { vietnamDate } from './vietnam-time.ts';
import {
  appraisalQueue,
  appraiseLeaf,
  assessmentDocument,
  assessmentOverview,
  finishStage,
  openRound,
  reopenAssessment,
  returnAssessment,
  setLeaf,
  submitAssessment,
} from './assessments.ts';
import {
  FRAMEWORK,
  openAssessmentFixture,
  PERIOD,
  type Principals,
} from './assessments.testing.ts';

const x1 = { framework: FRAMEWORK, period: PERIOD, unit: 'T.H.X1' };
const x2 = { ...x1, unit: 'T.H.X2' };
/** Today in Vietnam, shifted by whole days. */
const day = (offset: number) => vietnamDate(new Date(Date.now() + offset * 86_400_000));

describe.each(engines)('self-assessment and appraisal on %s', (engine) => {
  let database: TestDatabase;
  let who: Principals;

  /** Rows of every table an assessment writes: a refusal leaves them all as they were. */
  const counts = async () => {
    const db = database.db;
    const count = async (table: 'assessment' | 'assessment_leaf' | 'par_points' | 'audit_log') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const states = await db.selectFrom('assessment').select(['unit_id', 'state']).execute();
    return {
      assessment: await count('assessment'),
      leaves: await count('assessment_leaf'),
      points: await count('par_points'),
      audit: await count('audit_log'),
      states,
    };
  };

  /** The refusal's code and field paths, and that nothing changed. */
  const refused = async (work: () => Promise<unknown>, code: string, paths: string[] = []) => {
    const before = await counts();
    const error: unknown = await work().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code });
    expect((error as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(paths);
    expect(await counts()).toEqual(before);
    return error as { text: { vi: string; en: string } };
  };

  const points = async (unit: string) =>
    database.db
      .selectFrom('par_points as p')
      .innerJoin('unit as u', 'u.id', 'p.unit_id')
      .select(['p.component', 'p.points', 'p.source'])
      .where('u.code', '=', unit)
      .where('p.period', '=', PERIOD)
      .orderBy('p.component')
      .execute();

  const lastAudit = async (action: string) =>
    database.db
      .selectFrom('audit_log')
      .select(['actor', 'subject', 'detail'])
      .where('action', '=', action)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    who = await openAssessmentFixture(database.db, day(30));
  });
  afterAll(() => database.close());

  it('reads an unscored unit as an empty draft, its leaves those applying to a commune', async () => {
    const document = await assessmentDocument(database.db, who.x1, x1);
    expect(document).toMatchObject({
      unit: 'T.H.X1',
      unitType: 'commune',
      state: 'draft',
      stages: ['parent', 'top'],
      late: false,
      progress: { scored: 0, leaves: 3 },
      may: { edit: true, submit: true, reopen: false, appraise: false },
    });
    expect(Object.keys(document.leaves)).toEqual(['1.1', '1.2.1', '1.2.2']);
    expect(document.nodes.map((n) => [n.code, n.applicable])).toEqual([
      ['1', true],
      ['1.1', true],
      ['1.2', true],
      ['1.2.1', true],
      ['1.2.2', true],
      ['2', true],
      ['2.1', true],
    ]);
    expect(await counts()).toMatchObject({ assessment: 0, leaves: 0 });
  });

  it('refuses scores out of range, on an inner node or a non-assessment leaf, storing nothing', async () => {
    const low = await refused(
      () => setLeaf(database.db, who.x1, { ...x1, node: '1.1' }, { selfScore: -1 }),
      'invalid',
      ['selfScore'],
    );
    expect(low).toMatchObject({ errors: [{ message: { en: '-1 is outside [0, 10]' } }] });
    await refused(
      () => setLeaf(database.db, who.x1, { ...x1, node: '1.1' }, { selfScore: 10.5 }),
      'invalid',
      ['selfScore'],
    );
    const inner = await refused(
      () => setLeaf(database.db, who.x1, { ...x1, node: '1.2' }, { selfScore: 1 }),
      'invalid',
      ['node'],
    );
    expect(inner).toMatchObject({
      errors: [
        {
          message: {
            en: '1.2 has sub-nodes: scores go on its leaves',
            vi: '1.2 có mục con: điểm ghi cho các mục lá của nó',
          },
        },
      ],
    });
    await refused(
      () => setLeaf(database.db, who.x1, { ...x1, node: '2.1' }, { selfScore: 1 }),
      'invalid',
      ['node'],
    );
    await refused(
      () => setLeaf(database.db, who.x1, { ...x1, node: '1.2.2' }, { notApplicable: true }),
      'invalid',
      ['notApplicableReason'],
    );
    await refused(
      () => setLeaf(database.db, who.x1, { ...x1, node: '9' }, { selfScore: 1 }),
      'not-found',
    );
  });

  it('refuses a unit editing another unit, and any appraisal of a draft', async () => {
    await refused(
      () => setLeaf(database.db, who.x2, { ...x1, node: '1.1' }, { selfScore: 5 }),
      'forbidden',
    );
    await refused(
      () => setLeaf(database.db, who.district, { ...x1, node: '1.1' }, { selfScore: 5 }),
      'forbidden',
    );
    await refused(
      () => appraiseLeaf(database.db, who.district, { ...x1, node: '1.1' }, { score: 5 }),
      'conflict',
    );
  });

  it('walks a commune from draft to appraised through a return', async () => {
    // X1 scores: 1.1 = 8 explained, 1.2.1 = 12 with a document reference, 1.2.2 = 4.
    await setLeaf(database.db, who.x1, { ...x1, node: '1.1' }, { selfScore: 8 });
    await setLeaf(
      database.db,
      who.x1,
      { ...x1, node: '1.2.1' },
      {
        selfScore: 12,
        documentRefs: [{ number: '15/KH-UBND', date: '2025-03-02', issuer: 'UBND xã X1' }],
      },
    );
    const scored = await setLeaf(database.db, who.x1, { ...x1, node: '1.2.2' }, { selfScore: 4 });
    expect(scored.progress).toEqual({ scored: 3, leaves: 3 });
    // 1.1 and 1.2.2 have positive scores with neither evidence nor a reference.
    const unexplained = await refused(() => submitAssessment(database.db, who.x1, x1), 'invalid', [
      'leaves.1.1.explanation',
      'leaves.1.2.2.explanation',
    ]);
    expect(unexplained.text.en).toBe('The self-assessment of unit T.H.X1 cannot be submitted yet.');
    await setLeaf(database.db, who.x1, { ...x1, node: '1.1' }, { explanation: 'Kế hoạch số 3' });
    await setLeaf(database.db, who.x1, { ...x1, node: '1.2.2' }, { explanation: 'Biên bản thôn' });
    expect(await lastAudit('assessment.score')).toMatchObject({
      actor: who.x1.actor.id,
      subject: `${FRAMEWORK}/${PERIOD}/T.H.X1`,
      detail: { node: '1.2.2', old: { explanation: null }, new: { explanation: 'Biên bản thôn' } },
    });

    const submitted = await submitAssessment(database.db, who.x1, x1);
    expect(submitted).toMatchObject({ state: 'submitted', stage: 0, stageName: 'parent' });
    expect(await points('T.H.X1')).toEqual([
      { component: '1.1', points: 8, source: 'self-assessed' },
      { component: '1.2.1', points: 12, source: 'self-assessed' },
      { component: '1.2.2', points: 4, source: 'self-assessed' },
    ]);
    await refused(
      () => setLeaf(database.db, who.x1, { ...x1, node: '1.1' }, { selfScore: 9 }),
      'conflict',
    );

    // Nobody appraises their own unit; the province does not appraise at the parent stage.
    await refused(
      () => appraiseLeaf(database.db, who.ownAppraiser, { ...x1, node: '1.1' }, { score: 8 }),
      'forbidden',
    );
    await refused(
      () => appraiseLeaf(database.db, who.province, { ...x1, node: '1.1' }, { score: 8 }),
      'forbidden',
    );
    await refused(
      () => appraiseLeaf(database.db, who.x1, { ...x1, node: '1.1' }, { score: 8 }),
      'forbidden',
    );
    expect((await appraisalQueue(database.db, who.district)).assessments).toMatchObject([
      { unit: 'T.H.X1', state: 'submitted', stageName: 'parent' },
    ]);
    expect((await appraisalQueue(database.db, who.province)).assessments).toEqual([]);

    // The district keeps 1.1 and returns 1.2.1.
    const kept = await appraiseLeaf(
      database.db,
      who.district,
      { ...x1, node: '1.1' },
      { score: 8 },
    );
    expect(kept.state).toBe('in-appraisal');
    await refused(
      () => appraiseLeaf(database.db, who.district, { ...x1, node: '1.2.1' }, { score: 10 }),
      'invalid',
      ['reason'],
    );
    const returned = await returnAssessment(database.db, who.district, x1, {
      leaves: [{ node: '1.2.1', comment: 'Thiếu biên bản kiểm tra' }],
    });
    expect(returned).toMatchObject({ state: 'returned', stageName: 'parent' });
    expect(returned.leaves['1.2.1']).toMatchObject({
      returned: true,
      returnComment: 'Thiếu biên bản kiểm tra',
    });
    expect(await lastAudit('assessment.return')).toMatchObject({
      actor: who.district.actor.id,
      detail: {
        stage: 'parent',
        old: 'in-appraisal',
        new: 'returned',
        leaves: [{ node: '1.2.1', comment: 'Thiếu biên bản kiểm tra' }],
      },
    });
    const overview = await assessmentOverview(database.db, who.district, {
      framework: FRAMEWORK,
      period: PERIOD,
    });
    expect(overview.units).toMatchObject([
      { unit: 'T.H.X1', state: 'returned', scored: 3, leaves: 3, returnedLeaves: 1, late: false },
      { unit: 'T.H.X2', state: 'not-started', scored: 0, leaves: 3, submittedAt: null },
    ]);

    // The commune lowers 1.2.1 to 10 and resubmits: its self-assessed points follow.
    await setLeaf(database.db, who.x1, { ...x1, node: '1.2.1' }, { selfScore: 10 });
    expect(await lastAudit('assessment.score')).toMatchObject({
      detail: { node: '1.2.1', old: { self_score: 12 }, new: { self_score: 10 } },
    });
    const resubmitted = await submitAssessment(database.db, who.x1, x1);
    expect(resubmitted).toMatchObject({ state: 'resubmitted', stage: 0 });
    expect((await points('T.H.X1'))[1]).toEqual({
      component: '1.2.1',
      points: 10,
      source: 'self-assessed',
    });

    // The district appraises 1.2.1 = 10 (as self-scored) and 1.2.2 = 3 with a reason.
    await refused(() => finishStage(database.db, who.district, x1), 'invalid', [
      'leaves.1.2.1.appraisedScore',
      'leaves.1.2.2.appraisedScore',
    ]);
    await appraiseLeaf(database.db, who.district, { ...x1, node: '1.2.1' }, { score: 10 });
    await appraiseLeaf(
      database.db,
      who.district,
      { ...x1, node: '1.2.2' },
      { score: 3, reason: 'Một thôn chưa kiểm tra' },
    );
    expect(await lastAudit('assessment.appraise')).toMatchObject({
      actor: who.district.actor.id,
      detail: {
        node: '1.2.2',
        stage: 'parent',
        old: { appraised_score: null, appraisal_reason: null },
        new: { appraised_score: 3, appraisal_reason: 'Một thôn chưa kiểm tra' },
      },
    });
    const toTop = await finishStage(database.db, who.district, x1);
    expect(toTop).toMatchObject({ state: 'submitted', stage: 1, stageName: 'top' });
    expect(toTop.leaves['1.2.1']?.returned).toBe(false);
    // Still self-assessed until the last stage.
    expect((await points('T.H.X1')).map((p) => p.source)).toEqual([
      'self-assessed',
      'self-assessed',
      'self-assessed',
    ]);

    // The top stage: not the district's; the province lowers 1.1 to 7 and finishes.
    await refused(
      () =>
        appraiseLeaf(database.db, who.district, { ...x1, node: '1.1' }, { score: 7, reason: 'x' }),
      'forbidden',
    );
    expect((await appraisalQueue(database.db, who.province)).assessments).toMatchObject([
      { unit: 'T.H.X1', stageName: 'top' },
    ]);
    await appraiseLeaf(
      database.db,
      who.province,
      { ...x1, node: '1.1' },
      { score: 7, reason: 'Kế hoạch ban hành muộn' },
    );
    const appraised = await finishStage(database.db, who.province, x1);
    expect(appraised).toMatchObject({ state: 'appraised', stageName: null });
    expect(appraised.leaves['1.1']).toMatchObject({
      selfScore: 8,
      appraisedScore: 7,
      appraisalReason: 'Kế hoạch ban hành muộn',
    });
    // Appraised points: 1.1 = 7, 1.2.1 = 10, 1.2.2 = 3; 20 of the 30 of field 1.
    const final = await points('T.H.X1');
    expect(final.map((p) => [p.component, p.source])).toEqual([
      ['1.1', 'appraised'],
      ['1.2.1', 'appraised'],
      ['1.2.2', 'appraised'],
    ]);
    expect(final.reduce((sum, p) => sum + (p.points ?? 0), 0)).toBeCloseTo(20, 9);
    expect(await lastAudit('assessment.finish')).toMatchObject({
      actor: who.province.actor.id,
      detail: { stage: 'top', old: 'in-appraisal', new: 'appraised', next: null },
    });
    await refused(() => finishStage(database.db, who.province, x1), 'conflict');
    await refused(() => reopenAssessment(database.db, who.x1, x1), 'conflict');
  });

  it('takes a not-applicable mark to null points once the appraisal accepts it', async () => {
    await setLeaf(
      database.db,
      who.x2,
      { ...x2, node: '1.2.2' },
      { notApplicable: true, notApplicableReason: 'Xã không có thôn' },
    );
    // A zero needs no explanation; 1.1 has a reference.
    await setLeaf(database.db, who.x2, { ...x2, node: '1.2.1' }, { selfScore: 0 });
    await setLeaf(
      database.db,
      who.x2,
      { ...x2, node: '1.1' },
      { selfScore: 6, documentRefs: [{ number: '2/QĐ', date: '2025-01-05', issuer: 'UBND' }] },
    );
    await submitAssessment(database.db, who.x2, x2);
    expect(await points('T.H.X2')).toEqual([
      { component: '1.1', points: 6, source: 'self-assessed' },
      { component: '1.2.1', points: 0, source: 'self-assessed' },
      { component: '1.2.2', points: null, source: 'self-assessed' },
    ]);
    // The unit reopens before the deadline, and submits again.
    expect(await reopenAssessment(database.db, who.x2, x2)).toMatchObject({ state: 'draft' });
    await submitAssessment(database.db, who.x2, x2);
    await refused(
      () => appraiseLeaf(database.db, who.district, { ...x2, node: '1.2.2' }, { score: 5 }),
      'invalid',
      ['notApplicableAccepted', 'reason'],
    );
    await appraiseLeaf(
      database.db,
      who.district,
      { ...x2, node: '1.2.2' },
      { score: null, notApplicableAccepted: true },
    );
    await appraiseLeaf(database.db, who.district, { ...x2, node: '1.2.1' }, { score: 0 });
    await appraiseLeaf(database.db, who.district, { ...x2, node: '1.1' }, { score: 6 });
    await finishStage(database.db, who.district, x2);
    // An admin appraises at the top stage: the parent's scores stand.
    await finishStage(database.db, who.admin, x2);
    expect(await points('T.H.X2')).toEqual([
      { component: '1.1', points: 6, source: 'appraised' },
      { component: '1.2.1', points: 0, source: 'appraised' },
      { component: '1.2.2', points: null, source: 'appraised' },
    ]);
  });

  it('refuses a second round of the same period, and a round from a non-admin', async () => {
    const round = { framework: FRAMEWORK, period: PERIOD, peers: 'T.H', deadline: day(3) };
    await refused(() => openRound(database.db, who.district, round), 'forbidden');
    await refused(() => openRound(database.db, who.admin, round), 'conflict');
    await refused(
      () =>
        openRound(database.db, who.admin, { ...round, period: '2026', stages: ['top', 'parent'] }),
      'invalid',
      ['stages'],
    );
  });

  it('skips the parent stage under the top, and flags a late submission', async () => {
    // T's children: the district and the department, directly under the province (the top).
    await openRound(database.db, who.admin, {
      framework: FRAMEWORK,
      period: '2027',
      peers: 'T',
      deadline: day(-1),
      stages: ['parent', 'top'],
    });
    const ts = { framework: FRAMEWORK, period: '2027', unit: 'T.S' };
    const overview = await assessmentOverview(database.db, who.province, ts);
    expect(overview.units).toMatchObject([
      { unit: 'T.H', state: 'not-started', leaves: 2, late: true },
      { unit: 'T.S', state: 'not-started', leaves: 2, late: true },
    ]);
    // 1.2.2 is for communes: a department scores 1.1 and 1.2.1 only.
    await refused(
      () => setLeaf(database.db, who.department, { ...ts, node: '1.2.2' }, { selfScore: 1 }),
      'invalid',
      ['node'],
    );
    await setLeaf(database.db, who.department, { ...ts, node: '1.1' }, { selfScore: 0 });
    await setLeaf(database.db, who.department, { ...ts, node: '1.2.1' }, { selfScore: 0 });
    const late = await submitAssessment(database.db, who.department, ts);
    expect(late).toMatchObject({ state: 'submitted', stage: 1, stageName: 'top', late: true });
    expect(await lastAudit('assessment.submit')).toMatchObject({
      detail: { old: 'draft', new: 'submitted', stage: 'top', late: true },
    });
    await refused(() => reopenAssessment(database.db, who.department, ts), 'conflict');
    await refused(() => reopenAssessment(database.db, who.district, ts), 'forbidden');
    expect(await reopenAssessment(database.db, who.province, ts)).toMatchObject({
      state: 'draft',
    });
  });
});
