// An official's single-use link end to end: Debian's Chromium on a 360×740 phone against the
// real server (embedded PGlite in a temporary directory), the page's own strict CSP, axe-core on
// each screen.
import { Readable } from 'node:stream';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { importUnits } from '../../api/services/units.ts';
import { vietnamDate } from '../../api/services/vietnam-time.ts';
import { seedOfficialSurvey, type SeededSurvey } from '../../db/official-surveys.testing.ts';
import { staleSurveyBuild } from '../../scripts/bundle-size.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { checkAxe } from '../console/axe.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const DAY_MS = 86_400_000;
/** The items of par-officials-2020, and the option each test answers with (A 0 … D 3). */
const items = ['LD1', 'LD2', 'LD3', 'LD4', 'LD5', 'LD6', 'LD7', 'LD8'];
const choices = ['A', 'B', 'C', 'D', 'A', 'B', 'C', 'D'];
const stored = [0, 1, 2, 3, 0, 1, 2, 3];

describe.skipIf(!haveChromium)("an official's link in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let seeded: SeededSurvey;

  beforeAll(async () => {
    const stale = staleSurveyBuild();
    if (stale) throw new Error(`${stale} is newer than survey-app/dist: run npm run build.`);
    server = await startScratchServer('officials');
    const db = server.connection.db;
    await importUnits(
      db,
      operator('test'),
      Readable.from(['unit,name,parent\nT,Tỉnh Thử,\nT.SNV,Sở Nội vụ,T\n']),
    );
    const now = Date.now();
    seeded = await seedOfficialSurvey(db, {
      unit: 'T.SNV',
      opensOn: vietnamDate(new Date(now - DAY_MS)),
      closesOn: vietnamDate(new Date(now + 30 * DAY_MS)),
      invited: 3,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const url = (i: number) => `${server.url}/o/${seeded.tokens[i]}`;
  const answers = () =>
    server.connection.db.selectFrom('official_response').select('answers').execute();

  /** A phone: a fresh context, and a record of what the page's CSP refused or what threw. */
  async function phone() {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    const faults: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) faults.push(message.text());
    });
    page.on('pageerror', (error) => faults.push(error.message));
    return { context, page, faults };
  }

  const heading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true });
  const radio = (page: Page, item: string, option: string) =>
    page.locator(`#q-${item}`).getByRole('radio', { name: new RegExp(`^${option}\\.`) });
  async function choose(page: Page, from: number, to: number) {
    for (let i = from; i < to; i++) await radio(page, items[i] ?? '', choices[i] ?? '').check();
  }

  it('answers a link on a phone and thanks; the link is used after, to anyone', async () => {
    const { context, page, faults } = await phone();
    const reply = await page.goto(url(0));
    expect(reply?.status()).toBe(200);
    expect(reply?.headers()['content-security-policy']).toContain("script-src 'self'");
    await heading(page, 'Điều tra cán bộ 2026').waitFor();
    await page.getByText('Lãnh đạo phòng').waitFor();
    await checkAxe(page, 'the questions');
    // Sending without answers: each question says so, the count is announced, focus on the first.
    await page.getByRole('button', { name: 'Gửi câu trả lời' }).click();
    await page.getByRole('alert').getByText('Còn 8 câu chưa trả lời.').waitFor();
    expect(await page.getByText('Xin chọn một câu trả lời.').count()).toBe(8);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('LD1');
    await checkAxe(page, 'unanswered');
    await choose(page, 0, 8);
    await page.getByText('Đã trả lời 8/8 câu').waitFor();
    // English, from the instrument's own texts.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('The direction and steering of administrative reform').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await checkAxe(page, 'English');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('button', { name: 'Gửi câu trả lời' }).click();
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor();
    await checkAxe(page, 'thanks');
    expect(await answers()).toEqual([{ answers: stored }]);
    // This phone, reopening its link, still reads its thanks.
    await page.reload();
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor();
    expect(faults).toEqual([]);
    await context.close();

    // Anyone else opening it is told it was used.
    const other = await phone();
    const used = await other.page.goto(url(0));
    expect(used?.status()).toBe(409);
    await heading(other.page, 'Đường dẫn đã được dùng').waitFor();
    await checkAxe(other.page, 'used');
    expect(other.faults).toEqual([]);
    await other.context.close();
  });

  it('keeps the answers through a reload offline, and sends once when back online', async () => {
    const { context, page, faults } = await phone();
    await page.goto(url(1));
    // The service worker (registered for /o/) has kept the page and its assets.
    await expect
      .poll(() =>
        page.evaluate(
          async () =>
            navigator.serviceWorker.controller !== null &&
            (await caches.match(location.href)) !== undefined,
        ),
      )
      .toBe(true);
    await choose(page, 0, 4);
    await context.setOffline(true);
    await page.reload();
    await heading(page, 'Điều tra cán bộ 2026').waitFor();
    expect(await radio(page, 'LD4', 'D').isChecked()).toBe(true);
    await page.getByText('Đã trả lời 4/8 câu').waitFor();

    await choose(page, 4, 8);
    await page.getByRole('button', { name: 'Gửi câu trả lời' }).click();
    await page
      .getByRole('status')
      .getByText(/lưu trên điện thoại/)
      .waitFor();
    await checkAxe(page, 'offline');
    expect(await answers()).toHaveLength(1);

    const posts: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/responses')) posts.push(response.status());
    });
    await context.setOffline(false);
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor();
    expect(posts).toEqual([201]);
    expect(await answers()).toEqual([{ answers: stored }, { answers: stored }]);
    expect(faults).toEqual([]);
    await context.close();
  });

  it('tells a revoked link apart, in both languages', async () => {
    await server.connection.db
      .updateTable('official_invitation')
      .set({ revoked_at: new Date(), revoke_reason: 'sent to the wrong person' })
      .where('token', '=', seeded.tokens[2] ?? '')
      .execute();
    const { context, page, faults } = await phone();
    expect((await page.goto(url(2)))?.status()).toBe(410);
    await heading(page, 'Đường dẫn đã bị thu hồi').waitFor();
    await checkAxe(page, 'revoked');
    await page.getByRole('button', { name: 'English' }).click();
    await heading(page, 'This link was revoked').waitFor();
    expect(faults).toEqual([]);
    await context.close();
  });
});
