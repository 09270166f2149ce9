// The reorganisation page end to end, in Debian's Chromium against the real server: a bad file
// is refused with its problems by line and column, a good one is previewed with every change
// and the open campaign it touches, then applied.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { openExampleCampaign } from '../../api/services/examples.testing.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { signInWithPassword, TEST_PASSWORD } from './sign-in.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const actor = operator('test');
const csv = (name: string, text: string) => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(text),
});
const HEADER = 'predecessor,successor,share,successor_name,successor_parent,successor_type\n';

describe.skipIf(!haveChromium)('the reorganisation page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startScratchServer('reorganisation');
    const db = server.connection.db;
    // The example campaign (2025) holds the three counters.
    await openExampleCampaign(db, { responses: false });
    await createAccount(db, actor, {
      login: 'admin',
      name: 'Quản trị',
      role: 'admin',
      password: TEST_PASSWORD,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a bad file by line and column, previews a merge, applies it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInWithPassword(page, server.url, 'admin');
    await page.getByRole('link', { name: 'Sắp xếp lại' }).click();
    await page.getByLabel('Ngày có hiệu lực').fill('2025-01-01');
    const file = page.getByLabel('reorganisation.csv (bắt buộc)');
    await file.setInputFiles(
      csv('reorganisation.csv', `${HEADER}BRVT.NOPE,,,,,\nBRVT.STP,,2,,,\n`),
    );
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText('Các tệp có 2 lỗi').waitFor();
    const problems = await page
      .locator('table tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
      );
    expect(problems).toEqual([
      ['2', 'predecessor', 'không có đơn vị BRVT.NOPE'],
      ['3', 'share', 'một số lớn hơn 0 và không quá 1 (để trống: 1)'],
    ]);

    await file.setInputFiles(
      csv(
        'reorganisation.csv',
        `${HEADER}BRVT.SKHDT,BRVT.STC,1,Sở Tài chính,BRVT,department\n` +
          'BRVT.STP,BRVT.STC,1,Sở Tài chính,BRVT,department\n',
      ),
    );
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await page.getByText('Xem trước, ngày 2025-01-01: 4 đơn vị trước ngày đó').waitFor();
    const changes = page.locator('table[data-table="changes"] tbody tr');
    expect(await changes.evaluateAll((rows) => rows.map((row) => row.textContent))).toEqual([
      'sáp nhậpBRVT.SKHDT Sở Kế hoạch và Đầu tư, BRVT.STP Sở Tư phápBRVT.STC Sở Tài chính (mới)',
    ]);
    expect(await page.locator('table[data-table="campaigns"] tbody tr').first().textContent()).toBe(
      'BRVT-2025 BRVT-2025BRVT.SKHDT.Q1, BRVT.STP.Q1',
    );

    await page.getByRole('button', { name: 'Áp dụng' }).click();
    await page.getByText('Đã áp dụng lần sắp xếp lại số 1, ngày 2025-01-01').waitFor();
    await context.close();
  });
});
