import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import type { CliContext, Command } from '../../cli/command.ts';
import { compare, scores } from '../../cli/commands/scores.ts';
import { localFiles } from '../../cli/commands/input.ts';
import { createCampaign } from '../../services/campaigns/index.ts';
import { createApiToken } from '../../services/credentials.ts';
import { openExampleCampaign } from '../../services/examples.testing.ts';
import { enterResponse } from '../../services/responses.ts';
import { differences, expectedScores } from '../../services/scores.testing.ts';
import { openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

/** What `sipas <command> --format json` prints, run in this process on the same database. */
async function commandJson(f: RouteFixture, command: Command, values: Record<string, string>) {
  let out = '';
  const sink = (write: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        write(chunk.toString());
        done();
      },
    });
  const context: CliContext = {
    db: async () => f.database.db,
    readDb: async () => f.database.db,
    principal: testActor,
    reports: { reorganisedBelow: 0.8 },
    stdin: Readable.from([]),
    stdout: sink((text) => (out += text)),
    stderr: sink(() => {}),
    interactive: false,
    files: localFiles,
  };
  await command.run(context, { values: { ...values, format: 'json' }, positionals: [] });
  return JSON.parse(out);
}

describe.each(engines)('scores on %s', (engine) => {
  let f: RouteFixture;
  const tokens = { analyst: '', stpAnalyst: '', surveyor: '' };

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    await openExampleCampaign(f.database.db);
    const db = f.database.db;
    tokens.analyst = await createApiToken(db, testActor, { role: 'analyst', unit: 'BRVT' });
    tokens.stpAnalyst = await createApiToken(db, testActor, { role: 'analyst', unit: 'BRVT.STP' });
    tokens.surveyor = await createApiToken(db, testActor, { role: 'surveyor' });
  });
  afterAll(() => f.database.close());

  it.each(['srs', 'stratified'] as const)(
    'returns what `sipas scores` returns, and R’s figures (%s)',
    async (design) => {
      const groups = [];
      for (const by of ['all', 'unit', 'counter'] as const) {
        const response = await f.request(
          `/api/v1/campaigns/BRVT-2025/scores?by=${by}&design=${design}`,
          { token: tokens.analyst },
        );
        expect(response.status).toBe(200);
        const document = await response.json();
        expect(document).toEqual(
          await commandJson(f, scores, { campaign: 'BRVT-2025', by, design }),
        );
        expect(document).toMatchObject({
          campaign: 'BRVT-2025',
          instrument: 'sipas-2017',
          rules: { design, satisfied: [4, 5], confidence: 0.95 },
        });
        groups.push(...document.groups);
      }
      expect(differences(groups, expectedScores[design])).toEqual([]);
    },
  );

  it("uses the campaign's design and one group unless asked", async () => {
    const response = await f.request('/api/v1/campaigns/BRVT-2025/scores', {
      token: tokens.analyst,
    });
    const document = await response.json();
    expect(document.rules.design).toBe('srs');
    expect(differences(document.groups, expectedScores.srs.slice(0, 1))).toEqual([]);
  });

  it('gives the CSV form of interchange §5 as CSV and as XLSX', async () => {
    const path = '/api/v1/campaigns/BRVT-2025/scores?by=counter&design=stratified';
    const response = await f.request(`${path}&format=csv`, { token: tokens.analyst });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="BRVT-2025-scores.csv"',
    );
    const rows = (await response.text()).trim().split('\n');
    expect(rows[0]).toBe(
      'group,level,code,valid,satisfied,index,se,ci_low,ci_high,' +
        'name,respondents,modes,transactions,response_rate,group_flags,flags,rules',
    );
    const stp = expectedScores.stratified.find(
      (g) => 'counter' in g.key && g.key.counter === 'BRVT.STP.Q1',
    );
    const sipas = rows.find((row) => row.startsWith('counter:BRVT.STP.Q1,sipas,'))?.split(',');
    expect(Number(sipas?.[5])).toBeCloseTo(stp?.sipas.index ?? NaN, 9);
    expect(Number(sipas?.[6])).toBeCloseTo(stp?.sipas.se ?? NaN, 9);
    // 3 counters × (22 criteria and HL + 5 factors + SIPAS) and the header.
    expect(rows).toHaveLength(3 * 29 + 1);

    const xlsx = await f.request(`${path}&format=xlsx`, { token: tokens.analyst });
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
  });

  it('gives the league view as `sipas scores --view league`: the same groups without items and factors', async () => {
    for (const by of ['all', 'unit', 'counter'] as const) {
      const path = `/api/v1/campaigns/BRVT-2025/scores?by=${by}&design=stratified`;
      const full = await (await f.request(path, { token: tokens.analyst })).json();
      const response = await f.request(`${path}&view=league`, { token: tokens.analyst });
      expect(response.status).toBe(200);
      const league = await response.json();
      expect(league).toEqual(
        await commandJson(f, scores, {
          campaign: 'BRVT-2025',
          by,
          design: 'stratified',
          view: 'league',
        }),
      );
      expect(league).toEqual({
        ...full,
        view: 'league',
        groups: full.groups.map(
          ({ items, factors, ...group }: { items: object; factors: object }) => {
            expect(Object.keys(items).length * Object.keys(factors).length).toBeGreaterThan(0);
            return group;
          },
        ),
      });
    }
    // Its CSV form has the SIPAS rows alone, with the same columns.
    const csv = await f.request(
      '/api/v1/campaigns/BRVT-2025/scores?by=counter&view=league&format=csv',
      { token: tokens.analyst },
    );
    const rows = (await csv.text()).trim().split('\n');
    expect(rows.map((row) => row.split(',').slice(0, 3).join(','))).toEqual([
      'group,level,code',
      'counter:BRVT.CHAUDUC.Q1,sipas,SIPAS',
      'counter:BRVT.SKHDT.Q1,sipas,SIPAS',
      'counter:BRVT.STP.Q1,sipas,SIPAS',
    ]);
    const bad = await f.request('/api/v1/campaigns/BRVT-2025/scores?view=brief', {
      token: tokens.analyst,
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual(['view']);
  });

  it('compares two campaigns as `sipas compare` does', async () => {
    const response = await f.request('/api/v1/campaigns/BRVT-2025/compare?with=BRVT-2025&by=unit', {
      token: tokens.analyst,
    });
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document).toEqual(
      await commandJson(f, compare, { campaign: 'BRVT-2025', with: 'BRVT-2025', by: 'unit' }),
    );
    expect(document.groups[0].sipas.change).toBe(0);
  });

  it('answers 422 for a bad query or a stratified design it cannot serve, 403 outside reach', async () => {
    const bad = await f.request('/api/v1/campaigns/BRVT-2025/scores?by=province&design=cluster', {
      token: tokens.analyst,
    });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'by',
      'design',
    ]);
    // A misspelt parameter is not silently ignored.
    const misspelt = await f.request('/api/v1/campaigns/BRVT-2025/scores?desing=stratified', {
      token: tokens.analyst,
    });
    expect(misspelt.status).toBe(422);
    expect((await misspelt.json()).errors).toEqual([{ path: 'desing', message: 'unknown field' }]);

    await createCampaign(f.database.db, testActor, {
      code: 'NO-VOLUME',
      instrument: 'sipas-2017',
      from: '2026-01-01',
      to: '2026-12-31',
      counters: ['BRVT.STP.Q1'],
    });
    await enterResponse(f.database.db, testActor, 'NO-VOLUME', {
      counter: 'BRVT.STP.Q1',
      submittedAt: '2026-02-01',
      answers: { TC1: 4 },
    });
    const stratified = await f.request('/api/v1/campaigns/NO-VOLUME/scores?design=stratified', {
      token: tokens.analyst,
    });
    expect(stratified.status).toBe(422);
    expect((await stratified.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'counters.BRVT.STP.Q1',
    ]);

    const part = await f.request('/api/v1/campaigns/BRVT-2025/scores', {
      token: tokens.stpAnalyst,
    });
    expect(part.status).toBe(200);
    expect((await part.json()).scope).toEqual({ unit: 'BRVT.STP', counters: ['BRVT.STP.Q1'] });
    expect(
      (await f.request('/api/v1/campaigns/NO-VOLUME/scores', { token: tokens.stpAnalyst })).status,
    ).toBe(200);
    expect(
      (await f.request('/api/v1/campaigns/BRVT-2025/scores', { token: tokens.surveyor })).status,
    ).toBe(403);
    expect(
      (await f.request('/api/v1/campaigns/NOPE/scores', { token: tokens.analyst })).status,
    ).toBe(404);
  });
});
