// Hostile input, generated (fast-check): random and adversarial bodies, encodings, sizes and
// field values against the public survey endpoint, every route of the OpenAPI document (with
// an admin token, the widest reach) and the CSV imports. Properties: never a 5xx, every error
// problem+json, never an uncaught exception, and a refused request (4xx) changes no row of any
// table. SIPAS_FUZZ_RUNS sets the cases (40 unless set, as in CI; 200 explores far more, in some
// minutes). A failure prints fast-check's seed and path: pass them to fc.assert to replay it.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { day, openRouteFixture, testActor, type RouteFixture } from '../api/routes/testing.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';
import { issueCounterToken } from '../api/services/credentials.ts';
import { engines } from '../db/testing.ts';

const RUNS = z.coerce
  .number()
  .int()
  .positive()
  .default(40)
  .parse(process.env.SIPAS_FUZZ_RUNS || undefined);
/** Some 70 routes × the runs: 40 take some seconds a route, 200 some minutes in all. */
const ROUTE_TIMEOUT = Math.max(60_000, RUNS * 1_500);
/** Scoring's own cache (the tallies and their folds' snapshots): written by reads. */
const DERIVED_TABLES = new Set(['response_tally', 'tally_fold']);

const itemCodes = ['TC1', 'TC2', 'TT1', 'CC6', 'KQ3', 'PA1', 'PA2', 'PAQ', 'HL', 'MD', 'SEX'];
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\uFEFF',
  '\uD800',
  '💥',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '=1+1',
  'NaN',
  '1e309',
  '-0',
  '9'.repeat(40),
  'x'.repeat(70_000),
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  nasty,
);
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 20 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  text,
  fc.bigInt().map(String),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 5 }),
  fc.dictionary(text, scalar, { maxKeys: 3 }),
);

/** Lone surrogates replaced: what a URL can carry at all. */
const wellFormed = (t: string) =>
  t.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** A path segment: any text, well-formed and escaped, or raw broken escapes. */
const segment = (samples: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...samples).map(encodeURIComponent) },
    { weight: 3, arbitrary: text.map((t) => encodeURIComponent(wellFormed(t))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%E0%A4%A', '%zz', '..%2F..', '%2e%2e', '%C0%AF', '%00'),
    },
  );

/** A submission near the contract, each field sometimes wrong. */
const submission = fc.record(
  {
    id: fc.oneof(
      fc.uuid().map((u) => u),
      text,
      scalar,
    ),
    answers: fc.oneof(
      fc.dictionary(fc.oneof(fc.constantFrom(...itemCodes), text), value, { maxKeys: 8 }),
      value,
    ),
    startedAt: fc.oneof(
      fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
      text,
    ),
    submittedAt: fc.oneof(
      fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
      text,
    ),
    device: text,
    lang: fc.oneof(fc.constantFrom('vi', 'en', 'vi-VN'), text),
    website: fc.oneof(fc.constant(''), text),
    extra: value,
  },
  { requiredKeys: [] },
);

/** A submission within the contract, so that the deep end (storing) is reached too. */
const wellFormedSubmission = fc.record(
  {
    id: fc.uuid(),
    answers: fc.dictionary(
      fc.constantFrom('TC1', 'TC2', 'TT1', 'CC6', 'KQ3', 'PA1', 'HL'),
      fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(null)),
      { minKeys: 1 },
    ),
    device: fc.string({ minLength: 1, maxLength: 40 }),
    lang: fc.constantFrom('vi', 'en'),
    website: fc.constant(''),
  },
  { requiredKeys: ['id', 'answers'] },
);

/** A body: JSON of a submission or of anything, raw text or bytes, sometimes huge. */
const body = fc.oneof(
  { weight: 3, arbitrary: wellFormedSubmission.map((s) => JSON.stringify(s)) },
  { weight: 5, arbitrary: submission.map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constant(`{"id":"${'a'.repeat(70_000)}"}`) },
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  undefined,
);

describe.each(engines)('hostile input on %s', (engine) => {
  let f: RouteFixture;
  let survey: string;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  /** Rows in every table but scoring's cache: one statement. */
  let tables: string[] = [];
  const rowCounts = async () => {
    const counts = tables.map((t) => sql`(select count(*) from ${sql.table(t)})`);
    const { rows } = await sql<{ counts: number[] }>`
      select array[${sql.join(counts)}]::int8[] as counts`.execute(f.database.db);
    return rows[0]?.counts.join(',') ?? '';
  };

  /**
   * The rows after the last checked request: the next one's rows before, as nothing writes
   * between two checks here (a write in between would fail the check, never hide a change);
   * unset after a request sent otherwise. Counting once a request rather than twice.
   */
  let counted: string | undefined;

  /**
   * Sends the request; checks no 5xx, problem+json errors (or an HTML page where the route
   * documents one for that status, as the single sign-on's callback does for the browser), and
   * no rows from a refusal.
   */
  const check = async (
    path: string,
    init: RequestInit & { token?: string },
    htmlStatuses: readonly number[] = [],
  ) => {
    const before = counted ?? (await rowCounts());
    const response = await f.request(path, init);
    const type = response.headers.get('content-type');
    await response.arrayBuffer();
    const after = await rowCounts();
    counted = after;
    const where = `${init.method ?? 'GET'} ${path.slice(0, 120)}`;
    expect(response.status, where).toBeLessThan(500);
    if (response.status >= 400) {
      if (htmlStatuses.includes(response.status)) expect(type, where).toMatch(/^text\/html\b/);
      else expect(type, where).toBe('application/problem+json');
      expect(after, `${where}: rows changed on ${response.status}`).toBe(before);
    }
    return response.status;
  };

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    f = await openRouteFixture(engine, { SIPAS_RATE_LIMIT_DEVICE: '2', SIPAS_RATE_LIMIT_IP: '0' });
    await createCampaign(f.database.db, testActor, {
      code: 'FUZZ',
      instrument: 'sipas-2017',
      from: day(-5),
      to: day(5),
      counters: ['BRVT.SKHDT.Q1', 'BRVT.STP.Q1'],
    });
    survey = await issueCounterToken(f.database.db, testActor, 'BRVT.SKHDT.Q1');
    const { rows } = await sql<{ name: string }>`
      select tablename as name from pg_tables
      where schemaname = current_schema() and tablename not like 'kysely\\_%' order by 1
    `.execute(f.database.db);
    tables = rows.map((r) => r.name).filter((t) => !DERIVED_TABLES.has(t));
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await f.database.close();
  });

  it('the survey endpoint answers any body with a final reply, storing only what it accepts', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        body,
        contentType,
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(survey) },
          { weight: 1, arbitrary: segment(['x']) },
        ),
        async (payload, type, token) => {
          const headers = type ? { 'Content-Type': type } : undefined;
          const status = await check(`/api/v1/s/${token}/responses`, {
            method: 'POST',
            headers,
            body: payload,
          });
          statuses.add(status);
          expect([200, 201, 400, 404, 409, 410, 413, 415, 422]).toContain(status);
        },
      ),
      { numRuns: RUNS * 3 },
    );
    // The generators reach the deep end too: stored answers, not only refusals.
    expect(statuses).toContain(201);
    expect(statuses).toContain(422);
    expect(uncaught).toEqual([]);
  });

  it('stores a submission once whatever is replayed, and never a refused one', async () => {
    const answers = fc.dictionary(
      fc.constantFrom('TC1', 'TC2', 'HL', 'PAQ'),
      fc.integer({ min: 0, max: 6 }),
      {
        minKeys: 1,
      },
    );
    await fc.assert(
      fc.asyncProperty(answers, fc.array(answers, { maxLength: 3 }), async (first, replays) => {
        const id = randomUUID();
        const statuses = [];
        for (const a of [first, ...replays, first]) {
          statuses.push(
            await check(`/api/v1/s/${survey}/responses`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ id, answers: { PAQ: 0, ...a } }),
            }),
          );
        }
        const stored = await f.database.db
          .selectFrom('response')
          .select('id')
          .where('online_id', '=', id)
          .execute();
        const created = statuses.filter((status) => status === 201).length;
        expect(created).toBeLessThanOrEqual(1);
        expect(stored).toHaveLength(created);
        // Once stored, the same content is a replay (200) and other content a conflict (409).
        const later = statuses.slice(statuses.indexOf(201) + 1);
        if (created) expect(later.every((status) => status === 200 || status === 409)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it(
    'every documented route answers random parameters, queries and bodies without a 5xx',
    async () => {
      const document: unknown = await (await f.request('/api/openapi.json')).json();
      const paths = Object.entries(Object(Reflect.get(Object(document), 'paths')));
      const operations = paths.flatMap(([path, ops]) =>
        Object.entries(Object(ops)).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          // The error statuses the route documents as an HTML page rather than problem+json.
          html: Object.entries(Object(Reflect.get(Object(operation), 'responses')))
            .filter(([, reply]) => 'text/html' in Object(Reflect.get(Object(reply), 'content')))
            .map(([status]) => Number(status)),
        })),
      );
      // The single sign-on's callback answers the browser an HTML page, its refusals included.
      expect(operations.find((o) => o.path === '/api/v1/session/oidc/callback')?.html).toEqual([
        400, 401, 403, 404, 503,
      ]);
      expect(operations.length).toBeGreaterThan(40);
      const samples: Record<string, string[]> = {
        token: [survey],
        unit: ['BRVT', 'BRVT.SKHDT', 'BRVT.STP'],
        counter: ['BRVT.SKHDT.Q1', 'BRVT.STP.Q1'],
        campaign: ['FUZZ'],
        framework: ['par-2020-province'],
        instrument: ['sipas-2017', 'sipas-2023'],
      };
      const csvText = fc
        .array(
          fc.array(
            fc.oneof(
              text,
              fc.constantFrom('unit', 'counter', 'BRVT.SKHDT', 'FUZZ', day(), '4', ''),
            ),
            { maxLength: 6 },
          ),
          {
            maxLength: 6,
          },
        )
        .map((rows) =>
          rows
            .map((r) =>
              r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','),
            )
            .join('\n'),
        );
      for (const { method, path, html } of operations) {
        const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
        await fc.assert(
          fc.asyncProperty(
            fc.tuple(...params.map((p) => segment(samples[p] ?? ['x']))),
            fc.dictionary(
              fc.oneof(
                fc.constantFrom(
                  'by',
                  'design',
                  'format',
                  'with',
                  'unit',
                  'period',
                  'peers',
                  'top',
                  'token',
                  'dryRun',
                  'ignoreUnknown',
                  'includeQuarantined',
                ),
                text,
              ),
              fc.oneof(
                text,
                fc.constantFrom(
                  'all',
                  'unit',
                  'counter',
                  'csv',
                  'xlsx',
                  'json',
                  'stratified',
                  'true',
                  '2025',
                  'BRVT.SKHDT',
                  'FUZZ',
                ),
              ),
            ),
            fc.oneof(body, csvText),
            contentType,
            async (values, query, payload, type) => {
              let url = path;
              params.forEach((p, i) => {
                url = url.replace(`{${p}}`, values[i] ?? '');
              });
              const search = new URLSearchParams(
                Object.entries(query).map(([k, v]) => [wellFormed(k), wellFormed(v)]),
              ).toString();
              const init: RequestInit & { token?: string } = { method, token: f.tokens.admin };
              if (method !== 'GET' && method !== 'DELETE') {
                init.body = payload;
                if (type) init.headers = { 'Content-Type': type };
              }
              await check(search ? `${url}?${search}` : url, init, html);
            },
          ),
          { numRuns: Math.ceil(RUNS / 4) },
        );
      }
      expect(uncaught).toEqual([]);
    },
    ROUTE_TIMEOUT,
  );

  it('the CSV imports store all of a file or none of it', async () => {
    const cell = fc.oneof(
      fc.constantFrom(
        'BRVT.SKHDT.Q1',
        'BRVT.STP.Q1',
        'BRVT.CHAUDUC.Q1',
        'NOPE',
        day(),
        day(-30),
        '2025-13-45',
        'paper',
        'qr',
        'fax',
        '1',
        '4',
        '5',
        '9',
        '',
        'x',
        '1;2',
        '-1',
      ),
      text,
    );
    const header = fc.shuffledSubarray(
      [
        'response_id',
        'counter',
        'submitted_at',
        'mode',
        'service_area',
        'TC1',
        'TC2',
        'PAQ',
        'PA2',
        'HL',
        'MD',
        'XX',
      ],
      { minLength: 1 },
    );
    const file = fc
      .tuple(
        header,
        fc.array(fc.array(cell, { minLength: 0, maxLength: 14 }), { maxLength: 8 }),
        fc.constantFrom('', '\uFEFF'),
        fc.constantFrom('\n', '\r\n'),
      )
      .map(
        ([columns, rows, bom, eol]) =>
          bom +
          [columns, ...rows.map((r) => r.slice(0, columns.length))]
            .map((r) =>
              r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','),
            )
            .join(eol),
      );
    const outcomes = new Set<number>();
    await fc.assert(
      fc.asyncProperty(file, fc.boolean(), async (csv, dryRun) => {
        const before = await f.database.db
          .selectFrom('response')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const path = `/api/v1/campaigns/FUZZ/responses/import${dryRun ? '?dryRun=true' : ''}`;
        const response = await f.request(path, {
          method: 'POST',
          token: f.tokens.admin,
          headers: { 'Content-Type': 'text/csv' },
          body: csv,
        });
        counted = undefined;
        const reply: unknown = await response.json();
        outcomes.add(response.status);
        expect(response.status).toBeLessThan(500);
        const after = await f.database.db
          .selectFrom('response')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const stored =
          response.status === 200 && !dryRun ? Number(Reflect.get(Object(reply), 'stored')) : 0;
        expect(Number(after.n) - Number(before.n)).toBe(stored);
      }),
      { numRuns: RUNS },
    );
    expect(outcomes).toContain(422);
    for (const [path, columns] of [
      ['/api/v1/units/import', ['unit', 'name', 'parent']],
      ['/api/v1/counters/import', ['counter', 'unit', 'name']],
      ['/api/v1/campaigns/FUZZ/transactions/import', ['counter', 'transactions']],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 5 }),
          async (rows) => {
            const csv = [columns, ...rows]
              .map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))
              .join('\n');
            await check(path, {
              method: 'POST',
              token: f.tokens.admin,
              headers: { 'Content-Type': 'text/csv' },
              body: csv,
            });
          },
        ),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    }
    expect(uncaught).toEqual([]);
  });
});
