// Remediation plans on every engine (par-cycle.md §6, docs/plans.md): who reads and writes a
// plan, tasks overdue from the day after their deadline, positions closing up after a removal,
// refused reports and files storing nothing, and a unit above's roll-up counted by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import type { Principal } from './access.ts';
import { openAssessmentFixture, file, type Principals } from './assessments.testing.ts';
import { listAuditEntries } from './audit.ts';
import { ensureBuiltins } from './builtins.ts';
import { htmlFile, pdfFile } from './evidence.testing.ts';
import {
  addReport,
  addTask,
  createPlan,
  getPlan,
  importTasks,
  listPlans,
  patchSections,
  patchTask,
  planFileDownload,
  planRollUp,
  removePlanFile,
  removeTask,
  uploadPlanFile,
} from './plans.ts';
import { proposedTask, seedPlan } from './plans.testing.ts';
import { importPoints } from './par.ts';
import { deleteUnit, importUnits } from './units.ts';
import * as units from '../../db/repositories/units.ts';

const TODAY = '2026-04-01';

describe.each(engines)('remediation plans on %s', (engine) => {
  let database: TestDatabase;
  let who: Principals;
  /** An analyst scoped to the district T.H, and one to the department T.S. */
  let analyst: Principal;
  let foreignAnalyst: Principal;
  /** T.H.X1's plan: tasks A (due 2026-03-31), B (due 2026-12-31), C (ongoing). */
  let plan: number;

  const count = async (
    table: 'plan' | 'plan_task' | 'plan_progress' | 'plan_evidence' | 'audit_log',
  ) =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    plans: await count('plan'),
    tasks: await count('plan_task'),
    reports: await count('plan_progress'),
    files: await count('plan_evidence'),
    audit: await count('audit_log'),
  });

  /** The refusal's code and field paths, and that no row changed. */
  const refused = async (work: () => Promise<unknown>, code: string, paths: string[] = []) => {
    const before = await counts();
    const error: unknown = await work().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code });
    expect((error as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(paths);
    expect(await counts()).toEqual(before);
  };

  const scoped = async (role: 'analyst', code: string, id: number): Promise<Principal> => {
    const unit = await units.findUnitByCode(database.db, code);
    return {
      actor: { id: `account:${id}` },
      accountId: id,
      name: `${role}@${code}`,
      login: null,
      role,
      unitId: unit?.id ?? null,
      unitCode: code,
    };
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await ensureBuiltins(database.db);
    who = await openAssessmentFixture(database.db, '2026-12-31');
    await importUnits(
      database.db,
      who.admin,
      file('unit,name,parent,type', 'T.H.X3,Xã X3,T.H,commune'),
    );
    analyst = await scoped('analyst', 'T.H', 2001);
    foreignAnalyst = await scoped('analyst', 'T.S', 2002);
    plan = await seedPlan(database.db, who.admin, 'T.H.X1', [
      proposedTask('A', '2026-03-31'),
      proposedTask('B', '2026-12-31', ['1.1'], ['TC']),
      proposedTask('C', null, ['2']),
    ]);
  });
  afterAll(() => database.close());

  it('serves a stored draft: facts, sections, tasks in order, progress by node', async () => {
    const served = await getPlan(database.db, who.x1, plan, TODAY);
    expect(served).toMatchObject({
      unit: { code: 'T.H.X1', name: 'Xã X1' },
      framework: { code: 't-assess' },
      period: '2025',
      peers: 'T.H',
      today: TODAY,
      sections: { summary: 'Khắc phục hạn chế' },
    });
    expect(served.tasks.map((t) => [t.position, t.content, t.overdue])).toEqual([
      [1, 'A', true],
      [2, 'B', false],
      [3, 'C', false],
    ]);
    // Nodes in the framework's order, then factors; only what some task answers.
    expect(served.progress).toEqual([
      { code: '1', name: 'Chỉ đạo', tasks: 1, notStarted: 1, inProgress: 0, done: 0, overdue: 1 },
      {
        code: '1.1',
        name: 'Kế hoạch',
        tasks: 1,
        notStarted: 1,
        inProgress: 0,
        done: 0,
        overdue: 0,
      },
      { code: '2', name: 'Hài lòng', tasks: 1, notStarted: 1, inProgress: 0, done: 0, overdue: 0 },
      {
        code: 'TC',
        name: 'Tiếp cận dịch vụ',
        tasks: 1,
        notStarted: 1,
        inProgress: 0,
        done: 0,
        overdue: 0,
      },
    ]);
  });

  it('lets readers within reach read, and only admins, analysts within reach and the unit write', async () => {
    // Readers: the unit, the district's appraiser and analyst, an admin.
    for (const reader of [who.x1, who.district, analyst, who.admin]) {
      expect((await getPlan(database.db, reader, plan, TODAY)).id).toBe(plan);
    }
    // Another unit, and an analyst of another subtree: 403; an unknown plan is 404 first.
    for (const stranger of [who.x2, foreignAnalyst]) {
      await refused(() => getPlan(database.db, stranger, plan, TODAY), 'forbidden');
      await refused(() => getPlan(database.db, stranger, 9999, TODAY), 'not-found');
    }
    // The appraiser reads but does not write; neither does the other unit.
    for (const reader of [who.district, who.x2, foreignAnalyst]) {
      await refused(
        () => patchSections(database.db, reader, plan, { place: 'X' }, TODAY),
        'forbidden',
      );
      await refused(
        () => addTask(database.db, reader, plan, proposedTask('D', null), TODAY),
        'forbidden',
      );
    }
    // The unit itself, the district's analyst and an admin write.
    for (const [writer, place] of [
      [who.x1, 'Xã X1'],
      [analyst, 'Huyện H'],
      [who.admin, 'Tỉnh T'],
    ] as const) {
      const after = await patchSections(database.db, writer, plan, { place }, TODAY);
      expect(after.sections.place).toBe(place);
      expect(after.sections.summary).toBe('Khắc phục hạn chế');
    }
    // A list shows what the caller reaches.
    expect((await listPlans(database.db, who.x2, {})).plans).toEqual([]);
    expect((await listPlans(database.db, who.district, { period: '2025' })).plans).toMatchObject([
      { id: plan, unit: { code: 'T.H.X1' }, framework: 't-assess', period: '2025' },
    ]);
  });

  it('counts a task overdue from the day after its deadline until it is done', async () => {
    const overdue = async (today: string) =>
      (await getPlan(database.db, who.x1, plan, today)).tasks.find((t) => t.content === 'A')
        ?.overdue;
    expect(await overdue('2026-03-31')).toBe(false);
    expect(await overdue('2026-04-01')).toBe(true);
    const id = (await getPlan(database.db, who.x1, plan, TODAY)).tasks[0]?.id ?? 0;
    await patchTask(database.db, who.x1, plan, id, { status: 'done' }, TODAY);
    expect(await overdue('2026-04-01')).toBe(false);
    await patchTask(database.db, who.x1, plan, id, { status: 'in-progress' }, TODAY);
    expect(await overdue('2026-04-01')).toBe(true);
  });

  it('closes up positions after a removal and makes room for a task moved', async () => {
    const order = async () =>
      (await getPlan(database.db, who.x1, plan, TODAY)).tasks.map((t) => [t.position, t.content]);
    const idOf = async (content: string) =>
      (await getPlan(database.db, who.x1, plan, TODAY)).tasks.find((t) => t.content === content)
        ?.id ?? 0;
    await addTask(database.db, who.x1, plan, proposedTask('D', null), TODAY);
    expect(await order()).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, 'C'],
      [4, 'D'],
    ]);
    const b = await idOf('B');
    const removed = await removeTask(database.db, who.x1, plan, b, TODAY);
    expect(removed.tasks.map((t) => [t.position, t.content])).toEqual([
      [1, 'A'],
      [2, 'C'],
      [3, 'D'],
    ]);
    // The row stays, marked removed; a second removal finds no task.
    const row = await database.db
      .selectFrom('plan_task')
      .select(['removed_at'])
      .where('id', '=', b)
      .executeTakeFirstOrThrow();
    expect(row.removed_at).not.toBeNull();
    await refused(() => removeTask(database.db, who.x1, plan, b, TODAY), 'not-found');
    await patchTask(database.db, who.x1, plan, await idOf('D'), { position: 1 }, TODAY);
    expect(await order()).toEqual([
      [1, 'D'],
      [2, 'A'],
      [3, 'C'],
    ]);
    await patchTask(database.db, who.x1, plan, await idOf('D'), { position: 3 }, TODAY);
    expect(await order()).toEqual([
      [1, 'A'],
      [2, 'C'],
      [3, 'D'],
    ]);
    await refused(
      () => patchTask(database.db, who.x1, plan, b, { position: 1 }, TODAY),
      'not-found',
    );
    await refused(
      () => patchTask(database.db, who.x1, plan, 0, { position: 4 }, TODAY),
      'not-found',
    );
    await refused(
      async () =>
        patchTask(database.db, who.x1, plan, await idOf('A'), { position: 4, nodes: ['9'] }, TODAY),
      'invalid',
      ['nodes', 'position'],
    );
  });

  it('refuses a report with no text or a bad day, storing nothing', async () => {
    const task = (await getPlan(database.db, who.x1, plan, TODAY)).tasks[0]?.id ?? 0;
    await refused(
      () => addReport(database.db, who.x1, plan, task, { on: TODAY, text: '  ' }, TODAY),
      'invalid',
      ['text'],
    );
    await refused(
      () => addReport(database.db, who.x1, plan, task, { on: '2026-02-30', text: 'Xong' }, TODAY),
      'invalid',
      ['on'],
    );
    await refused(
      () => addReport(database.db, who.x1, plan, task, { on: '2026-04-02', text: 'Xong' }, TODAY),
      'invalid',
      ['on'],
    );
    await refused(
      () => addReport(database.db, who.district, plan, task, { on: TODAY, text: 'Xong' }, TODAY),
      'forbidden',
    );
    const after = await addReport(
      database.db,
      who.x1,
      plan,
      task,
      { on: TODAY, text: ' Đã ban hành ' },
      TODAY,
    );
    expect(after.tasks[0]?.reports).toMatchObject([
      { on: TODAY, text: 'Đã ban hành', by: who.x1.actor.id, files: [] },
    ]);
  });

  it('stores a report’s file by its content, refuses one of another type, and removes one', async () => {
    const report = (await getPlan(database.db, who.x1, plan, TODAY)).tasks[0]?.reports[0]?.id ?? 0;
    const target = { plan, report };
    const upload = (name: string, bytes: Uint8Array, principal = who.x1) =>
      uploadPlanFile(
        database.db,
        principal,
        target,
        { name, read: () => Promise.resolve(bytes) },
        TODAY,
      );
    await refused(() => upload('bao-cao.pdf', htmlFile()), 'invalid', ['file']);
    await refused(() => upload('bao-cao.pdf', pdfFile(), who.district), 'forbidden');
    await refused(
      () =>
        uploadPlanFile(
          database.db,
          who.x1,
          { plan, report: 9999 },
          { name: 'x.pdf', read: () => Promise.resolve(pdfFile()) },
          TODAY,
        ),
      'not-found',
    );
    const stored = await upload('Báo cáo quý 1.pdf', pdfFile());
    const files = stored.tasks[0]?.reports[0]?.files ?? [];
    expect(files).toMatchObject([
      { name: 'Báo cáo quý 1.pdf', mediaType: 'application/pdf', size: pdfFile().length },
    ]);
    const id = files[0]?.id ?? 0;
    // Read by the plan's readers, not by another unit.
    const download = await planFileDownload(database.db, who.district, id);
    expect(download.content).toEqual(pdfFile());
    await refused(() => planFileDownload(database.db, who.x2, id), 'forbidden');
    await refused(() => removePlanFile(database.db, who.district, id, TODAY), 'forbidden');
    const after = await removePlanFile(database.db, who.x1, id, TODAY);
    expect(after.tasks[0]?.reports[0]?.files).toEqual([]);
    // The row stays; the file is gone for readers and for a second removal.
    expect(await count('plan_evidence')).toBe(1);
    await refused(() => planFileDownload(database.db, who.x1, id), 'gone');
    await refused(() => removePlanFile(database.db, who.x1, id, TODAY), 'gone');
  });

  it('imports a task table all or nothing: ids update, rows without add', async () => {
    const before = await getPlan(database.db, who.x1, plan, TODAY);
    const first = before.tasks[0];
    if (!first) throw new Error('no task');
    await refused(
      () =>
        importTasks(
          database.db,
          who.x1,
          plan,
          [
            { ...proposedTask('E', null), id: null },
            { ...proposedTask('', null, ['9']), id: 9999 },
          ],
          TODAY,
        ),
      'invalid',
      ['rows.2.content', 'rows.2.nodes', 'rows.2.id'],
    );
    const after = await importTasks(
      database.db,
      who.x1,
      plan,
      [
        { ...proposedTask('A sửa', '2026-03-31'), status: 'done', id: first.id },
        { ...proposedTask('E', '2026-03-31', ['1'], ['HS']), id: null },
      ],
      TODAY,
    );
    expect(after.tasks.map((t) => [t.position, t.content])).toEqual([
      [1, 'A sửa'],
      [2, 'C'],
      [3, 'D'],
      [4, 'E'],
    ]);
  });

  it('rolls up the children of a unit on the period’s map, a child without a plan among them', async () => {
    // T.H.X2: P (due 2026-03-31, in progress: overdue on 2026-04-01), Q (ongoing), R removed.
    const x2 = await seedPlan(database.db, who.admin, 'T.H.X2', [
      { ...proposedTask('P', '2026-03-31'), status: 'in-progress' },
      proposedTask('Q', null),
      proposedTask('R', '2026-01-01'),
    ]);
    const r = (await getPlan(database.db, who.x2, x2, TODAY)).tasks[2]?.id ?? 0;
    await removeTask(database.db, who.x2, x2, r, TODAY);
    // T.H.X1 now (the tests above): A sửa (due 2026-03-31, done: not overdue), C and D
    // (ongoing, not started), E (due 2026-03-31, not started: overdue): 4 tasks, 3 not started,
    // 1 done, 1 overdue.
    const x1Id = plan;
    const rollUp = await planRollUp(
      database.db,
      who.district,
      { framework: 't-assess', period: '2025', unit: 'T.H' },
      TODAY,
    );
    expect(rollUp).toMatchObject({
      unit: { code: 'T.H', name: 'Huyện H' },
      framework: { code: 't-assess' },
      period: '2025',
      today: TODAY,
      withoutPlan: [{ code: 'T.H.X3', name: 'Xã X3' }],
    });
    expect(rollUp.plans.map(({ updatedAt: _, ...rest }) => rest)).toEqual([
      {
        id: x1Id,
        unit: { code: 'T.H.X1', name: 'Xã X1' },
        tasks: 4,
        notStarted: 3,
        inProgress: 0,
        done: 1,
        overdue: 1,
      },
      {
        id: x2,
        unit: { code: 'T.H.X2', name: 'Xã X2' },
        tasks: 2,
        notStarted: 1,
        inProgress: 1,
        done: 0,
        overdue: 1,
      },
    ]);
    // A unit below does not read its parent's roll-up.
    await refused(
      () =>
        planRollUp(
          database.db,
          who.x1,
          { framework: 't-assess', period: '2025', unit: 'T.H' },
          TODAY,
        ),
      'forbidden',
    );
  });

  it('audits every change under the plan’s subject, found by the audit viewer’s unit filter', async () => {
    const page = await listAuditEntries(database.db, who.admin, { unit: 'T.H.X1', limit: 500 });
    const actions = new Set(page.entries.map((e) => e.action));
    for (const action of [
      'plan.create',
      'plan.sections',
      'plan.task.add',
      'plan.task.change',
      'plan.task.remove',
      'plan.report',
      'plan.file.upload',
      'plan.file.remove',
      'plan.tasks.import',
    ]) {
      expect(actions).toContain(action);
    }
    expect(page.entries.find((e) => e.action === 'plan.create')?.subject).toBe(
      'plan:T.H.X1/t-assess/2025',
    );
    const other = await listAuditEntries(database.db, who.admin, { unit: 'T.S', limit: 500 });
    expect(other.entries.filter((e) => e.action.startsWith('plan.'))).toEqual([]);
  });

  it('keeps a unit with a plan from deletion', async () => {
    await seedPlan(database.db, who.admin, 'T.S');
    await refused(() => deleteUnit(database.db, who.admin, 'T.S'), 'conflict');
  });

  it('drafts and stores a plan from the unit’s results, once, for a writer only', async () => {
    // t-assess 2025 among T.H's communes: X3 scores 1.1 = 4, 1.2.1 = 15, 1.2.2 = 5, 2.1 = 20
    // (44 of 50); X1 and X2 score the maximum (50).
    await importPoints(
      database.db,
      who.admin,
      { framework: 't-assess', period: '2025' },
      file(
        'unit,component,points',
        ...['T.H.X1', 'T.H.X2'].flatMap((unit) => [
          `${unit},1.1,10`,
          `${unit},1.2.1,15`,
          `${unit},1.2.2,5`,
          `${unit},2.1,20`,
        ]),
        'T.H.X3,1.1,4',
        'T.H.X3,1.2.1,15',
        'T.H.X3,1.2.2,5',
        'T.H.X3,2.1,20',
      ),
    );
    const request = { framework: 't-assess', period: '2025', unit: 'T.H.X3' };
    await refused(() => createPlan(database.db, who.district, request, TODAY), 'forbidden');
    await refused(() => createPlan(database.db, who.x1, request, TODAY), 'forbidden');
    const created = await createPlan(database.db, analyst, request, TODAY);
    // Field 1 lost 6 points (30 − 24) and ranks 3rd of 3: a weak node, and its task proposed.
    expect(created).toMatchObject({
      unit: { code: 'T.H.X3' },
      peers: 'T.H',
      campaign: null,
      draftedBy: analyst.actor.id,
      facts: { total: { points: 44, pointsLost: 6, rank: 3, of: 3 } },
    });
    expect(created.tasks.map((task) => [task.position, task.nodes])).toEqual([[1, ['1']]]);
    await refused(() => createPlan(database.db, who.admin, request, TODAY), 'conflict');
    const rollUp = await planRollUp(
      database.db,
      who.district,
      { framework: 't-assess', period: '2025', unit: 'T.H' },
      TODAY,
    );
    expect(rollUp.withoutPlan).toEqual([]);
  });
});
