// The scorecard page end to end, in Debian's Chromium against the real server: a framework of
// three levels with points per leaf, shown at level field with bands and each field's percent.
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

describe.skipIf(!haveChromium)('the scorecard page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startScratchServer('scorecard');
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
      file(
        'unit,name,parent,type',
        'P,Tỉnh P,,province',
        'P.A,Huyện A,P,district',
        'P.B,Huyện B,P,district',
      ),
    );
    // Field 1 (30) = 1.1 (10) + 1.2 (20); field 2 (20), a leaf.
    await importFrameworkTree(
      db,
      actor,
      { code: 'p-card', name: 'Khung thử' },
      file('node,name,max', '1,Chỉ đạo,', '1.1,Kế hoạch,10', '1.2,Kiểm tra,20', '2,Hài lòng,20'),
    );
    // P.A: field 1 9 + 18 = 27 of 30 (90%), field 2 18 of 20 (90%), total 45 of 50, 90%: A.
    // P.B: field 1 8 + 12 = 20 of 30 (66.67%), field 2 20 (100%), total 40 of 50, 80%: B.
    await importPoints(
      db,
      actor,
      { framework: 'p-card', period: '2025' },
      file(
        'unit,component,points',
        'P.A,1.1,9',
        'P.A,1.2,18',
        'P.A,2,18',
        'P.B,1.1,8',
        'P.B,1.2,12',
        'P.B,2,20',
      ),
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the fields of a level with their percent, rank and the band', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInWithPassword(page, server.url, 'admin');
    await page.getByRole('link', { name: 'Điểm CCHC', exact: true }).click();
    await page.getByLabel('Khung điểm').fill('p-card');
    await page.getByLabel('Kỳ', { exact: true }).fill('2025');
    await page.getByLabel('So sánh các đơn vị trực thuộc').selectOption('P');
    await page.getByLabel('Các mục hiển thị').selectOption({ label: 'các lĩnh vực' });
    await page.getByRole('button', { name: 'Xem bảng điểm' }).click();
    const rows = page.locator('table[data-table="scorecard"] tbody tr');
    await rows.first().waitFor();
    const cells = await rows.evaluateAll((r) =>
      r.map((row) => [
        row.getAttribute('data-unit'),
        row.querySelector('[data-band]')?.textContent,
        ...[...row.querySelectorAll('[data-node]')].map((c) => c.textContent),
      ]),
    );
    expect(cells).toEqual([
      ['P.A', 'A', '90,00% (27,00 / 30,00)hạng 1', '90,00% (18,00 / 20,00)hạng 2'],
      ['P.B', 'B', '66,67% (20,00 / 30,00)hạng 2', '100,00% (20,00 / 20,00)hạng 1'],
    ]);
    await context.close();
  });
});
