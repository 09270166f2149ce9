import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { operator } from '../../services/access.ts';
import { openAssessmentFixture } from '../../services/assessments.testing.ts';
import {
  readTasksXlsx,
  tasksXlsx,
  type TaskTableRow,
} from '../../services/plan-documents/index.ts';
import { proposedTask, seedPlan } from '../../services/plans.testing.ts';
import { cliFor } from '../testing.ts';

const target = ['--framework', 't-assess', '--period', '2025'];
const dir = mkdtempSync(join(tmpdir(), 'sipas-plan-'));

describe.each(engines)('sipas plan on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;

  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
    expect((await sipas('migrate')).status).toBe(0);
    const connection = sipas.open();
    try {
      await openAssessmentFixture(connection.db, '2099-12-31');
      await seedPlan(connection.db, operator('test'), 'T.H.X1', [
        proposedTask('Rà soát', '2000-01-31'),
        proposedTask('Tập huấn', null),
      ]);
    } finally {
      await connection.close();
    }
  }, 120_000);
  afterAll(() => database.close());

  it('shows a stored plan as JSON, overdue as of today in Vietnam', async () => {
    const shown = await sipas('plan', 'show', ...target, '--unit', 'T.H.X1');
    expect(shown.stderr).toBe('');
    expect(shown.status).toBe(0);
    const plan = JSON.parse(shown.stdout);
    expect(plan).toMatchObject({ unit: { code: 'T.H.X1' }, period: '2025' });
    expect(
      plan.tasks.map((t: { content: string; overdue: boolean }) => [t.content, t.overdue]),
    ).toEqual([
      ['Rà soát', true],
      ['Tập huấn', false],
    ]);
  });

  it('reports a unit without a plan, and bad usage', async () => {
    const none = await sipas('plan', 'show', ...target, '--unit', 'T.H.X2');
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/T\.H\.X2 has no remediation plan of t-assess for 2025/);
    const both = await sipas(
      'plan',
      'draft',
      ...target,
      '--unit',
      'T.H.X1',
      '--top',
      '3',
      '--targets',
      'targets.csv',
    );
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--top or --targets/);
    const format = await sipas('plan', 'show', ...target, '--unit', 'T.H.X1', '--format', 'pdf');
    expect(format.status).toBe(2);
  });

  it('exports the task table, imports it edited, and writes the documents to files', async () => {
    const table = join(dir, `tasks-${engine}.xlsx`);
    const exported = await sipas('plan', 'show', ...target, '--unit', 'T.H.X1', '--out', table);
    expect(exported.stderr).toBe('');
    const rows = await readTasksXlsx(readFileSync(table));
    expect(rows.map((row) => row.content)).toEqual(['Rà soát', 'Tập huấn']);
    const [first] = rows;
    if (!first) throw new Error('no row');
    const edited: TaskTableRow[] = [
      { ...first, status: 'done' },
      { ...proposedTask('Khảo sát lại', '2026-12-31'), id: null },
    ];
    writeFileSync(table, await tasksXlsx({ tasks: edited }));
    const imported = await sipas('plan', 'tasks', 'import', ...target, '--unit', 'T.H.X1', table);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe('imported: 3 tasks on the plan, 1 added\n');
    const shown = JSON.parse((await sipas('plan', 'show', ...target, '--unit', 'T.H.X1')).stdout);
    expect(
      shown.tasks.map((t: { content: string; status: string }) => [t.content, t.status]),
    ).toEqual([
      ['Rà soát', 'done'],
      ['Tập huấn', 'not-started'],
      ['Khảo sát lại', 'not-started'],
    ]);
    for (const format of ['docx', 'progress']) {
      const out = join(dir, `${format}-${engine}.docx`);
      const written = await sipas(
        'plan',
        'show',
        ...target,
        '--unit',
        'T.H.X1',
        '--format',
        format,
        '--out',
        out,
      );
      expect(written.stderr).toBe('');
      // A DOCX is a ZIP package.
      expect([...readFileSync(out).subarray(0, 2)]).toEqual([0x50, 0x4b]);
    }
  });
});
