import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { cliFor } from './testing.ts';

const example = (name: string) => `fixtures/examples/${name}`;

describe.each(engines)('progress of long imports and exports on %s', (engine) => {
  let database: TestDatabase;
  let sipas: ReturnType<typeof cliFor>;
  beforeAll(async () => {
    database = await openTestDatabase(engine, { migrate: false });
    sipas = cliFor(engine, database.url);
    await sipas('units', 'import', example('units.csv'));
    await sipas('counters', 'import', example('counters.csv'));
    const campaign = ['campaign', 'create', 'P-2025', '--instrument', 'sipas-2017'];
    expect((await sipas(...campaign, '--from', '2025-01-01', '--to', '2025-12-31')).status).toBe(0);
  });
  afterAll(() => database.close());

  it('counts rows on stderr when it is a terminal', async () => {
    const args = ['--campaign', 'P-2025', example('responses.csv')];
    const imported = await sipas.onTerminal('responses', 'import', ...args);
    expect(imported).toMatchObject({ status: 0, stderr: '\rread 60 rows\n' });
    const exported = await sipas.onTerminal('responses', 'export', '--campaign', 'P-2025');
    expect(exported.stdout.trim().split('\n')).toHaveLength(61);
    expect(exported.stderr).toBe('\rwrote 60 rows\n');
  });

  it('says nothing more when stderr is not a terminal', async () => {
    const exported = await sipas('responses', 'export', '--campaign', 'P-2025');
    expect(exported.stdout.trim().split('\n')).toHaveLength(61);
    expect(exported.stderr).toBe('');
    const again = await sipas(
      'responses',
      'import',
      '--campaign',
      'P-2025',
      example('responses.csv'),
    );
    expect(again.stdout).toBe('stored 0, duplicates 60\n');
    expect(again.stderr).not.toMatch(/rows/);
  });
});
