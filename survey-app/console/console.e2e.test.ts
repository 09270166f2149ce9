// The console end to end: Debian's Chromium against the real server (embedded PGlite in a
// temporary directory) under the console's strict CSP, axe-core on every screen. Each signs
// in with a login and password. An admin creates an analyst of one department, who signs in,
// and revokes a script's API token. A surveyor of
// one department adds a counter, prints the unit's QR sheet, opens a campaign, keys in three
// paper forms with the keyboard alone and imports files; an analyst reads the example
// campaign's scores, which must be the API's figures to the digit shown.
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { createApiToken, tokenPrefixOf } from '../../api/services/credentials.ts';
import { openExampleCampaign } from '../../api/services/examples.testing.ts';
import { vietnamDate } from '../../api/services/vietnam-time.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { operator } from '../../api/services/access.ts';
import { checkAxe } from './axe.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const consoleDir = fileURLToPath(new URL('.', import.meta.url));
const builtPage = fileURLToPath(new URL('../dist/console/index.html', import.meta.url));
const screenshots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const expected = z
  .object({ srs: z.array(z.object({ sipas: z.object({ index: z.number() }) })) })
  .parse(
    JSON.parse(
      readFileSync(new URL('../../fixtures/examples/expected.json', import.meta.url), 'utf8'),
    ),
  );

/** A console source edited after the last build, or undefined when the build is current. */
function staleBuild(): string | undefined {
  if (!existsSync(builtPage)) return builtPage;
  const built = statSync(builtPage).mtimeMs;
  return readdirSync(consoleDir, { recursive: true, encoding: 'utf8' })
    .filter((name) => !name.endsWith('.test.ts'))
    .map((name) => join(consoleDir, name))
    .find((path) => statSync(path).isFile() && statSync(path).mtimeMs > built);
}

const actor = operator('test');
const PASSWORD = 'mật khẩu thử nghiệm';
const year = vietnamDate(new Date()).slice(0, 4);
const campaign = `STP-${year}`;
const vi = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const en = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = new Intl.NumberFormat('vi-VN', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
const fixed = (value: number | null, format = vi) => (value === null ? '—' : format.format(value));
const interval = (ci: [number, number] | null, format = vi) =>
  ci ? `${format.format(ci[0])} – ${format.format(ci[1])}` : '—';

const score = z.object({
  index: z.number().nullable(),
  se: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
});
const change = z.object({
  campaign: z.number().nullable(),
  with: z.number().nullable(),
  change: z.number().nullable(),
  ci: z.tuple([z.number(), z.number()]).nullable(),
  significant: z.boolean().nullable(),
});
const comparison = z.object({
  groups: z.array(z.object({ sipas: change, coverage: z.number().nullable() })),
});
const scoresDocument = z.object({
  groups: z.array(
    z.object({
      key: z.record(z.string(), z.string()),
      respondents: z.number(),
      items: z.record(z.string(), score.extend({ valid: z.number(), satisfied: z.number() })),
      factors: z.record(z.string(), score),
      sipas: score,
    }),
  ),
});

describe.skipIf(!haveChromium)('the console in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  /** Logins of staff accounts, each with PASSWORD. */
  let surveyor: string;
  let analyst: string;
  /** The analyst's reach as an API token, for the figures the page must show. */
  let analystToken: string;

  beforeAll(async () => {
    const stale = staleBuild();
    if (stale) throw new Error(`${stale} is newer than survey-app/dist: run npm run build.`);
    server = await startScratchServer('console');
    const db = server.connection.db;
    await openExampleCampaign(db);
    surveyor = 'stp.surveyor';
    analyst = 'brvt.analyst';
    analystToken = await createApiToken(db, actor, { role: 'analyst', unit: 'BRVT' });
    await createAccount(db, actor, {
      login: surveyor,
      name: 'Khảo sát STP',
      role: 'surveyor',
      unit: 'BRVT.STP',
      password: PASSWORD,
    });
    await createAccount(db, actor, {
      login: analyst,
      name: 'Phân tích BRVT',
      role: 'analyst',
      unit: 'BRVT',
      password: PASSWORD,
    });
    await createAccount(db, actor, {
      login: 'admin',
      name: 'Quản trị',
      role: 'admin',
      password: PASSWORD,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A desktop browser; what the CSP refused and what threw is collected in `faults`. */
  async function desk(width = 1280) {
    const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const faults: string[] = [];
    const watch = (p: Page) => {
      p.on('console', (message) => {
        if (/Content.Security.Policy|Refused to/i.test(message.text())) faults.push(message.text());
      });
      p.on('pageerror', (error) => faults.push(error.message));
    };
    watch(page);
    context.on('page', watch);
    return { context, page, faults };
  }

  async function signIn(page: Page, login: string, password = PASSWORD) {
    const response = await page.goto(`${server.url}/console`);
    expect(response?.headers()['content-security-policy']).toMatch(
      /script-src 'self'; style-src 'self'/,
    );
    await page.getByLabel('Tên đăng nhập').fill(login);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.keyboard.press('Enter');
  }

  const heading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true });

  async function responses() {
    return server.connection.db
      .selectFrom('response')
      .innerJoin('campaign', 'campaign.id', 'response.campaign_id')
      .select(['response.source_id', 'response.answers', 'response.mode'])
      .where('campaign.code', '=', campaign)
      .orderBy('response.source_id')
      .execute();
  }

  it('lets a surveyor add a counter, print the QR sheet and open a campaign', async () => {
    const { context, page, faults } = await desk();
    await signIn(page, surveyor);
    await heading(page, 'Tổ chức: đơn vị và quầy').waitFor();
    // The unit tree arrives after the page's heading: wait for it, on a loaded machine too.
    await page.getByRole('heading', { level: 2, name: 'BRVT.STP Sở Tư pháp' }).waitFor();
    await checkAxe(page, 'organisation');

    await page.getByLabel('Mã quầy').fill('BRVT.STP.Q2');
    await page.getByLabel('Tên quầy').fill('Quầy 2');
    await page.getByRole('button', { name: 'Thêm quầy' }).click();
    await page.getByText('Đã thêm quầy BRVT.STP.Q2.').waitFor();
    await page.getByRole('row', { name: /BRVT\.STP\.Q2/ }).waitFor();

    await page.getByRole('button', { name: 'In tờ mã QR…' }).click();
    const [sheet] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Cấp mã và mở tờ in' }).click(),
    ]);
    // The tab opens blank at the click and then shows the sheet from a blob: address.
    await sheet.waitForURL(/^blob:/);
    await sheet.waitForLoadState('load');
    const cards = await sheet.$$eval('article.card', (all) =>
      all.map((card) => ({
        name: card.querySelector('h2')?.textContent,
        qr: card.querySelectorAll('svg path').length,
      })),
    );
    expect(cards).toEqual([
      { name: 'Quầy 1', qr: expect.any(Number) },
      { name: 'Quầy 2', qr: expect.any(Number) },
    ]);
    expect(cards.every((card) => card.qr > 0)).toBe(true);
    // The sheet's own stylesheet applies under the console's policy (two cards a row).
    expect(await sheet.$eval('.sheet', (e) => getComputedStyle(e).display)).toBe('grid');
    await sheet.close();
    await page.getByText('Đã mở tờ mã QR trong thẻ mới.').waitFor();
    await page
      .getByRole('row', { name: /BRVT\.STP\.Q2/ })
      .getByText('Đang dùng')
      .waitFor();

    await page
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Đợt khảo sát' })
      .click();
    await heading(page, 'Đợt khảo sát').waitFor();
    await page.getByLabel('Mã', { exact: true }).fill(campaign);
    await page.getByLabel('Tên', { exact: true }).fill(`Sở Tư pháp ${year}`);
    await page.getByLabel('BRVT.STP.Q2 Quầy 2').check();
    await page.getByLabel('Chỉ tiêu mẫu của quầy BRVT.STP.Q2').fill('3');
    await checkAxe(page, 'campaigns');
    await page.getByRole('button', { name: 'Tạo đợt khảo sát' }).last().click();
    await page.getByText(`Đã tạo đợt ${campaign}.`).waitFor();
    await page.getByRole('link', { name: campaign, exact: true }).waitFor();
    expect(faults).toEqual([]);
    await context.close();
  });

  it("opens a unit's history from the organisation page", async () => {
    const { context, page, faults } = await desk();
    await signIn(page, surveyor);
    await page.getByRole('heading', { level: 2, name: 'BRVT.STP Sở Tư pháp' }).waitFor();
    await page.getByRole('link', { name: 'Lịch sử đơn vị' }).click();
    await heading(page, 'Lịch sử mã đơn vị BRVT.STP').waitFor();
    // Made by an import: valid since always, under BRVT since always, its counter since always.
    const parents = page.getByRole('group', { name: 'Đơn vị cấp trên theo thời gian' });
    await parents.getByRole('row', { name: /BRVT .* từ trước đến nay, còn hiệu lực/ }).waitFor();
    const counters = page.getByRole('group', { name: 'Quầy theo thời gian' });
    await counters.getByRole('row', { name: /BRVT\.STP\.Q1/ }).waitFor();
    await checkAxe(page, 'unit history');
    expect(faults).toEqual([]);
    await context.close();
  });

  it('keys in three paper forms with the keyboard alone, skip rules holding', async () => {
    const { context, page, faults } = await desk();
    await signIn(page, surveyor);
    await heading(page, 'Tổ chức: đơn vị và quầy').waitFor();
    await page.goto(`${server.url}/console/campaigns/${campaign}/entry`);
    await heading(page, 'Nhập phiếu giấy').waitFor();
    await checkAxe(page, 'paper entry');

    // From the page's heading, Tab to the first item: no mouse from here on.
    for (let i = 0; i < 20; i++) {
      if (await page.evaluate(() => document.activeElement?.getAttribute('name') === 'TC1')) break;
      await page.keyboard.press('Tab');
    }
    const keys = async (...pressed: string[]) => {
      for (const key of pressed) await page.keyboard.press(key);
    };
    const stored = (form: number) =>
      page.getByText(new RegExp(`^Đã lưu phiếu số ${form} `)).waitFor();

    // Form 1: everything, feedback given (PAQ 1 = Có, so PA2-PA4 are asked), MD options 2 and 4,
    // EDU left blank with 0; after JOB the focus is on the submit button.
    await keys(...'4534', ...'54421', ...'554435', ...'445', '4', '1', ...'342', '4');
    await keys('2', '4', 'Tab', '2', '3', '0', '6', 'Enter');
    await stored(1);
    // Form 2: no feedback (PAQ 2 = Không): PA2-PA4 are skipped; Enter stores from MD.
    await keys(...'1234', ...'55555', ...'333333', ...'222', '1', '2', '5', 'Enter');
    await stored(2);
    // Form 3: a blank fixed by going back, Backspace, a digit with no option, and PAQ changed
    // from yes to no after PA2 was answered: PA2 is blanked.
    await keys('5', '0', '3', 'Shift+Tab', 'Shift+Tab', '2', 'Backspace', '4', '4', '9');
    await page.getByText('Câu TT1 không có phương án 9.').waitFor();
    await keys(...'44444', ...'444444', ...'444', '4');
    await keys('1', '5', 'Shift+Tab', 'Shift+Tab', '2', '4', 'Enter');
    await stored(3);
    expect(faults).toEqual([]);

    const rows = await responses();
    expect(rows.map((r) => [r.source_id, r.mode])).toEqual([
      ['1', 'paper'],
      ['2', 'paper'],
      ['3', 'paper'],
    ]);
    // In instrument order: TC1-4, TT1-5, CC1-6, KQ1-3, PA1, PAQ, PA2-4, HL, MD (a bit set: options
    // 2 and 4 are 2² + 2⁴ = 20), SEX, AGE, EDU, JOB.
    expect(rows.map((r) => r.answers)).toEqual([
      [4, 5, 3, 4, 5, 4, 4, 2, 1, 5, 5, 4, 4, 3, 5, 4, 4, 5, 4, 1, 3, 4, 2, 4, 20, 2, 3, null, 6],
      [
        1,
        2,
        3,
        4,
        5,
        5,
        5,
        5,
        5,
        3,
        3,
        3,
        3,
        3,
        3,
        2,
        2,
        2,
        1,
        0,
        null,
        null,
        null,
        5,
        null,
        null,
        null,
        null,
        null,
      ],
      [
        5,
        2,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        4,
        0,
        null,
        null,
        null,
        4,
        null,
        null,
        null,
        null,
        null,
      ],
    ]);

    await page.getByRole('link', { name: 'Về trang đợt khảo sát' }).click();
    const row = page.locator('tr[data-counter="BRVT.STP.Q2"]');
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['3', '100,00%', 'phiếu giấy 3']),
    );
    await checkAxe(page, 'campaign progress');
    await context.close();
  });

  it('reports a bad row of an imported CSV and stores nothing, then stores a clean file', async () => {
    const { context, page, faults } = await desk();
    await signIn(page, surveyor);
    await heading(page, 'Tổ chức: đơn vị và quầy').waitFor();
    await page.goto(`${server.url}/console/campaigns/${campaign}/import`);
    await heading(page, 'Nhập tệp phiếu').waitFor();
    // The template: the instrument's columns and one example row.
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Tải mẫu CSV' }).click(),
    ]);
    expect(template.suggestedFilename()).toBe(`${campaign}-responses-template.csv`);
    const templateText = readFileSync(await template.path(), 'utf8');
    // A BOM first, so that Excel reads the Vietnamese as UTF-8.
    expect(templateText.startsWith('\uFEFF')).toBe(true);
    const templateLines = templateText.slice(1).trim().split('\n');
    expect(templateLines).toHaveLength(2);
    expect(templateLines[0]).toMatch(/^response_id,counter,submitted_at,mode,service_area,TC1,/);
    expect(templateLines[1]).toMatch(/^VI-DU-1,/);
    const file = (tc1: string) => ({
      name: 'phieu.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'response_id,counter,submitted_at,mode,TC1,TC2,HL\n' +
          `P-10,BRVT.STP.Q2,${year}-03-01,paper,4,5,4\n` +
          `P-11,BRVT.STP.Q2,${year}-03-02,paper,${tc1},5,4\n` +
          `P-12,BRVT.STP.Q2,${year}-03-03,post,3,4,5\n`,
      ),
    });
    await page.getByLabel('Tệp phiếu (CSV hoặc XLSX)').setInputFiles(file('7'));
    await page.getByRole('button', { name: 'Kiểm tra tệp (chưa lưu)' }).click();
    await page.getByRole('heading', { name: 'Tệp có 1 lỗi' }).waitFor();
    await page.getByText('Không phiếu nào được lưu.').waitFor();
    const problem = page.getByRole('table', { name: 'Các lỗi trong tệp' }).locator('tbody tr');
    expect(await problem.count()).toBe(1);
    const cells = await problem.locator('td').allTextContents();
    expect(cells.slice(0, 2)).toEqual(['3', 'TC1']);
    expect(cells[2]).toMatch(/7/);
    await checkAxe(page, 'import refused');
    expect(await responses()).toHaveLength(3);

    // The same rows as a spreadsheet: the same report, nothing stored.
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('phieu');
    sheet.addRows([
      ['response_id', 'counter', 'submitted_at', 'mode', 'TC1', 'TC2', 'HL'],
      ['P-10', 'BRVT.STP.Q2', `${year}-03-01`, 'paper', 4, 5, 4],
      ['P-11', 'BRVT.STP.Q2', `${year}-03-02`, 'paper', 7, 5, 4],
    ]);
    await page.getByLabel('Tệp phiếu (CSV hoặc XLSX)').setInputFiles({
      name: 'phieu.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });
    await page.getByRole('button', { name: 'Kiểm tra tệp (chưa lưu)' }).click();
    await page.getByRole('heading', { name: 'Tệp có 1 lỗi' }).waitFor();
    expect((await problem.locator('td').allTextContents()).slice(0, 2)).toEqual(['3', 'TC1']);
    expect(await responses()).toHaveLength(3);

    await page.getByLabel('Tệp phiếu (CSV hoặc XLSX)').setInputFiles(file('2'));
    await page.getByRole('button', { name: 'Kiểm tra tệp (chưa lưu)' }).click();
    await page.getByRole('heading', { name: 'Tệp hợp lệ: 3 phiếu sẽ được lưu' }).waitFor();
    expect(await responses()).toHaveLength(3);
    await page.getByRole('button', { name: 'Lưu 3 phiếu' }).click();
    await page.getByRole('heading', { name: 'Đã lưu 3 phiếu' }).waitFor();
    expect((await responses()).map((r) => r.source_id)).toEqual([
      '1',
      '2',
      '3',
      'P-10',
      'P-11',
      'P-12',
    ]);
    expect(faults).toEqual([]);
    await context.close();
  });

  it("shows an analyst the example campaign's scores exactly as the API gives them", async () => {
    const api = async (path: string): Promise<unknown> => {
      const response = await fetch(`${server.url}/api/v1${path}`, {
        headers: { Authorization: `Bearer ${analystToken}` },
      });
      expect(response.status).toBe(200);
      return response.json();
    };
    const all = scoresDocument.parse(await api('/campaigns/BRVT-2025/scores?by=all'));
    const counters = scoresDocument.parse(await api('/campaigns/BRVT-2025/scores?by=counter'));
    const compared = comparison.parse(
      await api(`/campaigns/BRVT-2025/compare?with=${campaign}&by=all`),
    );
    const whole = all.groups[0];
    if (!whole) throw new Error('no group');
    // The API itself is the example's worked figures (R's survey package), to 1e-9.
    expect(Math.abs((whole.sipas.index ?? 0) - (expected.srs[0]?.sipas.index ?? 0))).toBeLessThan(
      1e-9,
    );

    const { context, page, faults } = await desk();
    await signIn(page, analyst);
    await heading(page, 'Đợt khảo sát').waitFor();
    await page
      .getByRole('row', { name: /BRVT-2025/ })
      .getByRole('link', { name: 'Điểm hài lòng' })
      .click();
    const title = heading(page, 'Điểm hài lòng: BRVT-2025');
    await title.waitFor();
    await page.locator('[data-figure="sipas"]').waitFor();

    expect(await page.locator('[data-figure="sipas"]').textContent()).toBe(
      `${fixed(whole.sipas.index)}%`,
    );
    expect(await page.locator('[data-figure="sipas-ci"]').textContent()).toBe(
      interval(whole.sipas.ci),
    );
    expect(await page.locator('[data-figure="sipas-se"]').textContent()).toBe(
      fixed(whole.sipas.se),
    );
    for (const [code, factor] of Object.entries(whole.factors)) {
      expect(await page.locator(`[data-figure="factor-${code}"]`).textContent(), code).toBe(
        fixed(factor.index),
      );
    }
    const itemRows = page.locator('table[data-table="items"] tbody tr');
    expect(await itemRows.count()).toBe(Object.keys(whole.items).length);
    for (const [code, item] of Object.entries(whole.items)) {
      const cells = await page.locator(`tr[data-item="${code}"] td`).allTextContents();
      expect(cells.slice(1, 6), code).toEqual([
        fixed(item.index),
        interval(item.ci),
        String(item.valid),
        String(item.satisfied),
        fixed(item.se),
      ]);
    }
    // Every counter is a small sample: shown, flagged, and ranked only when asked.
    const ranking = page.locator('table[data-table="rank-counters"] tbody tr');
    expect(await ranking.count()).toBe(counters.groups.length);
    expect(await ranking.first().getByText('không xếp hạng').count()).toBe(1);
    expect(await ranking.first().getByText('mẫu nhỏ (dưới 30)').count()).toBe(1);
    await page.getByLabel('Xếp hạng cả nhóm có lưu ý (mẫu nhỏ, khoảng rộng)').first().check();
    const ranked = await ranking.evaluateAll((rows) =>
      rows.map((row) => [
        row.getAttribute('data-group'),
        row.querySelector('td')?.textContent,
        row.querySelectorAll('td')[1]?.textContent,
      ]),
    );
    const bySipas = [...counters.groups].sort(
      (a, b) => (b.sipas.index ?? 0) - (a.sipas.index ?? 0),
    );
    expect(ranked).toEqual(
      bySipas.map((g, i) => [g.key.counter, String(i + 1), fixed(g.sipas.index)]),
    );
    await page.getByLabel('Xếp hạng cả nhóm có lưu ý (mẫu nhỏ, khoảng rộng)').first().uncheck();

    // A counter chosen: its own figures, which the page requests when it is chosen.
    const first = counters.groups[0];
    if (!first?.key.counter) throw new Error('no counter');
    await page.locator('#scores-group').selectOption(`counter:${first.key.counter}`);
    await expect
      .poll(() => page.locator('[data-figure="sipas"]').textContent())
      .toBe(`${fixed(first.sipas.index)}%`);
    await page.locator('#scores-group').selectOption('all');
    await expect
      .poll(() => page.locator('[data-figure="sipas"]').textContent())
      .toBe(`${fixed(whole.sipas.index)}%`);

    // The change on the surveyor's campaign, as the API computes it.
    await page.getByLabel('So với đợt').selectOption(campaign);
    const change = compared.groups[0]?.sipas;
    if (!change) throw new Error('no comparison');
    const sipasChange = page.locator('table[data-table="compare"] tbody tr').first();
    await sipasChange.waitFor();
    expect(await sipasChange.locator('td').allTextContents()).toEqual([
      fixed(change.campaign),
      fixed(change.with),
      signed.format(change.change ?? 0),
      interval(change.ci),
      change.significant ? 'có ý nghĩa' : 'không có ý nghĩa',
    ]);
    // Its coverage, as the API computes it (every counter of the one campaign is in the other).
    const coverage = compared.groups[0]?.coverage ?? null;
    expect(await page.locator('[data-coverage]').textContent()).toContain(
      `Độ phủ ${coverage === null ? '' : fixed(coverage * 100)}%`,
    );

    // The responses export, as a file.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Phiếu (CSV)' }).click(),
    ]);
    const exported = readFileSync(await file.path(), 'utf8')
      .trim()
      .split('\n');
    expect(exported[0]).toMatch(/^response_id,counter,submitted_at,mode,/);
    expect(exported).toHaveLength(61);
    const [scoresFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Điểm theo quầy (CSV)' }).click(),
    ]);
    const scoresCsv = readFileSync(await scoresFile.path(), 'utf8')
      .trim()
      .split('\n');
    expect(scoresCsv[0]).toBe(
      'group,level,code,valid,satisfied,index,se,ci_low,ci_high,' +
        'name,respondents,modes,transactions,response_rate,group_flags,flags,rules',
    );
    const stp = counters.groups.find((g) => g.key.counter === 'BRVT.STP.Q1');
    const stpRow = scoresCsv.find((line) => line.startsWith('counter:BRVT.STP.Q1,sipas,'));
    expect(Number(stpRow?.split(',')[5])).toBe(stp?.sipas.index);
    expect(faults).toEqual([]);
    expect(await page.locator('[style]').count(), 'inline style attributes').toBe(0);
    await checkAxe(page, 'scores');

    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'console-scores-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await title.focus();
    await checkAxe(page, 'scores at 390 px');
    await page.screenshot({ path: join(screenshots, 'console-scores-390.png'), fullPage: true });

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'English' }).click();
    await heading(page, 'Scores: BRVT-2025').waitFor();
    expect(await page.locator('[data-figure="sipas"]').textContent()).toBe(
      `${fixed(whole.sipas.index, en)}%`,
    );
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await checkAxe(page, 'scores in English');
    expect(faults).toEqual([]);
    await context.close();
  });

  it('lets an admin create an analyst of one department, who then signs in; and revoke a token', async () => {
    const { context, page, faults } = await desk();
    await signIn(page, 'admin');
    await page.getByRole('link', { name: 'Tài khoản & token' }).click();
    await heading(page, 'Tài khoản & token').waitFor();
    await page.locator('tr[data-login="admin"]').waitFor();
    /** An analyst of BRVT.SKHDT, sent from the new account form. */
    const createAnalyst = async (login: string, name: string, password: string) => {
      await page.locator('#account-login').fill(login);
      await page.locator('#account-name').fill(name);
      await page.locator('#account-role').selectOption('analyst');
      await page.locator('#account-unit').selectOption('BRVT.SKHDT');
      await page.locator('#account-password').fill(password);
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    };
    await createAnalyst('skhdt.analyst', 'Phân tích SKHDT', 'mật khẩu của SKHDT');
    await page.getByText('Đã tạo tài khoản skhdt.analyst.').waitFor();
    expect(await page.locator('tr[data-login="skhdt.analyst"] td').allTextContents()).toEqual([
      'skhdt.analyst',
      'Phân tích SKHDT',
      'phân tích',
      'BRVT.SKHDT',
      'đang dùng',
      'Khóa Đặt lại mật khẩu',
    ]);
    // A field the server refused says why beneath it; an account with no password signs in by
    // single sign-on only.
    await createAnalyst('sso.only', 'Một cửa', 'ngắn');
    await page.locator('#account-password-error').waitFor();
    expect(await page.locator('#account-password-error').textContent()).toBe(
      'mật khẩu cần ít nhất 10 ký tự',
    );
    expect(await page.locator('#account-password').getAttribute('aria-invalid')).toBe('true');
    await checkAxe(page, 'a refused field');
    await createAnalyst('sso.only', 'Một cửa', '');
    await page.getByText('Đã tạo tài khoản sso.only.').waitFor();
    await page.locator('tr[data-login="sso.only"]').waitFor();
    expect(await page.locator('tr[data-login="sso.only"] td').allTextContents()).toEqual([
      'sso.only',
      'Một cửa',
      'phân tích',
      'BRVT.SKHDT',
      'đang dùng; chỉ đăng nhập một cửa',
      'Khóa Đặt mật khẩu',
    ]);
    await checkAxe(page, 'accounts and tokens');

    // A script's token, revoked in the console: the API refuses it on its next request.
    const script = await createApiToken(server.connection.db, actor, {
      role: 'analyst',
      unit: 'BRVT',
      name: 'báo cáo tự động',
    });
    const me = () =>
      fetch(`${server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${script}` } });
    expect((await me()).status).toBe(200);
    await page.reload();
    const row = page.locator(`tr[data-prefix="${tokenPrefixOf(script)}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(6).textContent()).not.toBe('–'); // last used
    await row.getByRole('button', { name: 'Thu hồi' }).click();
    await page.getByText(`Đã thu hồi token ${tokenPrefixOf(script)}.`).waitFor();
    expect((await me()).status).toBe(401);

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByText('Đã đăng xuất.').waitFor();
    expect((await context.cookies()).filter((cookie) => cookie.name === 'sipas_session')).toEqual(
      [],
    );

    await signIn(page, 'skhdt.analyst', 'mật khẩu của SKHDT');
    await heading(page, 'Đợt khảo sát').waitFor();
    const who = page.locator('.who');
    expect(await who.textContent()).toBe('Phân tích SKHDT · phân tích · BRVT.SKHDT');
    // Only admins see the accounts page in the navigation.
    expect(await page.getByRole('link', { name: 'Tài khoản & token' }).count()).toBe(0);
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'sipas_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // The session is the cookie alone: the tab keeps only its language, never a credential.
    expect(await page.evaluate(() => ({ ...sessionStorage }))).toEqual({
      'sipas.console.lang': 'vi',
    });

    // The province-wide campaign is in the department analyst's list; its progress shows the
    // department's counter and no other unit's row.
    await page
      .getByRole('row', { name: /BRVT-2025/ })
      .getByRole('link', { name: 'BRVT-2025' })
      .click();
    await page.locator('tr[data-counter="BRVT.SKHDT.Q1"]').waitFor();
    expect(
      await page
        .locator('tr[data-counter]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-counter'))),
    ).toEqual(['BRVT.SKHDT.Q1']);
    expect(faults).toEqual([]);
    await context.close();
  });
  it('lets an admin import peer groups, refusing a bad file whole; and flags a scope on an ended unit', async () => {
    const db = server.connection.db;
    const { context, page, faults } = await desk();
    await signIn(page, 'admin');
    await page.getByRole('link', { name: 'Nhóm so sánh' }).click();
    await heading(page, 'Nhóm so sánh').waitFor();
    const peers = (rows: string) => ({
      name: 'peers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`group,period,unit\n${rows}`),
    });
    await page
      .getByLabel('Tệp peers.csv')
      .setInputFiles(peers('so-nganh,2025,BRVT.SKHDT\nso-nganh,2025,BRVT.NOPE\n'));
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    await page.getByText('không có đơn vị BRVT.NOPE').waitFor();
    expect(await page.locator('li code').allTextContents()).toEqual(['line 3, column unit']);
    expect(await db.selectFrom('peer_group').select('id').execute()).toEqual([]);
    await page
      .getByLabel('Tệp peers.csv')
      .setInputFiles(peers('so-nganh,2025,BRVT.SKHDT\nso-nganh,2025,BRVT.STP\n'));
    await page.getByRole('button', { name: 'Nhập', exact: true }).click();
    await page.getByText('so-nganh 2025: 2 đơn vị').waitFor();
    await page
      .locator('tr[data-group="so-nganh"]')
      .getByRole('button', { name: 'Xem đơn vị' })
      .click();
    await page.locator('table[data-table="peer-members"] tr[data-unit="BRVT.STP"]').waitFor();
    expect(
      await page.locator('table[data-table="peer-members"] tbody td.code').allTextContents(),
    ).toEqual(['BRVT.SKHDT', 'BRVT.STP']);
    await checkAxe(page, 'peer groups');

    // The league table of the group on the example campaign (period 2025): its two units alone,
    // SKHDT 78.19 first and STP 77.26 second (fixtures/examples/expected.json), once the
    // small-sample groups are let in.
    await page.goto(`${server.url}/console/campaigns/BRVT-2025/scores`);
    await page.locator('#scores-peers').selectOption('so-nganh');
    await page.locator('#rank-peers-flagged').check();
    const league = page.locator('table[data-table="rank-peers"] tbody tr');
    await league.nth(1).waitFor();
    expect(
      await league.evaluateAll((rows) =>
        rows.map((row) => [row.querySelector('td')?.textContent, row.getAttribute('data-group')]),
      ),
    ).toEqual([
      ['1', 'BRVT.SKHDT'],
      ['2', 'BRVT.STP'],
    ]);
    await checkAxe(page, 'a league table of a peer group');

    // Châu Đức ends, merged into a new unit: its surveyor's scope needs review.
    await createAccount(db, actor, {
      login: 'chauduc.analyst',
      name: 'Phân tích Châu Đức',
      role: 'analyst',
      unit: 'BRVT.CHAUDUC',
      password: PASSWORD,
    });
    const ended = await db
      .selectFrom('unit')
      .select('id')
      .where('code', '=', 'BRVT.CHAUDUC')
      .executeTakeFirstOrThrow();
    const { id: successor } = await db
      .insertInto('unit')
      .values({ code: 'BRVT.CD2', name: 'Châu Đức mới', parent_id: null, valid_from: '2025-07-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: reorganisation } = await db
      .insertInto('reorganisation')
      .values({ effective_on: '2025-07-01', applied_by: 'test', plan: JSON.stringify({}) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('unit')
      .set({ valid_to: '2025-07-01' })
      .where('id', '=', ended.id)
      .execute();
    await db
      .insertInto('unit_lineage')
      .values({
        reorganisation_id: reorganisation,
        predecessor_id: ended.id,
        successor_id: successor,
        share: 1,
      })
      .execute();
    await page.getByRole('link', { name: 'Tài khoản & token' }).click();
    const scope = page.locator('tr[data-login="chauduc.analyst"] td[data-scope-review]');
    await scope.waitFor();
    expect(await scope.textContent()).toBe(
      'BRVT.CHAUDUC Cần xem lại phạm viĐơn vị đã kết thúc; đơn vị kế tiếp: BRVT.CD2.',
    );
    await checkAxe(page, 'a scope needing review');
    expect(faults).toEqual([]);
    await context.close();
  });
});
