// The dated organisation over HTTP and at the command line: a unit on a day, a code's history,
// and a campaign's scores on the map of another day (`?on=`, `--on`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../../db/testing.ts';
import { cliFor } from '../../cli/testing.ts';
import { createApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { createApiToken } from '../../services/credentials.ts';
import { operator } from '../../services/access.ts';
import { AFTER, D, openMapAfter, openMapBefore } from '../../services/reorganised.testing.ts';

describe.each(engines)('units over time through the API on %s', (engine) => {
  let database: TestDatabase;
  let request: (path: string) => Promise<Response>;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    await openMapBefore(database.db);
    await openMapAfter(database.db);
    const app = createApp({ connection: database, config: loadConfig({}) });
    const token = await createApiToken(database.db, operator('test'), { role: 'analyst' });
    request = async (path) => app.request(path, { headers: { Authorization: `Bearer ${token}` } });
  });
  afterAll(() => database.close());

  it('shows a unit on a day and a code’s history', async () => {
    const before = await request('/api/v1/units/E/on/2025-06-30');
    expect(before.status).toBe(200);
    expect(await before.json()).toMatchObject({ code: 'E', parent: { code: 'P' } });
    const after = await request(`/api/v1/units/E/on/${D}`);
    expect(await after.json()).toMatchObject({ parent: { code: 'Q' } });
    expect((await request(`/api/v1/units/A/on/${D}`)).status).toBe(404);
    expect((await request('/api/v1/units/A/on/2025-13-01')).status).toBe(422);
    const history = await request('/api/v1/units/D/history');
    expect(await history.json()).toMatchObject({
      code: 'D',
      units: [{ validTo: D, successors: [{ code: 'DD', share: 1, on: D }] }],
    });
  });

  it('lists the units of the latest map, or of the map of a day', async () => {
    const listed = async (query: string) =>
      (
        (await (await request(`/api/v1/units${query}`)).json()) as {
          code: string;
          parent: string;
        }[]
      )
        .map((unit) => `${unit.code}<${unit.parent ?? ''}`)
        .join(' ');
    const after = 'AB<P C1<P C2<P DD<P E<Q F<Q P< Q<';
    expect(await listed('')).toBe(after);
    expect(await listed(`?on=${D}`)).toBe(after);
    expect(await listed('?on=2025-06-30')).toBe('A<P B<P C<P D<P E<P F<Q P< Q<');
    const refused = await request('/api/v1/units?on=2025-02-30');
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ errors: [{ path: 'on' }] });
  });

  it('scores on the map of the day asked for', async () => {
    const on = await request(`/api/v1/campaigns/K-2024/scores?by=unit&on=${D}`);
    expect(on.status).toBe(200);
    const { groups } = (await on.json()) as {
      groups: { key: { unit?: string }; respondents: number }[];
    };
    expect(
      Object.fromEntries(groups.flatMap((g) => (g.key.unit ? [[g.key.unit, g.respondents]] : []))),
    ).toEqual(AFTER);
    expect((await request('/api/v1/campaigns/K-2024/scores?by=unit&on=1.7.2025')).status).toBe(422);
  });

  // The command opens the database itself: the test's in-memory PGlite is out of its reach.
  it.skipIf(engine !== 'postgres')('answers the same at the command line', async () => {
    const sipas = cliFor(engine, database.url);
    const shown = await sipas('units', 'show', 'E', '--on', D);
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ code: 'E', parent: { code: 'Q' } });
    const history = await sipas('units', 'history', 'C');
    expect(JSON.parse(history.stdout)).toMatchObject({
      units: [{ successors: [{ code: 'C1' }, { code: 'C2' }] }],
    });
    const scores = await sipas(
      'scores',
      '--campaign',
      'K-2024',
      '--by',
      'unit',
      '--on',
      D,
      '--format',
      'csv',
    );
    expect(scores.status).toBe(0);
    expect(scores.stdout).toContain('unit:AB,');
    const bad = await sipas('scores', '--campaign', 'K-2024', '--by', 'unit', '--on', 'soon');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('soon is not a date YYYY-MM-DD');
  });
});
