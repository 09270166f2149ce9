// The framework viewer end to end, in Debian's Chromium against the real server: a framework
// of three levels imported as framework.csv shows as its tree, with maxima, sources, unit types,
// guidance and bands; the flat par-2020-province as a tree of depth one.
import { Readable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { importFrameworkTree } from '../../api/services/frameworks.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { signInWithPassword, TEST_PASSWORD } from './sign-in.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const actor = operator('test');

describe.skipIf(!haveChromium)('the framework viewer in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startScratchServer('frameworks');
    const db = server.connection.db;
    await createAccount(db, actor, {
      login: 'admin',
      name: 'Quản trị',
      role: 'admin',
      password: TEST_PASSWORD,
    });
    // Field 1 (30) = 1.1 (10) + 1.2 (20 = 1.2.1 12 + 1.2.2 8, communes only); field 2 (20).
    const file = [
      'node,name,max,source,applies_to,guidance',
      '1,Chỉ đạo điều hành,,,,',
      '1.1,Kế hoạch CCHC,10,assessment,,Quyết định ban hành kế hoạch',
      '1.2,Kiểm tra,,,,',
      '1.2.1,Tự kiểm tra,12,assessment,,',
      '1.2.2,Kiểm tra cấp xã,8,assessment,commune,',
      '2,Sự hài lòng,20,sipas,,',
    ].join('\n');
    await importFrameworkTree(
      db,
      actor,
      { code: 'p-tree', name: 'Khung thử' },
      Readable.from([file]),
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a framework as its tree, and a flat one as depth one', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInWithPassword(page, server.url, 'admin');
    await page.getByRole('link', { name: 'Khung điểm' }).click();
    await page.getByLabel('Khung điểm').fill('p-tree');
    await page.getByRole('button', { name: 'Xem khung điểm' }).click();
    const rows = page.locator('table[data-table="framework"] tbody tr');
    await rows.first().waitFor();
    const cells = () =>
      rows.evaluateAll((r) =>
        r.map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent ?? '')),
      );
    expect(await cells()).toEqual([
      ['1', 'Chỉ đạo điều hành', '30,00', '', '', ''],
      [
        '1.1',
        'Kế hoạch CCHC',
        '10,00',
        'tự đánh giá, thẩm định',
        '',
        'Quyết định ban hành kế hoạch',
      ],
      ['1.2', 'Kiểm tra', '20,00', '', '', ''],
      ['1.2.1', 'Tự kiểm tra', '12,00', 'tự đánh giá, thẩm định', '', ''],
      ['1.2.2', 'Kiểm tra cấp xã', '8,00', 'tự đánh giá, thẩm định', 'commune', ''],
      ['2', 'Sự hài lòng', '20,00', 'chỉ số SIPAS', '', ''],
    ]);
    await page.getByText('Khung thử: tối đa 50,00 điểm.').waitFor();
    await page.getByLabel('Khung điểm').fill('par-2020-province');
    await page.getByRole('button', { name: 'Xem khung điểm' }).click();
    await expect
      .poll(async () => (await cells()).map((row) => row[0]))
      .toEqual(['appraisal', 'sipas', 'leaders']);
    await context.close();
  });
});
