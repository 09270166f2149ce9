// A surveyor voids a mis-keyed paper form in the console, in Chromium against the real server
// (embedded PGlite): the form leaves the scores, and the scores page shows the API's new
// figures, which differ from the example's worked ones.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import { createApiToken } from '../../api/services/credentials.ts';
import { openExampleCampaign } from '../../api/services/examples.testing.ts';
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
});
