// A remediation plan walked end to end in Debian's Chromium against the real server (par-cycle.md
// §6): a district drafts its plan from its points among its province's districts, edits two
// tasks, marks one done, reports progress on the other with a file, saves the plan's documents
// and imports its task table back edited; the province sees the plan in its roll-up; a task is
// overdue from the day after its deadline, by the server's clock; the district's results sheet
// prints on one A4 page.
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { importFrameworkTree } from '../../api/services/frameworks.ts';
import { importPoints } from '../../api/services/par.ts';
import { docxParagraphs } from '../../api/services/plan-documents/plan-documents.testing.ts';
import { importUnits } from '../../api/services/units.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { checkAxe } from './axe.testing.ts';
import { signInWithPassword, TEST_PASSWORD } from './sign-in.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const actor = operator('test');
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

/** A PNG of one pixel: a report's evidence, of a type the server reads from its content. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(!haveChromium)('a remediation plan in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  // The server's clock: 10:00 in Vietnam on 1 July 2026, moved on by the test.
  let now = new Date('2026-07-01T03:00:00Z');

  beforeAll(async () => {
    server = await startScratchServer('plan', { now: () => now });
    const db = server.connection.db;
    await importUnits(
      db,
      actor,
      file('unit,name,parent', 'P,Tỉnh P,', 'P.A,Huyện A,P', 'P.B,Huyện B,P', 'P.C,Huyện C,P'),
    );
    const accounts = [
      { login: 'huyen-a', name: 'Văn phòng huyện A', role: 'unit', unit: 'P.A' },
      { login: 'tinh', name: 'Văn phòng tỉnh P', role: 'unit', unit: 'P' },
    ] as const;
    for (const account of accounts) {
      await createAccount(db, actor, { ...account, password: TEST_PASSWORD });
    }
    await importFrameworkTree(
      db,
      actor,
      { code: 'p-plan', name: 'Chỉ số CCHC cấp huyện' },
      file('node,name,max', '1,Chỉ đạo điều hành,30', '2,Thủ tục hành chính,40', '3,Hài lòng,30'),
    );
    // Totals: P.B 28 + 38 + 25 = 91; P.A 25.5 + 30.12 + 30 = 85.62 and P.C 30 + 35.62 + 20 =
    // 85.62, tied second of 3. P.A is last of 3 on fields 1 (25.5 < 28 < 30; 4.5 points lost)
    // and 2 (30.12 < 35.62 < 38; 9.88 lost): its two weak points; first on field 3, none lost.
    await importPoints(
      db,
      actor,
      { framework: 'p-plan', period: '2025' },
      file(
        'unit,component,points',
        'P.A,1,25.5',
        'P.A,2,30.12',
        'P.A,3,30',
        'P.B,1,28',
        'P.B,2,38',
        'P.B,3,25',
        'P.C,1,30',
        'P.C,2,35.62',
        'P.C,3,20',
      ),
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const status = (page: Page, text: string) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();
  const task = (page: Page, position: number) =>
    page.locator(`table[data-table="plan-tasks"] tr[data-task="${position}"]`);

  async function open(login: string, viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await signInWithPassword(page, server.url, login);
    return { context, page };
  }

  /** From the navigation to the plans' chooser, the framework, the period and the unit. */
  async function choose(page: Page, unit: string, button: string) {
    await page.getByRole('link', { name: 'Kế hoạch khắc phục', exact: true }).click();
    await page.getByLabel('Khung điểm').fill('p-plan');
    await page.getByLabel('Kỳ', { exact: true }).fill('2025');
    await page.getByLabel('Đơn vị', { exact: true }).selectOption(unit);
    await page.getByRole('button', { name: button, exact: true }).click();
  }

  /** Opens a task's form from its row, changes it and saves it. */
  async function editTask(page: Page, position: number, change: () => Promise<void>) {
    await page.getByRole('button', { name: `Sửa nhiệm vụ ${position}` }).click();
    await change();
    await page.getByRole('button', { name: `Lưu nhiệm vụ ${position}` }).click();
    await status(page, `Đã lưu nhiệm vụ ${position}.`);
  }

  // A long walk through a real browser: 25 s on an idle machine, more when CI runs beside it.
  it('drafts, edits, reports on and rolls up a plan; a task is overdue after its deadline', async () => {
    const district = await open('huyen-a');
    let page = district.page;
    await choose(page, 'P.A', 'Mở kế hoạch');
    await page.getByRole('heading', { name: 'Kế hoạch khắc phục của P.A' }).waitFor();
    await checkAxe(page, 'the draft form');
    await page.getByRole('button', { name: 'Lập dự thảo kế hoạch' }).click();

    // The facts as drafted: 85,620 of 100 points, second of 3 with P.C.
    const figure = (name: string) => page.locator(`[data-figure="${name}"]`);
    await expect.poll(() => figure('total').textContent()).toBe('85,620/100 điểm');
    expect(await figure('rank').textContent()).toBe('2/3 (đồng hạng)');
    const field = (code: string) =>
      page.locator(`table[data-table="plan-fields"] tr[data-node="${code}"]`);
    // Field 2: 30,120 of 40, 75,30% (30.12 / 40), last of 3, 9,880 points lost.
    expect(await field('2').locator('td').allTextContents()).toEqual([
      '30,120 / 40',
      '75,30',
      '3/3',
      '—',
      '9,880',
    ]);
    // The weak points by points lost: field 2 (9.88) before field 1 (4.5); field 3 lost none.
    expect(
      await page
        .locator('[data-weak]')
        .first()
        .evaluate((li) => li.parentElement?.querySelectorAll('li').length),
    ).toBe(2);
    expect(await page.locator('[data-weak]').first().getAttribute('data-weak')).toBe('2');

    // One proposed task a weak point, each due on 30/09 of the year after the period.
    const rows = page.locator('table[data-table="plan-tasks"] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.locator('[data-deadline]').allTextContents()).toEqual([
      '30/09/2026',
      '30/09/2026',
    ]);

    await checkAxe(page, 'a plan');

    // Task 1: new content, due today (1 July 2026), in progress.
    await editTask(page, 1, async () => {
      const form = page.locator('.task-edit');
      await checkAxe(page, "a task's form");
      await form.getByLabel('Nội dung công việc').fill('Rà soát quy trình chỉ đạo điều hành');
      await form.getByLabel('Thời hạn').fill('2026-07-01');
      await form.getByLabel('Trạng thái').selectOption({ label: 'Đang thực hiện' });
    });
    await expect
      .poll(() => task(page, 1).locator('td').nth(1).textContent())
      .toBe('Rà soát quy trình chỉ đạo điều hành');
    expect(await task(page, 1).locator('[data-deadline]').textContent()).toBe('01/07/2026');
    // Due today is not overdue yet.
    expect(await task(page, 1).locator('[data-overdue]').count()).toBe(0);
    // Task 2: a coordinating office, and done.
    await editTask(page, 2, async () => {
      const form = page.locator('.task-edit');
      await form.getByLabel('Phối hợp').fill('Phòng Tư pháp\nBộ phận một cửa');
      await form.getByLabel('Kết quả').fill('Danh sách thủ tục được rà soát');
      await form.getByLabel('Trạng thái').selectOption({ label: 'Hoàn thành' });
    });
    await expect
      .poll(() => task(page, 2).locator('[data-status]').getAttribute('data-status'))
      .toBe('done');
    expect(await task(page, 2).locator('td').nth(3).textContent()).toBe(
      'Phòng Tư pháp; Bộ phận một cửa',
    );

    // A third task, ongoing, added and removed again.
    const adding = page.locator('.task-add');
    await adding.locator('summary').click();
    await adding.getByLabel('Nội dung công việc').fill('Tập huấn cán bộ bộ phận một cửa');
    await adding.getByLabel('Kết quả').fill('Hai lớp tập huấn');
    await adding.locator('button[type="submit"]').click();
    await status(page, 'Đã thêm nhiệm vụ.');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await task(page, 3).locator('[data-deadline]').textContent()).toBe('Thường xuyên');
    expect(await task(page, 3).locator('td').nth(2).textContent()).toBe('Huyện A');
    await page.getByRole('button', { name: 'Xoá nhiệm vụ 3', exact: true }).click();
    await page.getByRole('button', { name: 'Xác nhận xoá nhiệm vụ 3', exact: true }).click();
    await status(page, 'Đã xoá nhiệm vụ 3.');
    await expect.poll(() => rows.count()).toBe(2);

    // Progress on task 1, with a photo of the meeting.
    const reports = page.locator('[data-task-reports="1"]');
    await reports.getByLabel('Ngày báo cáo').fill('2026-06-30');
    await reports.getByLabel('Nội dung báo cáo').fill('Đã họp rà soát với các phòng');
    await reports.getByLabel('Tệp kèm theo (không bắt buộc)').setInputFiles({
      name: 'bien-ban-hop.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await reports.getByRole('button', { name: 'Gửi báo cáo tiến độ nhiệm vụ 1' }).click();
    await status(page, 'Đã gửi báo cáo tiến độ nhiệm vụ 1.');
    const report = reports.locator('[data-report="2026-06-30"]');
    await expect.poll(() => report.textContent()).toContain('30/06/2026');
    expect(await report.textContent()).toContain('Đã họp rà soát với các phòng');
    const link = report.getByRole('link', { name: 'bien-ban-hop.png' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/plan-files\/\d+$/);
    const download = await page.request.get(`${server.url}${href}`);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(PNG)).toBe(true);

    // The documents: the plan and its progress report as DOCX, the tasks as XLSX.
    const save = async (label: string) => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: label, exact: true }).click(),
      ]);
      return readFile(await file.path());
    };
    const planText = (await docxParagraphs(await save('Kế hoạch (DOCX)'))).join('\n');
    expect(planText).toContain('KẾ HOẠCH');
    expect(planText).toContain('Rà soát quy trình chỉ đạo điều hành');
    const progressText = (await docxParagraphs(await save('Báo cáo tiến độ (DOCX)'))).join('\n');
    expect(progressText).toContain('Đã họp rà soát với các phòng');
    // The task table edited as a spreadsheet, task 2's expected output rewritten, imported back.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(await save('Bảng nhiệm vụ (XLSX)')).buffer);
    let edited = 0;
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.value !== 'Danh sách thủ tục được rà soát') return;
          cell.value = 'Quyết định công bố thủ tục đã rà soát';
          edited += 1;
        }),
      ),
    );
    expect(edited).toBe(1);
    await page.getByLabel('Tệp bảng nhiệm vụ').setInputFiles({
      name: 'nhiem-vu.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });
    await page.getByRole('button', { name: 'Nhập bảng nhiệm vụ' }).click();
    await status(page, 'Đã nhập nhiem-vu.xlsx.');
    expect(await task(page, 2).locator('td').nth(5).textContent()).toBe(
      'Quyết định công bố thủ tục đã rà soát',
    );
    expect(await rows.count()).toBe(2);

    // The province's roll-up: P.A's plan with 2 tasks, 1 done, 1 in progress, none overdue; P.B
    // and P.C without a plan. On a phone, from the scorecard of its districts.
    const province = await open('tinh', { width: 390, height: 844 });
    page = province.page;
    await page.getByRole('link', { name: 'Điểm CCHC', exact: true }).click();
    await page.getByLabel('Khung điểm').fill('p-plan');
    await page.getByLabel('Kỳ', { exact: true }).fill('2025');
    await page.getByLabel('So sánh các đơn vị trực thuộc').selectOption('P');
    await page.getByRole('button', { name: 'Xem bảng điểm' }).click();
    await page.getByRole('link', { name: 'Kế hoạch khắc phục của P.A' }).waitFor();
    await page.getByRole('link', { name: 'Phiếu kết quả của P.A' }).waitFor();
    await page
      .getByRole('link', { name: 'Kế hoạch khắc phục của các đơn vị trực thuộc P' })
      .click();
    const planRow = page.locator('table[data-table="roll-up"] tr[data-unit="P.A"]');
    const count = (name: string) => planRow.locator(`[data-count="${name}"]`).textContent();
    await expect.poll(() => count('tasks')).toBe('2');
    expect(await count('done')).toBe('1');
    expect(await count('in-progress')).toBe('1');
    expect(await count('not-started')).toBe('0');
    await checkAxe(page, 'the roll-up on a phone');
    expect(await count('overdue')).toBe('0');
    expect(
      await page
        .locator('[data-without-plan] li')
        .evaluateAll((items) => items.map((li) => li.getAttribute('data-unit'))),
    ).toEqual(['P.B', 'P.C']);

    // The day after task 1's deadline: overdue on the plan and in the roll-up.
    now = new Date('2026-07-02T03:00:00Z');
    await page.reload();
    await expect.poll(() => count('overdue')).toBe('1');
    await planRow.getByRole('link', { name: /P\.A/ }).click();
    await expect.poll(() => task(page, 1).locator('[data-overdue]').textContent()).toBe('Quá hạn');
    expect(await task(page, 2).locator('[data-overdue]').count()).toBe(0);
    // The province reads the plan and writes nothing in it.
    expect(await page.getByRole('button', { name: 'Sửa nhiệm vụ 1' }).count()).toBe(0);

    // The district's results sheet, printed: one A4 page, without the console's frame.
    page = district.page;
    await page.reload();
    await expect.poll(() => task(page, 1).locator('[data-overdue]').textContent()).toBe('Quá hạn');
    await page.getByRole('link', { name: 'Phiếu kết quả (in)' }).click();
    await page.getByRole('heading', { name: 'Kết quả chỉ số CCHC: Huyện A' }).waitFor();
    await page.getByRole('button', { name: 'In', exact: true }).waitFor();
    expect(await page.locator('.sheet [data-figure="total"]').textContent()).toBe(
      '85,620/100 điểm',
    );
    expect(await page.locator('.sheet .bar-row').count()).toBe(3);
    await checkAxe(page, 'the results sheet');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'In', exact: true }).isVisible()).toBe(false);
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page\b/g)?.length).toBe(1);
    // A4 is 210 × 297 mm, 595.3 × 841.9 points (Chromium rounds to its CSS pixels).
    const box = /\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf);
    expect(Number(box?.[1])).toBeCloseTo(595.3, 0);
    expect(Number(box?.[2])).toBeCloseTo(841.9, 0);

    for (const session of [district, province]) await session.context.close();
  }, 180_000);
});
