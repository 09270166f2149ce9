import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { operator } from '../../services/access.ts';
import { openAssessmentFixture } from '../../services/assessments.testing.ts';
import { proposedTask, seedPlan } from '../../services/plans.testing.ts';
import { cliFor } from '../testing.ts';

const target = ['--framework', 't-assess', '--period', '2025'];

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
});
