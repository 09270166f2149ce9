// Bad input everywhere: malformed JSON, wrong types, unknown fields, ill-formed text, deep
// nesting and huge bodies get a 4xx problem+json on every endpoint that takes a body, never a 500.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../db/database.ts';
import { engines } from '../../db/testing.ts';
import { createApiToken } from '../services/credentials.ts';
import { day, openRouteFixture, openSurvey, testActor, type RouteFixture } from './testing.ts';
import { validationHook } from './validation.ts';

/** Path parameters that exist in the fixture, so that a request reaches its validation. */
const existing: Record<string, string> = {
  unit: 'BRVT.STP',
  counter: 'BRVT.STP.Q1',
  campaign: 'OPEN',
  framework: 'par-2020-province',
  // Numeric ids, so that a body reaches its own validation (a plan, a task, a report).
  id: '1',
  taskId: '1',
  reportId: '1',
};

async function expectProblem(response: Response, statuses: number[], what: string) {
  expect(statuses, `${what}: ${response.status} ${await response.clone().text()}`).toContain(
    response.status,
  );
  expect(response.headers.get('content-type'), what).toBe('application/problem+json');
  const body = await response.json();
  expect(body, what).toMatchObject({ status: response.status });
  expect(typeof body.title, what).toBe('string');
  expect(typeof body.detail, what).toBe('string');
  return body;
}

/**
 * A request to send, and the roles its route documents (`Roles: …`), so that it goes with a
 * token the route lets in and reaches its validation; none for a public route.
 */
interface Operation {
  method: string;
  path: string;
  roles?: readonly string[];
}

describe.each(engines)('bad input on %s', (engine) => {
  let f: RouteFixture;
  let token: string;
  /** The survey of a counter whose campaign's instrument (sipas-2023) has a free-text item, YK. */
  let textToken: string;
  let jsonOperations: Operation[];
  /** A token of each role, scoped to the unit the paths name, for a route an admin may not call. */
  const tokenOf = new Map<string, string>();

  beforeAll(async () => {
    f = await openRouteFixture(engine, { SIPAS_RATE_LIMIT_DEVICE: '0', SIPAS_RATE_LIMIT_IP: '0' });
    token = await openSurvey(f.database.db, 'BRVT.STP.Q1');
    existing.token = token;
    textToken = await openSurvey(f.database.db, 'BRVT.SKHDT.Q1', {
      code: 'TEXT',
      instrument: 'sipas-2023',
    });
    const document = await (await f.request('/api/openapi.json')).json();
    jsonOperations = Object.entries<
      Record<string, { requestBody?: { content: object }; description?: string }>
    >(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.requestBody && 'application/json' in op.requestBody.content)
        .map(([method, op]) => ({
          method: method.toUpperCase(),
          path: path.replace(/\{([^}]+)\}/g, (_, name: string) => existing[name] ?? name),
          roles: /Roles: ([a-z]+(?:, [a-z]+)*)/.exec(op.description ?? '')?.[1]?.split(', '),
        })),
    );
    for (const { roles } of jsonOperations) {
      const role = roles?.[0] as Role | undefined;
      if (!role || roles?.includes('admin') || tokenOf.has(role)) continue;
      tokenOf.set(
        role,
        await createApiToken(f.database.db, testActor, { role, unit: existing.unit }),
      );
    }
  });
  afterAll(() => f.database.close());

  /** The admin's token where the route lets an admin in, else one of the route's first role. */
  const tokenFor = ({ roles }: Operation) =>
    (!roles || roles.includes('admin') ? undefined : tokenOf.get(roles[0] ?? '')) ?? f.tokens.admin;

  const send = (operation: Operation, body: BodyInit, headers = {}) =>
    f.request(operation.path, {
      method: operation.method,
      token: tokenFor(operation),
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });

  it('finds the endpoints that take JSON', () => {
    expect(jsonOperations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining([
        `POST /api/v1/s/${token}/responses`,
        'POST /api/v1/units',
        'PATCH /api/v1/counters/BRVT.STP.Q1',
        'POST /api/v1/campaigns',
        'PUT /api/v1/campaigns/OPEN/transactions',
        'POST /api/v1/campaigns/OPEN/responses',
        'POST /api/v1/quarantine/release',
        'POST /api/v1/par/par-2020-province/derive',
      ]),
    );
    expect(jsonOperations.length).toBeGreaterThanOrEqual(11);
    // A unit's own score is a unit account's alone: its bad bodies go with a unit's token.
    const leaf = jsonOperations.find((o) => o.method === 'PUT' && o.path.endsWith('/leaves/node'));
    expect(leaf?.roles).toEqual(['unit']);
    expect(tokenFor(leaf ?? { method: 'PUT', path: '' })).not.toBe(f.tokens.admin);
  });

  it('answers malformed JSON and a body that is not an object with 400', async () => {
    for (const operation of jsonOperations) {
      for (const body of ['{"code": ', '{]', '"text"', '[1, 2]', 'null', 'NaN']) {
        await expectProblem(await send(operation, body), [400], `${operation.path} ${body}`);
      }
    }
  });

  it('answers wrong types and unknown fields with 422 naming them', async () => {
    for (const operation of jsonOperations) {
      const what = `${operation.method} ${operation.path}`;
      const wrong = await send(operation, JSON.stringify({ code: 7, name: [], id: {}, ids: 'x' }));
      await expectProblem(wrong, [422], what);
      const unknown = await send(operation, JSON.stringify({ surprise: true }));
      const problem = await expectProblem(unknown, [422], what);
      // A record of counters takes any key, so its problem is the value, not an unknown key.
      if (!operation.path.endsWith('/transactions')) {
        expect(problem.errors, what).toContainEqual({
          path: 'surprise',
          message: 'unknown field',
        });
      }
    }
  });

  it('answers a huge body with 413, announced or not', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(2_000_000) });
    for (const operation of jsonOperations) {
      await expectProblem(await send(operation, huge), [413], operation.path);
      const streamed = await f.request(operation.path, {
        method: operation.method,
        token: tokenFor(operation),
        headers: { 'Content-Type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(huge));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      await expectProblem(streamed, [413], `${operation.path} (streamed)`);
    }
  });

  /** Rows of the tables a refused request must leave alone. */
  const rows = async () =>
    Promise.all(
      (['unit', 'counter', 'campaign', 'response'] as const).map(async (table) => {
        const row = await f.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        return Number(row.n);
      }),
    );

  /** Sends each body (JSON text, or a value to stringify) as the admin; expects 422 naming the field, and no row stored. */
  const expectRefused = async (
    cases: { what: string; method?: string; path: string; body: unknown; field: RegExp }[],
  ) => {
    for (const { what, method = 'POST', path, body, field } of cases) {
      const before = await rows();
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const response = await send({ method, path }, text);
      const problem = await expectProblem(response, [422], what);
      expect(
        problem.errors.map((e: { path: string }) => e.path),
        what,
      ).toEqual(expect.arrayContaining([expect.stringMatching(field)]));
      expect(await rows(), `${what}: rows changed`).toEqual(before);
    }
  };

  it('refuses ill-formed Unicode (a lone surrogate) with 422 naming the field', async () => {
    // PostgreSQL's jsonb and text refuse it (22P02), so that it used to be a 500 after the
    // survey's batch had failed, and a phone retried it for ever.
    const lone = 'x\ud800';
    const survey = `/api/v1/s/${textToken}/responses`;
    await expectRefused([
      {
        what: 'a free-text answer',
        path: survey,
        body: { id: randomUUID(), answers: { HL: 4, YK: lone } },
        field: /^answers\.YK$/,
      },
      {
        what: 'an item code',
        path: survey,
        body: { id: randomUUID(), answers: { HL: 4, [lone]: 1 } },
        field: /^answers\.x\uFFFD$/,
      },
      {
        what: 'a unit name',
        path: '/api/v1/units',
        body: { code: 'BRVT.NEW', name: lone, parent: 'BRVT' },
        field: /^name$/,
      },
      {
        what: 'a counter name',
        path: '/api/v1/counters',
        body: { code: 'BRVT.STP.Q9', unit: 'BRVT.STP', name: lone },
        field: /^name$/,
      },
      {
        what: 'a campaign name',
        path: '/api/v1/campaigns',
        body: {
          code: 'NEW',
          name: lone,
          instrument: 'sipas-2017',
          from: day(-1),
          to: day(1),
          counters: ['BRVT.CHAUDUC.Q1'],
        },
        field: /^name$/,
      },
      {
        what: "a paper form's number",
        path: '/api/v1/campaigns/TEXT/responses',
        body: {
          counter: 'BRVT.SKHDT.Q1',
          submittedAt: day(0),
          responseId: lone,
          answers: { HL: 4 },
        },
        field: /^responseId$/,
      },
    ]);
    // Well-formed text, a pair of surrogates among it, is stored.
    const accepted = await send(
      { method: 'POST', path: survey },
      JSON.stringify({ id: randomUUID(), answers: { HL: 4, YK: 'Tốt lắm 👍' } }),
    );
    expect(accepted.status).toBe(201);
  });

  it('refuses JSON nested deeper than 32 levels with 422, on a replay and a paper form too', async () => {
    // Too deep for JSON.stringify, so written out as text: 5,000 levels, 10 KB.
    const deep = `${'['.repeat(5_000)}4${']'.repeat(5_000)}`;
    const id = randomUUID();
    const path = `/api/v1/s/${token}/responses`;
    const stored = await send({ method: 'POST', path }, JSON.stringify({ id, answers: { HL: 4 } }));
    expect(stored.status).toBe(201);
    await expectRefused([
      {
        what: 'a submission',
        path,
        body: `{"id":"${randomUUID()}","answers":{"HL":4,"TC1":${deep}}}`,
        field: /^answers\.TC1(\.0)+$/,
      },
      {
        what: 'a replay',
        path,
        body: `{"id":"${id}","answers":{"HL":${deep}}}`,
        field: /^answers\.HL(\.0)+$/,
      },
      {
        what: 'a paper form',
        path: '/api/v1/campaigns/OPEN/responses',
        body: `{"counter":"BRVT.STP.Q1","submittedAt":"${day(0)}","answers":{"TC1":${deep}}}`,
        field: /^answers\.TC1(\.0)+$/,
      },
    ]);
    // A form's own nesting (a multi-choice answer, a list in a campaign) is far from the limit.
    const nested = { id: randomUUID(), answers: { HL: 4, MD: [1, 2] } };
    expect((await send({ method: 'POST', path }, JSON.stringify(nested))).status).toBe(201);
  });

  it('answers bad path and query parameters of the public survey with 4xx, never 500', async () => {
    for (const path of [
      '/api/v1/s/%00',
      `/api/v1/s/${'x'.repeat(5000)}`,
      '/api/v1/s/..%2F..%2Fetc',
      '/api/v1/s/%E0%A4%A',
    ]) {
      const response = await f.request(path);
      await expectProblem(response, [400, 404, 422], path);
    }
  });

  it('never answers a submission with a 5xx, whatever the JSON', async () => {
    const path = `/api/v1/s/${token}/responses`;
    const submission = fc.record(
      {
        id: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
        answers: fc.oneof(
          fc.dictionary(
            fc.constantFrom('TC1', 'PAQ', 'PA2', 'MD', 'HL', 'XX', '__proto__'),
            fc.oneof(
              fc.integer({ min: -2, max: 7 }),
              fc.constant(null),
              fc.string(),
              fc.array(fc.integer({ min: 0, max: 16 })),
            ),
          ),
          fc.jsonValue(),
        ),
        startedAt: fc.oneof(
          fc.string(),
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        ),
        website: fc.oneof(fc.string(), fc.boolean()),
        other: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(submission, fc.jsonValue()), async (body) => {
        const response = await f.request(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body) ?? '',
        });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers.get('content-type')).toBe('application/problem+json');
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the validation hook', () => {
  it('refuses ill-formed text in a query too, naming the parameter, valid or not', () => {
    // A URL cannot carry a lone surrogate (its UTF-8 does not decode), so no request shows it.
    const refusal = (run: () => void) => {
      try {
        run();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const valid = refusal(() =>
      validationHook({ target: 'query', success: true, data: { unit: 'x\ud800' } }),
    );
    expect(valid).toMatchObject({ code: 'invalid', errors: [{ path: 'unit' }] });
    const parsed = z.strictObject({ n: z.number() }).safeParse({ n: 'x', unit: '\udc00' });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const invalid = refusal(() =>
      validationHook({
        target: 'query',
        success: false,
        error: parsed.error,
        // The input, as @hono/zod-validator passes it beside a failure.
        ...{ data: { n: 'x', unit: '\udc00' } },
      }),
    );
    expect(invalid).toMatchObject({ code: 'invalid' });
    expect(invalid).toHaveProperty(
      'errors',
      expect.arrayContaining([
        expect.objectContaining({
          path: 'unit',
          message: { vi: expect.stringMatching(/Unicode/), en: 'not well-formed Unicode' },
        }),
      ]),
    );
  });
});
