// Evidence files over HTTP on real engines: the commune uploads to its own leaf, readers whose
// scope reaches it download an attachment, the rest is refused with nothing stored, a removal
// keeps the row, and a backup restored into a fresh database serves the same bytes.
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase } from '../../../db/testing.ts';
import { EVIDENCE_MAX_BYTES } from '../../../shared/assessment.ts';
import { operator } from '../../services/access.ts';
import { backupToFile, restoreDatabase } from '../../services/backup.ts';
import { ensureBuiltins } from '../../services/builtins.ts';
import { createApiToken } from '../../services/credentials.ts';
import { evidenceDownload } from '../../services/evidence.ts';
import { htmlFile, pdfFile, pngFile, svgFile } from '../../services/evidence.testing.ts';
import { importFrameworkTree } from '../../services/frameworks.ts';
import { importUnits } from '../../services/units.ts';
import { openRouteFixture, testActor, type RouteFixture } from '../testing.ts';

const FRAMEWORK = 'brvt-2026-commune';
const NGAIGIAO = 'BRVT.CHAUDUC.NGAIGIAO';
const SUOINGHE = 'BRVT.CHAUDUC.SUOINGHE';

// 1.1 and 1.2 are self-assessed (1.1 by communes only), 1.3 comes from SIPAS.
const tree = [
  'node,name,max,source,applies_to',
  '1,Chỉ đạo điều hành,20,,',
  '1.1,Kế hoạch CCHC,10,assessment,commune',
  '1.2,Báo cáo CCHC,6,assessment,',
  '1.3,Chỉ số SIPAS,4,sipas,',
].join('\n');

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(engines)('evidence files on %s', (engine) => {
  let f: RouteFixture;
  const tokens: Record<string, string> = {};
  const folder = mkdtempSync(join(tmpdir(), 'sipas-evidence-'));

  const leafPath = (unit: string, node: string, name: string, period = '2026') =>
    `/api/v1/assessments/${FRAMEWORK}/${period}/${unit}/leaves/${node}/evidence?name=${encodeURIComponent(name)}`;
  const upload = (
    token: string | undefined,
    bytes: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>,
    name: string,
    { unit = NGAIGIAO, node = '1.1', period = '2026', headers = {} } = {},
  ) =>
    f.request(leafPath(unit, node, name, period), {
      token,
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', ...headers },
      body: bytes,
      // A stream as a body is sent as it comes (Node's fetch asks for it).
      ...(bytes instanceof ReadableStream ? { duplex: 'half' } : {}),
    });
  const evidenceCount = async () =>
    (await f.database.db.selectFrom('evidence').select('id').execute()).length;
  const setState = (unit: string, state: 'draft' | 'submitted' | 'returned') =>
    f.database.db
      .updateTable('assessment')
      .set({ state })
      .where('unit_id', '=', (eb) =>
        eb.selectFrom('unit').select('id').where('code', '=', unit).limit(1),
      )
      .execute();

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const db = f.database.db;
    await importUnits(
      db,
      testActor,
      Readable.from([
        'unit,name,parent,type\n' +
          `${NGAIGIAO},Xã Ngãi Giao,BRVT.CHAUDUC,commune\n` +
          `${SUOINGHE},Xã Suối Nghệ,BRVT.CHAUDUC,commune\n`,
      ]),
    );
    await importFrameworkTree(db, testActor, { code: FRAMEWORK }, Readable.from([tree]));
    const framework = await db
      .selectFrom('par_framework')
      .select('id')
      .where('code', '=', FRAMEWORK)
      .executeTakeFirstOrThrow();
    // The district's communes assess themselves in 2026 (the assessment service opens rounds).
    await db
      .insertInto('assessment_round')
      .values({
        framework_id: framework.id,
        period: '2026',
        peers: 'BRVT.CHAUDUC',
        deadline: '2026-12-31',
        stages: JSON.stringify(['parent', 'top']),
      })
      .execute();
    const token = (role: 'unit' | 'analyst', unit: string) =>
      createApiToken(db, testActor, { role, unit });
    tokens.ngaigiao = await token('unit', NGAIGIAO);
    tokens.suoinghe = await token('unit', SUOINGHE);
    tokens.department = await token('unit', 'BRVT.STP');
    tokens.district = await token('analyst', 'BRVT.CHAUDUC');
    tokens.otherAnalyst = await token('analyst', 'BRVT.STP');
  });
  afterAll(async () => {
    await f.database.close();
    rmSync(folder, { recursive: true, force: true });
  });

  let pdfId: number;
  const pdf = pdfFile();

  it("stores the commune's PDF with its SHA-256, in a draft assessment made for it", async () => {
    const response = await upload(tokens.ngaigiao, pdf, 'C:\\Tài liệu\\Kế hoạch CCHC 2026.pdf');
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({
      id: expect.any(Number),
      fileName: 'Kế hoạch CCHC 2026.pdf',
      mediaType: 'application/pdf',
      size: pdf.length,
      sha256: sha256(pdf),
      uploadedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      uploadedBy: expect.stringMatching(/^account:\d+$/),
    });
    pdfId = body.id;
    const assessment = await f.database.db
      .selectFrom('assessment as a')
      .innerJoin('unit as u', 'u.id', 'a.unit_id')
      .select(['a.id', 'a.state'])
      .where('u.code', '=', NGAIGIAO)
      .executeTakeFirstOrThrow();
    expect(assessment.state).toBe('draft');
    const entry = await f.database.db
      .selectFrom('audit_log')
      .select(['actor', 'subject', 'detail'])
      .where('action', '=', 'evidence.upload')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actor: body.uploadedBy,
      subject: `assessment:${assessment.id}`,
      detail: {
        framework: FRAMEWORK,
        period: '2026',
        unit: NGAIGIAO,
        node: '1.1',
        evidence: pdfId,
        fileName: 'Kế hoạch CCHC 2026.pdf',
        sha256: sha256(pdf),
      },
    });
  });

  it('serves it to the district as an attachment that runs nothing', async () => {
    const response = await f.request(`/api/v1/evidence/${pdfId}`, { token: tokens.district });
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdf);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition':
        'attachment; filename="Ke hoach CCHC 2026.pdf"; ' +
        "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20CCHC%202026.pdf",
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private, no-store',
    });
  });

  it('survives a backup restored into a fresh database, byte for byte', async () => {
    const file = join(folder, 'backup.sipas.gz');
    await backupToFile(f.database.db, file);
    const fresh = await openTestDatabase(engine);
    try {
      await ensureBuiltins(fresh.db);
      await restoreDatabase(fresh.db, createReadStream(file));
      const restored = await evidenceDownload(fresh.db, operator(), pdfId);
      expect(restored.content).toEqual(pdf);
      expect(sha256(restored.content)).toBe(sha256(pdf));
      expect(restored.sha256).toBe(sha256(pdf));
    } finally {
      await fresh.close();
    }
  });

  it('refuses it to another commune and to an analyst elsewhere; an unknown id is 404', async () => {
    for (const token of [tokens.suoinghe, tokens.otherAnalyst]) {
      const response = await f.request(`/api/v1/evidence/${pdfId}`, { token });
      expect(response.status).toBe(403);
    }
    const unknown = await f.request('/api/v1/evidence/999999', { token: tokens.district });
    expect(unknown.status).toBe(404);
  });

  it('refuses HTML, SVG and a file of another type than it claims; nothing is stored', async () => {
    const before = await evidenceCount();
    for (const [bytes, name] of [
      [htmlFile(), 'x.html'],
      [svgFile(), 'x.svg'],
      [htmlFile(), 'x.pdf'],
      [await pngFile(), 'x.pdf'],
    ] as const) {
      const response = await upload(tokens.ngaigiao, bytes, name, {
        headers: { 'Accept-Language': 'vi' },
      });
      expect(response.status, name).toBe(422);
      const problem = await response.json();
      expect(problem.detail).toBe('Tệp minh chứng không được nhận; không có gì được lưu.');
      expect(problem.errors).toEqual([{ path: 'file', message: expect.any(String) }]);
    }
    const png = await upload(tokens.ngaigiao, await pngFile(), 'x.pdf');
    expect((await png.json()).errors[0].message).toBe(
      'the content is PNG but the name says .pdf: the file is of another type than it claims',
    );
    expect(await evidenceCount()).toBe(before);
  });

  it('refuses a file of 20 MB and one byte, announced or not, and stops reading it', async () => {
    const before = await evidenceCount();
    const big = new Uint8Array(EVIDENCE_MAX_BYTES + 1);
    big.set(pdf);
    const announced = await upload(tokens.ngaigiao, big, 'big.pdf', {
      headers: { 'Content-Length': String(big.length) },
    });
    expect(announced.status).toBe(413);
    expect((await announced.json()).detail).toBe(
      'The evidence file is larger than 20 MB; nothing was stored.',
    );
    // 30 chunks of 1 MB, sent without a length: the reading stops past the 21st.
    let sent = 0;
    const stream = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 30) return controller.close();
          sent += 1;
          controller.enqueue(sent === 1 ? big.subarray(0, 2 ** 20) : new Uint8Array(2 ** 20));
        },
      });
    const streamed = await upload(tokens.ngaigiao, stream(), 'big.pdf');
    expect(streamed.status).toBe(413);
    expect(sent).toBeGreaterThan(20);
    expect(sent).toBeLessThan(30);
    // Another commune's upload is refused before its body is read.
    sent = 0;
    expect((await upload(tokens.suoinghe, stream(), 'big.pdf')).status).toBe(403);
    expect(sent).toBeLessThan(2);
    // The limit itself is accepted.
    const fits = await upload(tokens.ngaigiao, big.subarray(0, EVIDENCE_MAX_BYTES), 'fits.pdf');
    expect(fits.status).toBe(201);
    expect((await fits.json()).size).toBe(EVIDENCE_MAX_BYTES);
    expect(await evidenceCount()).toBe(before + 1);
  });

  it('refuses an empty file', async () => {
    const response = await upload(tokens.ngaigiao, new Uint8Array(0), 'x.pdf');
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual([
      { path: 'file', message: 'the file is empty' },
    ]);
  });

  it('takes evidence from the unit itself, on its assessment leaves, in an open round', async () => {
    const before = await evidenceCount();
    const refused = async (
      token: string | undefined,
      options: { unit?: string; node?: string; period?: string },
    ) => (await upload(token, pdf, 'x.pdf', options)).status;
    // Another commune, the district's analyst, and a department outside the round's peers.
    expect(await refused(tokens.suoinghe, {})).toBe(403);
    expect(await refused(tokens.district, {})).toBe(403);
    const outside = await upload(tokens.department, pdf, 'x.pdf', {
      unit: 'BRVT.STP',
      node: '1.2',
    });
    expect(outside.status).toBe(403);
    expect((await outside.json()).detail).toBe(
      'Unit BRVT.STP is not among the peers BRVT.CHAUDUC assessed in period 2026.',
    );
    // Leaf 1.1 is for communes; 1.3 is scored from SIPAS; 1 is no leaf; 9.9 is no node.
    const department = await upload(tokens.department, pdf, 'x.pdf', { unit: 'BRVT.STP' });
    expect(department.status).toBe(422);
    expect((await department.json()).errors[0].message).toMatch(/^it applies to commune only/);
    const sipas = await upload(tokens.ngaigiao, pdf, 'x.pdf', { node: '1.3' });
    expect(sipas.status).toBe(422);
    expect((await sipas.json()).errors).toEqual([
      { path: 'node', message: 'its points come from sipas, not from the self-assessment' },
    ]);
    expect(await refused(tokens.ngaigiao, { node: '1' })).toBe(422);
    expect(await refused(tokens.ngaigiao, { node: '9.9' })).toBe(404);
    // No round is open for 2027.
    expect(await refused(tokens.ngaigiao, { period: '2027' })).toBe(404);
    expect(await evidenceCount()).toBe(before);
  });

  it('refuses uploads and removals once the assessment is submitted', async () => {
    await setState(NGAIGIAO, 'submitted');
    const before = await evidenceCount();
    const response = await upload(tokens.ngaigiao, pdf, 'x.pdf');
    expect(response.status).toBe(409);
    expect(await evidenceCount()).toBe(before);
    const removal = await f.request(`/api/v1/evidence/${pdfId}`, {
      token: tokens.ngaigiao,
      method: 'DELETE',
    });
    expect(removal.status).toBe(409);
    await setState(NGAIGIAO, 'returned');
    expect((await upload(tokens.ngaigiao, pdf, 'lại.pdf')).status).toBe(201);
  });

  it('removes a file for the unit alone, keeping the row; it is then gone', async () => {
    const remove = (token: string | undefined) =>
      f.request(`/api/v1/evidence/${pdfId}`, { token, method: 'DELETE' });
    expect((await remove(tokens.suoinghe)).status).toBe(403);
    expect((await remove(tokens.district)).status).toBe(403);
    expect((await remove(tokens.ngaigiao)).status).toBe(204);
    const row = await f.database.db
      .selectFrom('evidence')
      .select(['removed_at', 'sha256'])
      .where('id', '=', pdfId)
      .executeTakeFirstOrThrow();
    expect(row.removed_at).toBeInstanceOf(Date);
    expect(row.sha256).toBe(sha256(pdf));
    const download = await f.request(`/api/v1/evidence/${pdfId}`, { token: tokens.district });
    expect(download.status).toBe(410);
    expect((await remove(tokens.ngaigiao)).status).toBe(410);
    const entry = await f.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'evidence.remove')
      .executeTakeFirstOrThrow();
    expect(entry.detail).toMatchObject({ evidence: pdfId, node: '1.1', sha256: sha256(pdf) });
  });
});
