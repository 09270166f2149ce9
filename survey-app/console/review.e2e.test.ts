// The admin's review pages end to end, in Debian's Chromium against the real server: the
// quarantine page counts a campaign's quarantined answers by reason and by counter, and
// releasing one changes the counts; the audit log page filters by action.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { createCampaign } from '../../api/services/campaigns/index.ts';
import { issueCounterToken } from '../../api/services/credentials.ts';
import { openExampleCampaign } from '../../api/services/examples.testing.ts';
import { vietnamDate } from '../../api/services/vietnam-time.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { signInWithPassword, TEST_PASSWORD } from './sign-in.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const actor = operator('test');
const CAMPAIGN = 'REVIEW';
const STP = 'BRVT.STP.Q1';
const SKHDT = 'BRVT.SKHDT.Q1';

describe.skipIf(!haveChromium)('the review pages in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    server = await startScratchServer('review');
    const db = server.connection.db;
    await openExampleCampaign(db, { responses: false });
    const today = vietnamDate(new Date());
    await createCampaign(db, actor, {
      code: CAMPAIGN,
      instrument: 'sipas-2017',
      from: today,
      to: today,
      counters: [STP, SKHDT],
    });
    admin = 'admin';
    await createAccount(db, actor, {
      login: admin,
      name: 'Quản trị',
      role: 'admin',
      password: TEST_PASSWORD,
    });
    // Answers with the honeypot filled in: stored quarantined, two at one counter, one at the other.
    for (const [counter, n] of [
      [STP, 2],
      [SKHDT, 1],
    ] as const) {
      const token = await issueCounterToken(db, actor, counter);
      for (let i = 0; i < n; i++) {
        const reply = await fetch(`${server.url}/api/v1/s/${token}/responses`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ id: randomUUID(), answers: { TC1: 4 }, website: 'spam' }),
        });
        expect(reply.status).toBe(201);
      }
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const signIn = (page: Page, login: string) => signInWithPassword(page, server.url, login);

  const countsOf = async (page: Page, table: string) =>
    page
      .locator(`table[data-table="${table}"] tbody tr`)
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.getAttribute('data-key'),
          row.querySelector('td')?.textContent ?? '',
        ]),
      );

  it('counts quarantined answers by reason and counter; releasing one changes the counts', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, admin);
    await page.goto(`${server.url}/console/campaigns/${CAMPAIGN}/quarantine`);
    await page.locator('table[data-table="by-counter"]').waitFor();
    expect(await countsOf(page, 'by-counter')).toEqual([
      [STP, '2'],
      [SKHDT, '1'],
    ]);
    expect(await countsOf(page, 'by-reason')).toEqual([
      ['honeypot (trường ẩn bị điền (máy gửi))', '3'],
    ]);
    expect(await page.locator('[data-shown]').textContent()).toBe(
      'Phiếu 1–3 trong 3 phiếu tạm giữ, cũ nhất trước.',
    );
    const firstStp = page.locator(`table[data-table="quarantined"] tbody tr`, { hasText: STP });
    await firstStp.first().getByRole('checkbox').check();
    await page.getByLabel('Ghi chú (lý do chấp nhận)').fill('Đã gọi lại người dân: phiếu thật');
    await page.getByRole('button', { name: 'Chấp nhận 1 phiếu đã chọn' }).click();
    await page.getByText('Đã chấp nhận 1 phiếu').waitFor();
    await expect
      .poll(() => countsOf(page, 'by-counter'))
      .toEqual([
        [SKHDT, '1'],
        [STP, '1'],
      ]);
    expect(await countsOf(page, 'by-reason')).toEqual([
      ['honeypot (trường ẩn bị điền (máy gửi))', '2'],
    ]);
    await context.close();
  });

  it('filters the audit log by action', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, admin);
    await page.getByRole('link', { name: 'Nhật ký' }).click();
    const rows = page.locator('table[data-table="audit"] tbody tr');
    await rows.first().waitFor();
    const actions = () => rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-action')));
    expect(new Set(await actions()).size).toBeGreaterThan(1);
    await page.getByLabel('Thao tác', { exact: true }).selectOption('response.release');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect.poll(actions).toEqual(['response.release']);
    expect(await rows.first().textContent()).toContain('Đã gọi lại người dân: phiếu thật');
    await context.close();
  });
});
