// The assessment routes' status codes: 403 outside the role or the unit, 404 for what is not
// there, 409 for a move the state does not allow, 422 for bad input naming the field; never 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { FRAMEWORK, openAssessmentFixture, PERIOD } from '../../services/assessments.testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { day, jsonBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const x1 = `/api/v1/assessments/${FRAMEWORK}/${PERIOD}/T.H.X1`;

describe.each(engines)('assessment routes on %s', (engine) => {
  let f: RouteFixture;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    await openAssessmentFixture(f.database.db, day(30));
    const scoped = [
      ['x1', 'unit', 'T.H.X1'],
      ['x2', 'unit', 'T.H.X2'],
      ['district', 'appraiser', 'T.H'],
      ['analyst', 'analyst', 'T'],
      ['outsider', 'analyst', 'BRVT'],
    ] as const;
    for (const [name, role, unit] of scoped) {
      token[name] = await createApiToken(f.database.db, testActor, { role, unit });
    }
  }, 120_000);
  afterAll(() => f.database.close());

  const put = (path: string, as: string, body: unknown) =>
    f.request(path, { token: token[as] ?? f.tokens.admin, ...jsonBody(body, 'PUT') });
  const post = (path: string, as: string, body?: unknown) =>
    f.request(path, {
      token: token[as] ?? f.tokens.admin,
      ...(body === undefined ? { method: 'POST' } : jsonBody(body)),
    });

  it('reads, scores and submits as the unit; 403 for another unit, 404 for what is not there', async () => {
    const read = await f.request(x1, { token: token.x1 });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ state: 'draft', progress: { leaves: 3 } });
    expect((await f.request(x1, { token: token.outsider })).status).toBe(403);
    expect((await put(`${x1}/leaves/1.1`, 'x2', { selfScore: 5 })).status).toBe(403);
    expect((await put(`${x1}/leaves/1.1`, 'admin', { selfScore: 5 })).status).toBe(403);
    const unknownUnit = `/api/v1/assessments/${FRAMEWORK}/${PERIOD}/T.NOPE/leaves/1.1`;
    expect((await put(unknownUnit, 'x1', { selfScore: 5 })).status).toBe(404);
    const noRound = `/api/v1/assessments/${FRAMEWORK}/2030/T.H.X1/leaves/1.1`;
    expect((await put(noRound, 'x1', { selfScore: 5 })).status).toBe(404);
    const notAssessed = `/api/v1/assessments/${FRAMEWORK}/${PERIOD}/T.S`;
    expect((await f.request(notAssessed, { token: f.tokens.admin })).status).toBe(404);

    const low = await put(`${x1}/leaves/1.1`, 'x1', { selfScore: -1 });
    expect(low.status).toBe(422);
    expect(await low.json()).toMatchObject({ errors: [{ path: 'selfScore' }] });
    const word = await put(`${x1}/leaves/1.1`, 'x1', { selfScore: 'eight' });
    expect(word.status).toBe(422);
    const inner = await put(`${x1}/leaves/1.2`, 'x1', { selfScore: 1 });
    expect(inner.status).toBe(422);
    expect(await inner.json()).toMatchObject({ errors: [{ path: 'node' }] });

    // An appraisal of a draft is a state's refusal, not the district's.
    expect((await put(`${x1}/leaves/1.1/appraisal`, 'district', { score: 1 })).status).toBe(409);
    expect((await put(`${x1}/leaves/1.1/appraisal`, 'x1', { score: 1 })).status).toBe(403);

    for (const [node, selfScore] of [
      ['1.1', 0],
      ['1.2.1', 0],
      ['1.2.2', 0],
    ] as const) {
      expect((await put(`${x1}/leaves/${node}`, 'x1', { selfScore })).status).toBe(200);
    }
    const submitted = await post(`${x1}/submit`, 'x1');
    expect(submitted.status).toBe(200);
    expect(await submitted.json()).toMatchObject({ state: 'submitted', stageName: 'parent' });
    expect((await put(`${x1}/leaves/1.1`, 'x1', { selfScore: 1 })).status).toBe(409);
    expect((await post(`${x1}/submit`, 'x1')).status).toBe(409);

    const both = await post(`${x1}/return`, 'district', {
      comment: 'Bổ sung',
      leaves: [{ node: '1.1', comment: 'Bổ sung' }],
    });
    expect(both.status).toBe(422);
    const whole = await post(`${x1}/return`, 'district', { comment: 'Bổ sung hồ sơ' });
    expect(whole.status).toBe(200);
    expect(await whole.json()).toMatchObject({
      state: 'returned',
      leaves: { '1.1': { returned: true, returnComment: 'Bổ sung hồ sơ' } },
    });
    const queue = await f.request('/api/v1/assessments/queue', { token: token.district });
    expect(await queue.json()).toEqual({ assessments: [] });
    expect((await f.request('/api/v1/assessments/queue', { token: token.x1 })).status).toBe(403);
  });

  it('opens rounds as an admin and lists a round within the caller’s scope', async () => {
    const round = { framework: FRAMEWORK, period: '2026', peers: 'T.H', deadline: day(10) };
    expect((await post('/api/v1/assessments/rounds', 'analyst', round)).status).toBe(403);
    const opened = await post('/api/v1/assessments/rounds', 'admin', round);
    expect(opened.status).toBe(201);
    expect(await opened.json()).toEqual({
      ...round,
      stages: ['top'],
      units: ['T.H.X1', 'T.H.X2'],
    });
    expect((await post('/api/v1/assessments/rounds', 'admin', round)).status).toBe(409);
    const bad = await post('/api/v1/assessments/rounds', 'admin', {
      ...round,
      deadline: '2026-02-30',
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ errors: [{ path: 'deadline' }] });
    const missing = await post('/api/v1/assessments/rounds', 'admin', {
      ...round,
      framework: 'nope',
    });
    expect(missing.status).toBe(404);

    const list = await f.request(`/api/v1/assessments?framework=${FRAMEWORK}&period=${PERIOD}`, {
      token: token.x2,
    });
    expect(list.status).toBe(200);
    // A unit sees itself only.
    expect(await list.json()).toMatchObject({
      stages: ['parent', 'top'],
      units: [{ unit: 'T.H.X2', state: 'not-started', leaves: 3 }],
    });
    const all = await f.request(`/api/v1/assessments?framework=${FRAMEWORK}&period=${PERIOD}`, {
      token: token.analyst,
    });
    expect(((await all.json()) as { units: unknown[] }).units).toHaveLength(2);
    const noPeriod = await f.request(`/api/v1/assessments?framework=${FRAMEWORK}`, {
      token: token.analyst,
    });
    expect(noPeriod.status).toBe(422);
  });
});
