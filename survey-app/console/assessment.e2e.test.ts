// The PAR self-assessment walked end to end in Debian's Chromium against the real server
// (par-cycle.md §2, §4): a commune scores its leaves on a phone, uploads a PDF and submits; its
// district returns a leaf, the commune changes it and resubmits; the district appraises and
// finishes its stage, the province does the same; the admin publishes from the scorecard page,
// which then shows the province's appraised points.
import { Readable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { createApiToken } from '../../api/services/credentials.ts';
import { importFrameworkTree } from '../../api/services/frameworks.ts';
import { importUnits } from '../../api/services/units.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { signInWithPassword, TEST_PASSWORD } from './sign-in.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const actor = operator('test');
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

/** A one-page PDF that readers open: its cross-reference table points at each object's byte. */
function smallPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const at = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return at;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

describe.skipIf(!haveChromium)('the PAR self-assessment in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let adminToken: string;

  const api = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.ok, `${method} ${path}: ${await response.clone().text()}`).toBe(true);
  };

  beforeAll(async () => {
    server = await startScratchServer('assessment');
    const db = server.connection.db;
    await importUnits(
      db,
      actor,
      file(
        'unit,name,parent,type',
        'P,Tỉnh P,,province',
        'P.D,Huyện D,P,district',
        'P.D.X,Xã X,P.D,commune',
      ),
    );
    const accounts = [
      { login: 'admin', name: 'Quản trị', role: 'admin' },
      { login: 'xa', name: 'Văn phòng xã X', role: 'unit', unit: 'P.D.X' },
      { login: 'huyen', name: 'Tổ thẩm định huyện D', role: 'appraiser', unit: 'P.D' },
      { login: 'tinh', name: 'Tổ thẩm định tỉnh P', role: 'appraiser', unit: 'P' },
    ] as const;
    for (const account of accounts) {
      await createAccount(db, actor, { ...account, password: TEST_PASSWORD });
    }
    adminToken = await createApiToken(db, actor, { role: 'admin', name: 'kiểm thử' });
    // Field 1 (6.5) = 1.1 (2) + 1.2 (4.5 = 1.2.1 3 + 1.2.2 1.5); field 2 (5) = 2.1 (4) + 2.2
    // (1, districts only): a commune scores four leaves, of at most 10.5 points.
    await importFrameworkTree(
      db,
      actor,
      { code: 'xa-2026', name: 'Chỉ số CCHC cấp xã' },
      file(
        'node,name,max,source,applies_to,guidance',
        '1,Công tác chỉ đạo điều hành,,,,',
        '1.1,Kế hoạch CCHC năm,2,assessment,,Quyết định ban hành kế hoạch',
        '1.2,Kiểm tra CCHC,,,,',
        '1.2.1,Kế hoạch kiểm tra,3,assessment,,Kế hoạch và biên bản kiểm tra',
        '1.2.2,Tỷ lệ thôn được kiểm tra,1.5,assessment,,',
        '2,Cải cách thủ tục hành chính,,,,',
        '2.1,Công khai thủ tục,4,assessment,,',
        '2.2,Tiếp nhận hồ sơ cấp huyện,1,assessment,district,',
      ),
    );
    await api('POST', '/assessments/rounds', {
      framework: 'xa-2026',
      period: '2026',
      peers: 'P.D',
      deadline: '2099-12-31',
      stages: ['parent', 'top'],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const leaf = (page: Page, code: string) => page.locator(`[data-leaf="${code}"]`);
  const status = (page: Page, text: string) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();

  /** A new browser session of the account, on the assessment page of the commune. */
  async function open(login: string, viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await signInWithPassword(page, server.url, login);
    return { context, page };
  }

  /** The unit's score, explanation and save of one leaf. */
  async function score(page: Page, code: string, value: string, explanation?: string) {
    await leaf(page, code)
      .getByLabel(/^Điểm tự chấm/)
      .fill(value);
    if (explanation !== undefined) {
      await leaf(page, code).getByLabel('Giải trình').fill(explanation);
    }
    await leaf(page, code)
      .getByRole('button', { name: `Lưu tiêu chí ${code}` })
      .click();
    await status(page, `Đã lưu tiêu chí ${code}.`);
  }

  /** The appraiser's score (and reason) of one leaf. */
  async function appraise(page: Page, code: string, value: string, reason?: string) {
    await leaf(page, code)
      .getByLabel(/^Điểm thẩm định/)
      .fill(value);
    if (reason !== undefined) await leaf(page, code).getByLabel('Lý do điều chỉnh').fill(reason);
    await leaf(page, code)
      .getByRole('button', { name: `Lưu thẩm định ${code}` })
      .click();
    await status(page, `Đã lưu điểm thẩm định tiêu chí ${code}.`);
  }

  /** The appraiser's way in: the queue, then the commune's review page. */
  async function fromQueue(page: Page) {
    await page.getByRole('link', { name: 'Thẩm định', exact: true }).click();
    await page.getByRole('link', { name: /P\.D\.X/ }).click();
    await page.getByRole('heading', { name: /Tự đánh giá của P\.D\.X/ }).waitFor();
  }

  const state = (page: Page) => page.locator('[data-state]').first();

  it('walks a commune from its self-scores to the published scorecard', async () => {
    const pdf = smallPdf();

    // The commune, on a phone: its own assessment from the navigation, four leaves to score.
    const commune = await open('xa', { width: 390, height: 844 });
    let page = commune.page;
    expect(await page.getByRole('link', { name: 'Thẩm định', exact: true }).count()).toBe(0);
    await page.getByRole('link', { name: 'Tự đánh giá', exact: true }).click();
    await page.getByLabel('Khung điểm').fill('xa-2026');
    await page.getByLabel('Kỳ', { exact: true }).fill('2026');
    await page.getByRole('button', { name: 'Mở bản tự đánh giá' }).click();
    await page.getByText('Đã chấm 0/4 tiêu chí').waitFor();
    await expect
      .poll(() => leaf(page, '2.2').textContent())
      .toContain('Tiêu chí không áp dụng cho loại đơn vị này.');
    await expect
      .poll(() => leaf(page, '1.1').textContent())
      .toContain('Quyết định ban hành kế hoạch');

    await leaf(page, '1.1').getByRole('button', { name: 'Thêm văn bản' }).click();
    await leaf(page, '1.1').getByLabel('Số, ký hiệu').fill('12/KH-UBND');
    await leaf(page, '1.1').getByLabel('Ngày ban hành').fill('2026-01-15');
    await leaf(page, '1.1').getByLabel('Cơ quan ban hành').fill('UBND xã X');
    await score(page, '1.1', '2');
    // 1.2.1's evidence is the PDF; the others explain their points.
    await leaf(page, '1.2.1').getByLabel('Thêm tệp').setInputFiles({
      name: 'bien-ban-kiem-tra.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await status(page, 'Đã tải lên bien-ban-kiem-tra.pdf.');
    const link = leaf(page, '1.2.1').getByRole('link', { name: 'bien-ban-kiem-tra.pdf' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/evidence\/\d+$/);
    const download = await page.request.get(`${server.url}${href}`);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(pdf)).toBe(true);
    // A file sent to the wrong leaf is removed again: it leaves the list.
    await leaf(page, '1.1').getByLabel('Thêm tệp').setInputFiles({
      name: 'nham.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await status(page, 'Đã tải lên nham.pdf.');
    await leaf(page, '1.1').getByRole('button', { name: 'Gỡ nham.pdf' }).click();
    await status(page, 'Đã gỡ nham.pdf.');
    await expect
      .poll(() => leaf(page, '1.1').getByRole('link', { name: 'nham.pdf' }).count())
      .toBe(0);
    await score(page, '1.2.1', '2.5');
    await score(page, '1.2.2', '1', 'Đã kiểm tra 2/2 thôn');
    // 2.1 without an explanation holds the submission back, and says so under that field.
    await score(page, '2.1', '3.5');
    await page.getByText('Đã chấm 4/4 tiêu chí').waitFor();
    await page.getByRole('button', { name: 'Nộp bản tự đánh giá' }).click();
    const refusal = leaf(page, '2.1').locator('.field-error');
    await expect
      .poll(() => refusal.textContent())
      .toBe('bắt buộc khi điểm lớn hơn 0 mà không có tài liệu kiểm chứng hay văn bản dẫn chứng');
    expect(await page.locator('.field-error').count()).toBe(1);
    await score(page, '2.1', '3.5', 'Công khai tại bộ phận một cửa');
    await expect.poll(() => page.locator('.field-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Nộp bản tự đánh giá' }).click();
    await status(page, 'Đã nộp bản tự đánh giá.');
    await expect.poll(() => state(page).textContent()).toBe('đã nộp');

    // The district's appraiser: the commune in its queue; 1.2.1 back with a comment.
    const district = await open('huyen');
    page = district.page;
    await fromQueue(page);
    await expect
      .poll(() => leaf(page, '1.2.1').locator('[data-self-score]').textContent())
      .toBe('2,50 / 3,00');
    await leaf(page, '1.2.1').getByRole('link', { name: 'bien-ban-kiem-tra.pdf' }).waitFor();
    await leaf(page, '1.2.1').getByLabel('Ý kiến trả lại').fill('Thiếu biên bản kiểm tra');
    await page.getByRole('button', { name: 'Trả lại 1 tiêu chí có ý kiến' }).click();
    await status(page, 'Đã trả lại 1 tiêu chí cho đơn vị.');
    await expect.poll(() => state(page).textContent()).toBe('bị trả lại');

    // The commune sees the comment on the leaf, lowers it to 2 and resubmits.
    page = commune.page;
    await page.reload();
    await expect
      .poll(() => leaf(page, '1.2.1').locator('[data-returned]').textContent())
      .toContain('Thiếu biên bản kiểm tra');
    expect(await leaf(page, '1.1').locator('[data-returned]').count()).toBe(0);
    await score(page, '1.2.1', '2');
    await page.getByRole('button', { name: 'Nộp lại bản tự đánh giá' }).click();
    await status(page, 'Đã nộp lại bản tự đánh giá.');
    await expect.poll(() => state(page).textContent()).toBe('đã nộp lại');

    // The district appraises every leaf (1.2.2 lowered, with its reason) and finishes its stage.
    page = district.page;
    await page.reload();
    await appraise(page, '1.1', '2');
    await appraise(page, '1.2.1', '2');
    await appraise(page, '1.2.2', '0.75', 'Chỉ kiểm tra 1 thôn có biên bản');
    await appraise(page, '2.1', '3.5');
    await expect.poll(() => page.locator('[data-appraised]').textContent()).toBe('4/4 tiêu chí');
    await page.getByRole('button', { name: 'Hoàn thành thẩm định cấp này' }).click();
    await status(page, 'Đã hoàn thành thẩm định cấp này.');

    // The province: the district's scores are there to start from; 1.1 and 2.1 lowered.
    const province = await open('tinh');
    page = province.page;
    await fromQueue(page);
    expect(
      await leaf(page, '1.2.2')
        .getByLabel(/^Điểm thẩm định/)
        .inputValue(),
    ).toBe('0.75');
    await appraise(page, '1.1', '1.75', 'Kế hoạch ban hành sau hạn');
    await appraise(page, '1.2.1', '2');
    await appraise(page, '1.2.2', '0.75');
    await appraise(page, '2.1', '3', 'Chưa công khai trên cổng thông tin');
    await page.getByRole('button', { name: 'Hoàn thành thẩm định cấp này' }).click();
    await status(page, 'Đã hoàn thành thẩm định cấp này.');
    await expect.poll(() => state(page).textContent()).toBe('đã thẩm định');

    // The admin's overview of the round, then the publication and the scorecard.
    const admin = await open('admin');
    page = admin.page;
    await page.getByRole('link', { name: 'Tự đánh giá CCHC', exact: true }).click();
    await page.getByLabel('Khung điểm').fill('xa-2026');
    await page.getByLabel('Kỳ', { exact: true }).fill('2026');
    await page.getByRole('button', { name: 'Xem tình hình' }).click();
    const row = page.locator('table[data-table="assessments"] tbody tr[data-unit="P.D.X"]');
    await expect.poll(() => row.locator('[data-state]').textContent()).toBe('đã thẩm định');
    await expect.poll(() => row.textContent()).toContain('4/4');
    await page.getByRole('link', { name: 'Điểm CCHC', exact: true }).click();
    await page.getByLabel('Khung điểm').fill('xa-2026');
    await page.getByLabel('Kỳ', { exact: true }).fill('2026');
    await page.getByLabel('So sánh các đơn vị trực thuộc').selectOption('P.D');
    await page.getByRole('button', { name: 'Xem bảng điểm' }).click();
    await page.getByRole('button', { name: 'Công bố', exact: true }).click();
    await expect
      .poll(() => page.locator('[data-published-done]').textContent())
      .toBe('Đã công bố phiên bản 1.');
    await page.locator('[data-published="1"]').waitFor();
    // The province's appraised points: 1.75 + 2 + 0.75 + 3 = 7.5 (the self-scores made 8.5).
    const total = page.locator('table[data-table="scorecard"] tr[data-unit="P.D.X"] strong');
    await expect.poll(() => total.textContent()).toBe('7,50');

    // The commune's assessment is published with the results.
    page = commune.page;
    await page.reload();
    await expect.poll(() => state(page).textContent()).toBe('đã công bố');
    for (const session of [commune, district, province, admin]) await session.context.close();
  });
});
