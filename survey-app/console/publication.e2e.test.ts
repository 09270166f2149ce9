// Publishing from the scorecard page end to end, in Debian's Chromium against the real server:
// an admin publishes, later points leave the published figures as they were, the figures of now
// are one click away, and publishing again asks for a reason.
import { Readable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { importFrameworkTree } from '../../api/services/frameworks.ts';
import { importPoints } from '../../api/services/par.ts';
import { importUnits } from '../../api/services/units.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { signInWithPassword, TEST_PASSWORD } from './sign-in.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const actor = operator('test');
const file = (...lines: string[]) => Readable.from([lines.join('\n')]);

describe.skipIf(!haveChromium)('publishing from the scorecard page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startScratchServer('publication');
    const db = server.connection.db;
    await createAccount(db, actor, {
      login: 'admin',
      name: 'Quản trị',
      role: 'admin',
      password: TEST_PASSWORD,
    });
    await importUnits(
      db,
      actor,
      file('unit,name,parent', 'P,Tỉnh P,', 'P.A,Huyện A,P', 'P.B,Huyện B,P'),
    );
    await importFrameworkTree(
      db,
      actor,
      { code: 'p-pub', name: 'Khung thử' },
      file('node,name,max', '1,Chỉ đạo,30', '2,Hài lòng,20'),
    );
    // P.A 27 + 18 = 45, P.B 20 + 20 = 40: P.A first.
    await importPoints(
      db,
      actor,
      { framework: 'p-pub', period: '2025' },
      file('unit,component,points', 'P.A,1,27', 'P.A,2,18', 'P.B,1,20', 'P.B,2,20'),
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('publishes, shows the published figures, the live ones on asking, and wants a reason', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInWithPassword(page, server.url, 'admin');
    await page.getByRole('link', { name: 'Điểm CCHC', exact: true }).click();
    await page.getByLabel('Khung điểm').fill('p-pub');
    await page.getByLabel('Kỳ', { exact: true }).fill('2025');
    await page.getByLabel('So sánh các đơn vị trực thuộc').selectOption('P');
    await page.getByRole('button', { name: 'Xem bảng điểm' }).click();
    const rows = page.locator('table[data-table="scorecard"] tbody tr');
    const order = () => rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-unit')));
    await rows.first().waitFor();

    await page.getByRole('button', { name: 'Công bố', exact: true }).click();
    await expect
      .poll(() => page.locator('[data-published-done]').textContent())
      .toBe('Đã công bố phiên bản 1.');
    await page.locator('[data-published="1"]').waitFor();

    // P.B's field 1 rises to 30: 50 points, first now.
    await importPoints(
      server.connection.db,
      actor,
      { framework: 'p-pub', period: '2025' },
      file('unit,component,points', 'P.B,1,30'),
    );
    await page.getByRole('button', { name: 'Xem bảng điểm' }).click();
    await page.locator('[data-published="1"]').waitFor();
    expect(await page.locator('[data-published="1"]').textContent()).toMatch(
      /^Đã công bố phiên bản 1 ngày .+\. Xem số liệu hiện tại$/,
    );
    expect(await order()).toEqual(['P.A', 'P.B']);
    await page.getByRole('button', { name: 'Xem số liệu hiện tại' }).click();
    await page.locator('[data-live]').waitFor();
    await expect.poll(order).toEqual(['P.B', 'P.A']);
    await page.getByRole('button', { name: 'Xem bản đã công bố' }).click();
    await page.locator('[data-published="1"]').waitFor();
    await expect.poll(order).toEqual(['P.A', 'P.B']);

    await page.getByRole('button', { name: 'Công bố', exact: true }).click();
    const reasonError = page.locator('#sc-reason-error');
    await reasonError.waitFor();
    expect(await reasonError.textContent()).toBe(
      'đã công bố phiên bản 1: một bản sửa cần nêu lý do',
    );
    await page.getByLabel('Lý do (bắt buộc khi công bố lại)').fill('Sửa điểm lĩnh vực 1 của P.B');
    await page.getByRole('button', { name: 'Công bố', exact: true }).click();
    await page.locator('[data-published="2"]').waitFor();
    expect(await page.locator('[data-published="2"]').textContent()).toContain(
      '(lý do: Sửa điểm lĩnh vực 1 của P.B)',
    );
    expect(await order()).toEqual(['P.B', 'P.A']);
    await context.close();
  });
});
