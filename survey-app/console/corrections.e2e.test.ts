// A surveyor voids a mis-keyed paper form in the console, in Chromium against the real server
// (embedded PGlite): the form leaves the scores, and the scores page shows the API's new
// figures, which differ from the example's worked ones. The same surveyor then edits the
// campaign (its period, a target, a new counter) and replaces another form by a corrected copy.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { importCounters } from '../../api/services/counters.ts';
import { createApiToken } from '../../api/services/credentials.ts';
import { openExampleCampaign, textStream } from '../../api/services/examples.testing.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { signInWithPassword, TEST_PASSWORD } from './sign-in.testing.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const expected = z
  .object({ srs: z.array(z.object({ sipas: z.object({ index: z.number() }) })) })
  .parse(
    JSON.parse(
      readFileSync(new URL('../../fixtures/examples/expected.json', import.meta.url), 'utf8'),
    ),
  );
const sipasOf = z.object({
  groups: z.array(z.object({ respondents: z.number(), sipas: z.object({ index: z.number() }) })),
});
const vi = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** A paper form of the example campaign (fixtures/examples/responses.csv). */
const FORM = 'f3952c0b-226b-5501-0fdb-a219946c61bc';
/** Another, at BRVT.SKHDT.Q1, answered TC1 5 and TC2 5. */
const OTHER_FORM = '90124c47-9755-08c4-d61c-c2ca27a0170a';
const campaignOf = z.object({
  endsOn: z.string(),
  counters: z.array(z.object({ code: z.string(), target: z.number().nullable() })),
});

/**
 * The console's sign-in, the one place this test depends on it: today an API token typed into
 * the sign-in page.
 */

describe.skipIf(!haveChromium)('voiding a paper form in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let analyst: string;

  beforeAll(async () => {
    server = await startScratchServer('corrections');
    const db = server.connection.db;
    await openExampleCampaign(db);
    const actor = operator('test');
    // A counter in no campaign, for the edit page to add.
    await importCounters(db, actor, textStream('counter,unit,name\nBRVT.STP.Q2,BRVT.STP,Quầy 2\n'));
    await createAccount(db, actor, {
      login: 'brvt.surveyor',
      name: 'Khảo sát BRVT',
      role: 'surveyor',
      unit: 'BRVT',
      password: TEST_PASSWORD,
    });
    await createAccount(db, actor, {
      login: 'brvt.analyst',
      name: 'Phân tích BRVT',
      role: 'analyst',
      unit: 'BRVT',
      password: TEST_PASSWORD,
    });
    // The API's own figures, read with a token beside the analyst's console session.
    analyst = await createApiToken(db, actor, { role: 'analyst', unit: 'BRVT' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const read = async (path: string) => {
    const response = await fetch(`${server.url}/api/v1/campaigns/BRVT-2025${path}`, {
      headers: { Authorization: `Bearer ${analyst}` },
    });
    expect(response.status).toBe(200);
    return response.json();
  };

  const scores = async () => {
    const response = await fetch(`${server.url}/api/v1/campaigns/BRVT-2025/scores?by=all`, {
      headers: { Authorization: `Bearer ${analyst}` },
    });
    expect(response.status).toBe(200);
    const whole = sipasOf.parse(await response.json()).groups[0];
    if (!whole) throw new Error('no group');
    return whole;
  };

  it('a surveyor voids a mis-keyed form and the scores page changes accordingly', async () => {
    const before = await scores();
    expect(before.respondents).toBe(60);
    expect(Math.abs(before.sipas.index - (expected.srs[0]?.sipas.index ?? 0))).toBeLessThan(1e-9);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const faults: string[] = [];
    page.on('pageerror', (error) => faults.push(error.message));
    await signInWithPassword(page, server.url, 'brvt.surveyor');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.goto(`${server.url}/console/campaigns/BRVT-2025/entry`);
    const section = page.getByRole('region', {
      name: 'Hủy phiếu nhập sai / Void a mis-keyed form',
    });
    await section.getByLabel('Số phiếu').fill(FORM);
    await section.getByRole('button', { name: 'Tìm phiếu' }).click();
    await section.getByText('đang tính').waitFor();
    // The void button waits for a reason.
    expect(await section.getByRole('button', { name: 'Hủy phiếu' }).isDisabled()).toBe(true);
    await section.getByLabel('Lý do hủy').fill('Nhập nhầm phiếu của quầy khác');
    await section.getByRole('button', { name: 'Hủy phiếu' }).click();
    await section.getByText(`Đã hủy phiếu ${FORM}.`).waitFor();
    expect(await section.getByText('đã hủy (Nhập nhầm phiếu của quầy khác)').count()).toBe(1);

    const stored = await server.connection.db
      .selectFrom('response')
      .select(['status', 'void_reason'])
      .where('source_id', '=', FORM)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'voided', void_reason: 'Nhập nhầm phiếu của quầy khác' });

    const after = await scores();
    expect(after.respondents).toBe(59);
    expect(vi.format(after.sipas.index)).not.toBe(vi.format(before.sipas.index));

    await context.close();

    const reading = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const scoresPage = await reading.newPage();
    scoresPage.on('pageerror', (error) => faults.push(error.message));
    await signInWithPassword(scoresPage, server.url, 'brvt.analyst');
    await scoresPage.getByRole('heading', { level: 1 }).first().waitFor();
    await scoresPage.goto(`${server.url}/console/campaigns/BRVT-2025/scores`);
    await scoresPage.locator('[data-figure="sipas"]').waitFor();
    expect(await scoresPage.locator('[data-figure="sipas"]').textContent()).toBe(
      `${vi.format(after.sipas.index)}%`,
    );
    expect(faults).toEqual([]);
    await reading.close();
  });
  it('the surveyor edits the campaign, then replaces a form and the scores follow', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const faults: string[] = [];
    page.on('pageerror', (error) => faults.push(error.message));
    await signInWithPassword(page, server.url, 'brvt.surveyor');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.goto(`${server.url}/console/campaigns/BRVT-2025`);
    await page.getByRole('link', { name: 'Sửa đợt khảo sát' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sửa đợt khảo sát BRVT-2025' }).waitFor();

    // The first stored response is of 2025-03-05: the server's refusal shows beside the field.
    await page.locator('#edit-from').fill('2025-04-01');
    await page.getByRole('button', { name: 'Lưu tên và thời gian' }).click();
    await page.locator('#edit-from-error').waitFor();
    expect(await page.locator('#edit-from-error').textContent()).toBe(
      'đã có phiếu lưu vào ngày 2025-03-05',
    );
    await page.locator('#edit-from').fill('2025-01-01');
    await page.locator('#edit-to').fill('2026-01-31');
    await page.getByRole('button', { name: 'Lưu tên và thời gian' }).click();
    await page.getByText('Đã lưu đợt khảo sát.').waitFor();

    await page.getByLabel('Chỉ tiêu mẫu của quầy BRVT.STP.Q1').fill('30');
    await page.getByRole('button', { name: 'Lưu chỉ tiêu' }).click();
    await page.getByText('Đã lưu chỉ tiêu.').waitFor();

    await page.locator('#add-counter').selectOption('BRVT.STP.Q2');
    await page.locator('#add-target').fill('10');
    await page.getByRole('button', { name: 'Thêm quầy', exact: true }).click();
    await page.getByText('Đã thêm quầy BRVT.STP.Q2.').waitFor();
    await page.locator('tr[data-counter="BRVT.STP.Q2"]').waitFor();

    const campaign = campaignOf.parse(await read(''));
    expect(campaign.endsOn).toBe('2026-01-31');
    expect(campaign.counters).toEqual([
      { code: 'BRVT.CHAUDUC.Q1', target: null },
      { code: 'BRVT.SKHDT.Q1', target: null },
      { code: 'BRVT.STP.Q1', target: 30 },
      { code: 'BRVT.STP.Q2', target: 10 },
    ]);

    const before = await scores();
    await page.goto(`${server.url}/console/campaigns/BRVT-2025/entry`);
    const section = page.getByRole('region', {
      name: 'Hủy phiếu nhập sai / Void a mis-keyed form',
    });
    await section.getByLabel('Số phiếu').fill(OTHER_FORM);
    await section.getByRole('button', { name: 'Tìm phiếu' }).click();
    await section.getByRole('button', { name: 'Thay bằng bản sửa' }).click();
    const copy = section.locator('form[data-replace]');
    // The stored answers are where the copy starts: TC1 5, corrected to 1, and TC2 5 to 2.
    expect(await copy.locator('input[name="TC1"][value="5"]').isChecked()).toBe(true);
    await copy.locator('input[name="TC1"][value="1"]').check();
    await copy.locator('input[name="TC2"][value="2"]').check();
    await copy.getByLabel('Lý do thay').fill('Nhập nhầm TC1 và TC2');
    await copy.getByRole('button', { name: 'Lưu bản sửa' }).click();
    await section.getByText(`Đã thay phiếu ${OTHER_FORM} bằng bản sửa.`).waitFor();
    expect(await section.getByText('đã thay (Nhập nhầm TC1 và TC2)').count()).toBe(1);

    const stored = await server.connection.db
      .selectFrom('response')
      .select(['status', 'void_reason'])
      .where('source_id', '=', OTHER_FORM)
      .orderBy('id')
      .execute();
    expect(stored).toEqual([
      { status: 'replaced', void_reason: 'Nhập nhầm TC1 và TC2' },
      { status: 'valid', void_reason: null },
    ]);
    const after = await scores();
    expect(after.respondents).toBe(before.respondents);
    expect(after.sipas.index).toBeLessThan(before.sipas.index);
    expect(faults).toEqual([]);
    await context.close();
  });
});
