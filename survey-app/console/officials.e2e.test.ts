// The officials' survey end to end (par-cycle.md §5), in Debian's Chromium against the real
// server: a surveyor creates a survey of par-officials-2020 on par-2020-province, has a bad
// groups file refused whole, loads a group of 10 for one unit and downloads its links; 6 of them
// are answered on a phone through /o/{token}; the rate shows 60%; a link is reissued and the
// slips printed; a second unit's group of 3 with 1 answer is withheld; an admin derives the PAR
// points, the results page shows the `leaders` leaf's points and the existing PAR scorecard of
// the period includes them; the unit's own account reads them on a phone. axe-core on every new
// screen.
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { importUnits } from '../../api/services/units.ts';
import { vietnamDate } from '../../api/services/vietnam-time.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { checkAxe } from './axe.testing.ts';
import { signInWithPassword, TEST_PASSWORD } from './sign-in.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const actor = operator('test');
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

/**
 * The 6 respondents' choices, one letter an item LD1..LD8 (A 100%, B 60%, C 20%, D 0% of the
 * item's points). Each respondent's share y is the mean over the 8 items of the `leaders` leaf:
 * 100, 100, 60, 60, (4 × 100 + 4 × 20) / 8 = 60 and (4 × 60 + 4 × 20) / 8 = 40.
 */
const CHOICES = ['AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB', 'BBBBBBBB', 'AAAACCCC', 'BBBBCCCC'];

// The figures of P.A's `leaders` leaf (max 23.5), worked by hand from those shares:
// mean share ȳ = (100 + 100 + 60 + 60 + 60 + 40) / 6 = 420 / 6 = 70 → 70,00;
// points = 70 / 100 × 23.5 = 16.45 → 16,450 of 23,5;
// s² = (30² + 30² + 10² + 10² + 10² + 30²) / 5 = 3000 / 5 = 600; n = 6 of N = 10 invited:
// SE = 23.5 / 100 × √((1 − 6/10) × 600 / 6) = 0.235 × √40 = 1.48627… → 1,49;
// interval = 16.45 ± 1.959964 × 1.48627 = 16.45 ± 2.91304 = [13.53696, 19.36304] → 13,54 – 19,36.
const LEADERS = ['6', '70,00', '16,450 / 23,5', '1,49', '13,54 – 19,36'];

describe.skipIf(!haveChromium)("the officials' survey in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  const today = vietnamDate(new Date());
  const closes = vietnamDate(new Date(Date.now() + 30 * 86_400_000));

  beforeAll(async () => {
    server = await startScratchServer('officials');
    const db = server.connection.db;
    await importUnits(
      db,
      actor,
      file(
        'unit,name,parent,type',
        'VN,Cả nước,,',
        'P.A,Tỉnh A,VN,province',
        'P.B,Tỉnh B,VN,province',
      ),
    );
    const accounts = [
      { login: 'admin', name: 'Quản trị', role: 'admin' },
      { login: 'khao-sat', name: 'Khảo sát Bộ', role: 'surveyor', unit: 'VN' },
      { login: 'tinh-a', name: 'Văn phòng tỉnh A', role: 'unit', unit: 'P.A' },
    ] as const;
    for (const account of accounts) {
      await createAccount(db, actor, { ...account, password: TEST_PASSWORD });
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const status = (page: Page, text: string) =>
    page.getByRole('status').filter({ hasText: text }).waitFor();

  async function open(login: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const faults: string[] = [];
    // What the console's CSP refused, or what threw.
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) faults.push(message.text());
    });
    page.on('pageerror', (error) => faults.push(error.message));
    await signInWithPassword(page, server.url, login);
    return { context, page, faults };
  }

  /** Uploads a groups file through the survey page's form. */
  async function uploadGroups(page: Page, csv: string) {
    await page.getByLabel('Tệp nhóm (CSV, XLSX)').setInputFiles({
      name: 'nhom.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await page.getByRole('button', { name: 'Tải lên và phát đường dẫn' }).click();
  }

  /** The links CSV the page downloads: its header and its rows, each split into its cells. */
  async function downloadLinks(page: Page) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Tải danh sách CSV' }).click(),
    ]);
    const [header, ...rows] = (await readFile(await download.path(), 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
      .map((line) => line.split(','));
    return { header, rows };
  }

  /** The token of a link `…/o/{token}`. */
  const tokenOf = (link: string | undefined) => /\/o\/([A-Za-z0-9_-]{22})$/.exec(link ?? '')?.[1];

  /** The cells of a unit's rows of the results (the unit's leaf, then the group's). */
  const resultCells = (page: Page, selector: string) =>
    page.locator(`table[data-table="official-results"] tr${selector} td`).allTextContents();

  /** One link answered on a phone through the officials' page, to its thanks. */
  async function answer(page: Page, token: string, choices: string, screen?: string) {
    await page.goto(`${server.url}/o/${token}`);
    await page
      .getByRole('heading', { level: 1, name: 'Điều tra lãnh đạo, quản lý 2020' })
      .waitFor();
    for (const [i, code] of [...choices].entries()) {
      await page
        .locator(`#q-LD${i + 1}`)
        .getByRole('radio', { name: new RegExp(`^${code}\\.`) })
        .check();
    }
    if (screen) await checkAxe(page, screen);
    await page.getByRole('button', { name: 'Gửi câu trả lời' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cảm ơn Ông/Bà!' }).waitFor();
  }

  it('runs a survey from its groups to the PAR scorecard', async () => {
    const surveyor = await open('khao-sat');
    let page = surveyor.page;
    await page
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Khảo sát cán bộ' })
      .click();
    await page.getByRole('heading', { name: 'Điều tra xã hội học lãnh đạo, công chức' }).waitFor();
    await page.getByText('Chưa có cuộc khảo sát nào.').waitFor();
    const create = page.locator('section[aria-labelledby="official-create-h"]');
    await create.getByLabel('Mã', { exact: true }).fill('LD-2020');
    await create.getByLabel('Tên', { exact: true }).fill('Điều tra lãnh đạo, quản lý 2020');
    expect(await create.getByLabel('Bộ câu hỏi').inputValue()).toBe('par-officials-2020');
    expect(await create.getByLabel('Khung điểm').inputValue()).toBe('par-2020-province');
    await create.getByLabel('Kỳ', { exact: true }).fill('2020');
    await create.getByLabel('Mở từ ngày').fill(today);
    await create.getByLabel('Đến hết ngày').fill(closes);
    await checkAxe(page, "the officials' surveys");
    await create.getByRole('button', { name: 'Tạo cuộc khảo sát' }).click();
    await status(page, 'Đã tạo cuộc khảo sát LD-2020.');
    await page.getByRole('link', { name: 'LD-2020', exact: true }).click();
    await page.getByRole('heading', { name: 'Điều tra lãnh đạo, quản lý 2020' }).waitFor();
    await page.getByText('Chưa có nhóm nào: tải lên tệp nhóm.').waitFor();
    await checkAxe(page, 'a new survey');

    // A file with a count of 0 and an unknown unit is refused whole, each line named.
    await uploadGroups(page, 'unit,group,count\nP.A,Lãnh đạo sở,0\nP.X,Lãnh đạo sở,3\n');
    const problems = page.locator('.note-error table tbody tr');
    await problems.first().waitFor();
    expect(
      await problems.evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)),
      ),
    ).toEqual([
      ['2', 'count'],
      ['3', 'unit'],
    ]);
    await page.getByText('Không nhóm nào được lưu, không đường dẫn nào được phát.').waitFor();
    await checkAxe(page, 'a refused groups file');

    // A group of 10 invited officials of P.A: 10 links.
    await uploadGroups(page, 'unit,group,count\nP.A,Lãnh đạo sở,10\n');
    await status(page, 'Đã lưu 1 nhóm và phát 10 đường dẫn mới.');
    const rate = (group = '') =>
      page
        .locator(
          `table[data-table="official-rate"] tr[data-unit="P.A"]${group ? `[data-group="${group}"]` : ':not([data-group])'} [data-figure="rate"]`,
        )
        .textContent();
    await expect.poll(() => rate()).toBe('0,00%');

    // The links for a mail merge: 10, each active; nothing says whether a link was used.
    const { header, rows } = await downloadLinks(page);
    expect(header).toEqual(['unit', 'unit_name', 'group', 'number', 'link', 'status', 'issued']);
    expect(rows).toHaveLength(10);
    const links = rows.map(([unit, , group, number, link, state]) => {
      expect([unit, group, state]).toEqual(['P.A', 'Lãnh đạo sở', 'active']);
      const token = tokenOf(link);
      expect(token).toBeDefined();
      return { number: Number(number), token: token ?? '' };
    });
    await checkAxe(page, 'a survey with its group');

    // 6 of the 10 links answered on a phone.
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const mobile = await phone.newPage();
    for (const [i, choices] of CHOICES.entries()) {
      await answer(
        mobile,
        links[i]?.token ?? '',
        choices,
        i === 0 ? "an official's page" : undefined,
      );
    }
    await phone.close();

    // A link of the 4 unanswered is reissued: the group still invites 10.
    const spare = links[9]?.number ?? 0;
    await page.getByLabel('Số đường dẫn').fill(String(spare));
    await page.getByLabel('Lý do', { exact: true }).fill('Gửi nhầm người');
    await page.getByRole('button', { name: 'Thu hồi và cấp lại' }).click();
    await page.locator('[data-reissued]').waitFor();
    expect(await page.locator('[data-reissued]').textContent()).toMatch(
      new RegExp(
        `^Đã thu hồi đường dẫn số ${spare}; đường dẫn mới số \\d+: .*/o/[A-Za-z0-9_-]{22}$`,
      ),
    );
    const fresh = Number(
      /số (\d+):/.exec((await page.locator('[data-reissued]').textContent()) ?? '')?.[1],
    );

    // The printable slips: the 10 active links (9 first issued, the new one), each with its QR.
    const [sheet] = await Promise.all([
      surveyor.context.waitForEvent('page'),
      page.getByRole('button', { name: 'Mở phiếu in (mã QR)' }).click(),
    ]);
    await sheet.waitForURL(/^blob:/);
    await sheet.waitForLoadState('load');
    const slips = await sheet.$$eval('article.slip', (all) =>
      all.map((slip) => ({
        number: Number(/số (\d+)/.exec(slip.textContent ?? '')?.[1]),
        qr: slip.querySelectorAll('svg path').length > 0,
      })),
    );
    expect(slips.map((slip) => slip.number).sort((a, b) => a - b)).toEqual(
      [...links.slice(0, 9).map((link) => link.number), fresh].sort((a, b) => a - b),
    );
    expect(slips.every((slip) => slip.qr)).toBe(true);
    await sheet.close();
    await status(page, 'Đã mở phiếu in trong thẻ mới.');

    // A used link cannot be reissued: its answer counts.
    await page.getByLabel('Số đường dẫn').fill(String(links[0]?.number));
    await page.getByLabel('Lý do', { exact: true }).fill('Thử');
    await page.getByRole('button', { name: 'Thu hồi và cấp lại' }).click();
    await page.locator('#reissue-h ~ .note-error').waitFor();
    expect(await page.locator('#reissue-h ~ .note-error').textContent()).toContain('409');

    // 6 of 10: 60%.
    await page.getByRole('button', { name: 'Cập nhật ngay' }).click();
    await expect.poll(() => rate()).toBe('60,00%');
    expect(await rate('Lãnh đạo sở')).toBe('60,00%');

    // P.B: a group of 3, its links listed alone; 1 answers, all A (100%, so 23.5 points; one
    // respondent gives no variance: no SE, no interval). The group is under 5: withheld.
    await uploadGroups(page, 'unit,group,count\nP.B,Lãnh đạo sở,3\n');
    await status(page, 'Đã lưu 1 nhóm và phát 3 đường dẫn mới.');
    await page.getByLabel('Đơn vị của danh sách').selectOption('P.B');
    const ofB = await downloadLinks(page);
    expect(ofB.rows.map((row) => row[0])).toEqual(['P.B', 'P.B', 'P.B']);
    const again = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await answer(await again.newPage(), tokenOf(ofB.rows[0]?.[4]) ?? '', 'AAAAAAAA');
    await again.close();
    await page.getByRole('button', { name: 'Cập nhật ngay' }).click();
    await expect
      .poll(() => resultCells(page, '[data-unit="P.B"][data-leaf="leaders"]:not([data-group])'))
      .toEqual(['1', '100,00', '23,500 / 23,5', '—', '—']);
    expect(await resultCells(page, '[data-unit="P.B"][data-group="Lãnh đạo sở"]')).toEqual([
      '1',
      'Ẩn (dưới 5 người)',
    ]);
    // Extended by a week: the heading's line says the new last day.
    const later = vietnamDate(new Date(Date.now() + 37 * 86_400_000));
    await page.getByLabel('Đến hết ngày').fill(later);
    await page.getByRole('button', { name: 'Đổi tên, hạn trả lời' }).click();
    await status(page, 'Đã lưu thay đổi.');
    const [y, m, d] = later.split('-');
    await expect
      .poll(() => page.locator('.page-sub').textContent())
      .toContain(`hết ${d}/${m}/${y}`);
    // The surveyor reads the results, and derives nothing.
    await expect
      .poll(() => resultCells(page, '[data-unit="P.A"][data-leaf="leaders"]:not([data-group])'))
      .toEqual(LEADERS);
    expect(await page.getByRole('button', { name: 'Tính điểm PAR' }).count()).toBe(0);
    expect(surveyor.faults).toEqual([]);
    await surveyor.context.close();

    // An admin derives the PAR points of 2020 from the survey.
    const admin = await open('admin');
    page = admin.page;
    await page.getByRole('link', { name: 'Khảo sát cán bộ', exact: true }).click();
    await page.getByRole('link', { name: 'LD-2020', exact: true }).click();
    await page.getByRole('button', { name: 'Tính điểm PAR' }).click();
    await status(page, 'Đã lưu 2 điểm của 2 đơn vị.');
    expect(
      await resultCells(page, '[data-unit="P.A"][data-leaf="leaders"]:not([data-group])'),
    ).toEqual(LEADERS);
    // The group holds every respondent of the unit: the same figures (N = 10 too).
    expect(
      await resultCells(page, '[data-unit="P.A"][data-group="Lãnh đạo sở"][data-leaf="leaders"]'),
    ).toEqual(LEADERS);
    await checkAxe(page, "a survey's results");

    // The PAR scorecard of 2020 among the provinces: P.A's leaders component, 16,45 of 23,50.
    await page.getByRole('link', { name: 'Xem bảng điểm CCHC' }).click();
    await page.getByLabel('Khung điểm').fill('par-2020-province');
    await page.getByLabel('Kỳ', { exact: true }).fill('2020');
    await page.getByLabel('So sánh các đơn vị trực thuộc').selectOption('VN');
    await page.getByRole('button', { name: 'Xem bảng điểm' }).click();
    const row = page.locator('table[data-table="scorecard"] tr[data-unit="P.A"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('16,45 / 23,50');
    expect(admin.faults).toEqual([]);
    await admin.context.close();

    // The province's own account reads its results, on a phone, and runs nothing.
    const unit = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await unit.newPage();
    await signInWithPassword(page, server.url, 'tinh-a');
    await page.goto(`${server.url}/console/officials/LD-2020`);
    await expect
      .poll(() => resultCells(page, '[data-unit="P.A"][data-leaf="leaders"]:not([data-group])'))
      .toEqual(LEADERS);
    expect(await page.getByRole('button', { name: 'Tải lên và phát đường dẫn' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Tỷ lệ trả lời' }).count()).toBe(0);
    await checkAxe(page, "a unit's results on a phone");
    await unit.close();
  }, 180_000);
});
