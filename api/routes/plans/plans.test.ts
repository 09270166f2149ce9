// Remediation plans over HTTP on real engines: "today" is Vietnam's day of the app's clock, a
// mutation answers the whole plan (201 on create), a report's file downloads with the headers
// of an evidence file, and the roll-up is not taken for a plan's id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../db/testing.ts';
import { createApp } from '../../app.ts';
import { frameworkCsv } from '../../services/assessments.testing.ts';
import { createApiToken } from '../../services/credentials.ts';
import { pdfFile } from '../../services/evidence.testing.ts';
import {
  DOCX_TYPE,
  readTasksXlsx,
  tasksXlsx,
  type TaskTableRow,
} from '../../services/plan-documents/index.ts';
import { XLSX_TYPE } from '../../services/spreadsheet.ts';
import { importFrameworkTree } from '../../services/frameworks.ts';
import { proposedTask, seedPlan } from '../../services/plans.testing.ts';
import { jsonBody, openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

describe.each(engines)('plans over HTTP on %s', (engine) => {
  let f: RouteFixture;
  let app: ReturnType<typeof createApp>;
  let unitToken: string;
  let appraiserToken: string;
  let plan: number;
  /** 31 March 2026, 17:30 UTC: already 1 April, 00:30, in Vietnam. */
  const now = new Date('2026-03-31T17:30:00Z');

  const request = (path: string, token: string, init: RequestInit = {}) =>
    app.request(path, {
      ...init,
      headers: { ...(init.headers ?? {}), Authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const { db } = f.database;
    app = createApp({ connection: f.database, config: f.config, now: () => now });
    await importFrameworkTree(db, testActor, { code: 't-assess' }, frameworkCsv());
    plan = await seedPlan(db, testActor, 'BRVT.SKHDT', [proposedTask('Rà soát', '2026-03-31')]);
    unitToken = await createApiToken(db, testActor, { role: 'unit', unit: 'BRVT.SKHDT' });
    appraiserToken = await createApiToken(db, testActor, { role: 'appraiser', unit: 'BRVT' });
  });
  afterAll(() => f.database.close());

  it('computes overdue for the Vietnam day of the injected clock', async () => {
    const response = await request(`/api/v1/plans/${plan}`, appraiserToken);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.today).toBe('2026-04-01');
    expect(body.tasks[0]).toMatchObject({ deadline: '2026-03-31', overdue: true });
  });

  it('answers a task added with 201 and the whole plan; an appraiser is refused', async () => {
    const task = proposedTask('Tập huấn', '2026-06-30');
    const refused = await request(`/api/v1/plans/${plan}/tasks`, appraiserToken, jsonBody(task));
    expect(refused.status).toBe(403);
    const response = await request(`/api/v1/plans/${plan}/tasks`, unitToken, jsonBody(task));
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(
      body.tasks.map((t: { position: number; content: string }) => [t.position, t.content]),
    ).toEqual([
      [1, 'Rà soát'],
      [2, 'Tập huấn'],
    ]);
    const bad = await request(
      `/api/v1/plans/${plan}/tasks`,
      unitToken,
      jsonBody({ ...task, deadline: '30/06/2026' }),
    );
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path)).toEqual(['deadline']);
  });

  it('serves a report’s file with the evidence download headers', async () => {
    const first = (await (await request(`/api/v1/plans/${plan}`, unitToken)).json()).tasks[0];
    const reported = await request(
      `/api/v1/plans/${plan}/tasks/${first.id}/reports`,
      unitToken,
      jsonBody({ on: '2026-04-01', text: 'Đã rà soát' }),
    );
    expect(reported.status).toBe(201);
    const report = (await reported.json()).tasks[0].reports[0].id;
    const uploaded = await request(
      `/api/v1/plans/${plan}/reports/${report}/files?name=${encodeURIComponent('Báo cáo.pdf')}`,
      unitToken,
      { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: pdfFile() },
    );
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()).tasks[0].reports[0].files[0].id;
    const download = await request(`/api/v1/plan-files/${file}`, appraiserToken);
    expect(download.status).toBe(200);
    expect(Object.fromEntries(download.headers)).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="Bao cao.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private, no-store',
    });
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdfFile());
    const removed = await request(`/api/v1/plan-files/${file}`, unitToken, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect((await request(`/api/v1/plan-files/${file}`, unitToken)).status).toBe(410);
  });

  it('exports the task table and imports it edited, all or nothing', async () => {
    const exported = await request(`/api/v1/plans/${plan}/tasks.xlsx`, appraiserToken);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe(XLSX_TYPE);
    const rows = await readTasksXlsx(new Uint8Array(await exported.arrayBuffer()));
    expect(rows.map((row) => row.content)).toEqual(['Rà soát', 'Tập huấn']);
    const put = (body: Uint8Array, token = unitToken) =>
      request(`/api/v1/plans/${plan}/tasks`, token, {
        method: 'PUT',
        headers: { 'Content-Type': XLSX_TYPE },
        body: new Uint8Array(body),
      });
    // A row naming a task of no plan: refused, nothing changed; an appraiser may not import.
    const stranger: TaskTableRow[] = [{ ...proposedTask('Lạ', null), id: 9999 }];
    const foreign = await tasksXlsx({ tasks: stranger });
    expect((await put(foreign, appraiserToken)).status).toBe(403);
    const refused = await put(foreign);
    expect(refused.status).toBe(422);
    expect((await refused.json()).errors.map((e: { path: string }) => e.path)).toEqual([
      'rows.1.id',
    ]);
    const [first, second] = rows;
    if (!first || !second) throw new Error('two rows');
    const changed: TaskTableRow[] = [
      { ...second, status: 'in-progress' },
      { ...proposedTask('Khảo sát lại', '2026-12-31'), id: null },
    ];
    const edited = await tasksXlsx({ tasks: changed });
    const imported = await put(edited);
    expect(imported.status).toBe(200);
    const after = await imported.json();
    expect(
      after.tasks.map((t: { position: number; content: string; status: string }) => [
        t.position,
        t.content,
        t.status,
      ]),
    ).toEqual([
      [1, 'Rà soát', 'not-started'],
      [2, 'Tập huấn', 'in-progress'],
      [3, 'Khảo sát lại', 'not-started'],
    ]);
  });

  it('serves the plan and its progress report as DOCX attachments', async () => {
    for (const file of ['plan.docx', 'progress.docx']) {
      const response = await request(`/api/v1/plans/${plan}/${file}`, appraiserToken);
      expect(response.status, file).toBe(200);
      expect(response.headers.get('content-type')).toBe(DOCX_TYPE);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
      // A DOCX is a ZIP package: PK\x03\x04.
      expect([...new Uint8Array(await response.arrayBuffer()).slice(0, 4)]).toEqual([
        0x50, 0x4b, 0x03, 0x04,
      ]);
    }
    expect((await request('/api/v1/plans/9999/plan.docx', appraiserToken)).status).toBe(404);
  });

  it('rolls up a parent’s children at /plans/roll-up', async () => {
    const response = await request(
      '/api/v1/plans/roll-up?framework=t-assess&period=2025&unit=BRVT',
      appraiserToken,
    );
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.today).toBe('2026-04-01');
    // Rà soát (due 31/03, not started: overdue), Tập huấn (due 30/06, in progress), Khảo sát
    // lại (due 31/12, not started).
    expect(body.plans).toMatchObject([
      {
        id: plan,
        unit: { code: 'BRVT.SKHDT' },
        tasks: 3,
        notStarted: 2,
        inProgress: 1,
        done: 0,
        overdue: 1,
      },
    ]);
    expect(body.withoutPlan.map((u: { code: string }) => u.code)).toEqual([
      'BRVT.CHAUDUC',
      'BRVT.STP',
    ]);
  });
});
