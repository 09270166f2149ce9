// The citizen survey end to end: Debian's Chromium on a 360×740 phone against the real server
// (embedded PGlite in a temporary directory), the page's own strict CSP, axe-core on each screen.
import axe from 'axe-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { builtinInstruments } from '../../analysis/instruments/index.ts';
import { distDir } from '../../api/routes/static.ts';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { createCampaign } from '../../api/services/campaigns/index.ts';
import { createApiToken, issueCounterToken } from '../../api/services/credentials.ts';
import { importUnits } from '../../api/services/units.ts';
import { importCounters } from '../../api/services/counters.ts';
import { vietnamDate } from '../../api/services/vietnam-time.ts';
import { staleSurveyBuild } from '../../scripts/bundle-size.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';
import { operator } from '../../api/services/access.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

const instrument = builtinInstruments.find((i) => i.code === 'sipas-2017');
const actor = operator('test');
const counters = [
  'FULL',
  'NA',
  'KIOSK',
  'OFFLINE',
  'LOST',
  'RELOAD',
  'REVOKED',
  'REPLACED',
  'ZOOM',
  'UPDATE',
] as const;
type CounterName = (typeof counters)[number];

/** The screens of sipas-2017, as a respondent meets them. */
const screens = [
  { heading: 'Tiếp cận dịch vụ', items: ['TC1', 'TC2', 'TC3', 'TC4'] },
  { heading: 'Thủ tục hành chính', items: ['TT1', 'TT2', 'TT3', 'TT4', 'TT5'] },
  {
    heading: 'Công chức trực tiếp giải quyết công việc',
    items: ['CC1', 'CC2', 'CC3', 'CC4', 'CC5', 'CC6'],
  },
  { heading: 'Kết quả giải quyết công việc', items: ['KQ1', 'KQ2', 'KQ3'] },
  {
    heading: 'Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị',
    items: ['PA1', 'PAQ', 'PA2', 'PA3', 'PA4'],
  },
  { heading: 'Đánh giá chung', items: ['HL', 'MD'] },
  { heading: 'Thông tin về Ông/Bà (không bắt buộc)', items: ['SEX', 'AGE', 'EDU', 'JOB'] },
];

type Answers = Record<string, number | number[]>;

/** A whole response with yes to PAQ; MD picks options 2 and 4; EDU left blank. */
const fullAnswers: Answers = {
  ...{ TC1: 4, TC2: 5, TC3: 3, TC4: 4 },
  ...{ TT1: 5, TT2: 4, TT3: 4, TT4: 2, TT5: 1 },
  ...{ CC1: 5, CC2: 5, CC3: 4, CC4: 4, CC5: 3, CC6: 5 },
  ...{ KQ1: 4, KQ2: 4, KQ3: 5 },
  ...{ PA1: 4, PAQ: 1, PA2: 3, PA3: 4, PA4: 2 },
  ...{ HL: 4, MD: [2, 4] },
  ...{ SEX: 2, AGE: 3, JOB: 6 },
};
/**
 * As stored (spec: one entry per item in instrument order, null a blank, multi-choice a bit set
 * with bit v for option v): MD [2, 4] is 2² + 2⁴ = 20.
 */
const fullStored = [
  ...[4, 5, 3, 4],
  ...[5, 4, 4, 2, 1],
  ...[5, 5, 4, 4, 3, 5],
  ...[4, 4, 5],
  ...[4, 1, 3, 4, 2],
  ...[4, 20],
  ...[2, 3, null, 6],
];

/** Every required answer, no to PAQ, nothing optional. */
const shortAnswers: Answers = {
  ...{ TC1: 1, TC2: 2, TC3: 3, TC4: 4 },
  ...{ TT1: 5, TT2: 5, TT3: 5, TT4: 5, TT5: 5 },
  ...{ CC1: 3, CC2: 3, CC3: 3, CC4: 3, CC5: 3, CC6: 3 },
  ...{ KQ1: 2, KQ2: 2, KQ3: 2 },
  ...{ PA1: 1, PAQ: 0 },
  HL: 5,
};
const shortStored = [
  ...[1, 2, 3, 4],
  ...[5, 5, 5, 5, 5],
  ...[3, 3, 3, 3, 3, 3],
  ...[2, 2, 2],
  ...[1, 0, null, null, null],
  ...[5, null],
  ...[null, null, null, null],
];

describe.skipIf(!haveChromium)('the citizen survey in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const tokens = new Map<CounterName, string>();
  let adminToken = '';

  beforeAll(async () => {
    const stale = staleSurveyBuild();
    if (stale) throw new Error(`${stale} is newer than survey-app/dist: run npm run build.`);
    server = await startScratchServer('survey');
    const db = server.connection.db;
    await importUnits(
      db,
      actor,
      Readable.from(['unit,name,parent\nT,Tỉnh Thử,\nT.SNV,Sở Nội vụ,T\n']),
    );
    await importCounters(
      db,
      actor,
      Readable.from([
        `counter,unit,name\n${counters.map((c) => `T.SNV.${c},T.SNV,Quầy ${c}`).join('\n')}\n`,
      ]),
    );
    const year = vietnamDate(new Date()).slice(0, 4);
    await createCampaign(db, actor, {
      code: `T-${year}`,
      name: `Khảo sát thử ${year}`,
      instrument: 'sipas-2017',
      from: `${year}-01-01`,
      to: `${year}-12-31`,
      counters: 'all',
    });
    for (const counter of counters) {
      tokens.set(counter, await issueCounterToken(db, actor, `T.SNV.${counter}`));
    }
    adminToken = await createApiToken(db, actor, { role: 'admin' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const url = (counter: CounterName) => `${server.url}/s/${tokens.get(counter)}`;

  async function stored(counter: CounterName) {
    return server.connection.db
      .selectFrom('response')
      .innerJoin('counter', 'counter.id', 'response.counter_id')
      .select(['response.online_id', 'response.answers', 'response.status', 'response.mode'])
      .where('counter.code', '=', `T.SNV.${counter}`)
      .execute();
  }

  /** A phone: a fresh context, and a record of what the page's CSP refused or what threw. */
  async function phone(
    options: { serviceWorkers?: 'allow' | 'block'; width?: number; height?: number } = {},
  ) {
    const context: BrowserContext = await browser.newContext({
      viewport: { width: options.width ?? 360, height: options.height ?? 740 },
      serviceWorkers: options.serviceWorkers ?? 'allow',
    });
    const page = await context.newPage();
    const faults: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) faults.push(message.text());
    });
    page.on('pageerror', (error) => faults.push(error.message));
    return { context, page, faults };
  }

  /** axe-core (WCAG 2.2 A and AA, best practice), 44 px targets, and no sideways scrolling. */
  async function checkScreen(page: Page, screen: string) {
    if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axe.source);
    const violations = await page.evaluate(`axe
      .run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] })
      .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
    expect(violations, `axe on ${screen}`).toEqual([]);
    const small = await page.$$eval('button, label.option', (elements) =>
      elements
        .map((e) => ({ text: e.textContent, box: e.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
        .map(({ text }) => text),
    );
    expect(small, `targets under 44 px on ${screen}`).toEqual([]);
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
    );
    expect(sideways, `sideways scrolling on ${screen}`).toBe(false);
  }

  function option(code: string, value: number): { role: 'radio' | 'checkbox'; label: string } {
    const item = instrument?.items.find((i) => i.code === code);
    const scale = instrument?.scales.find((s) => s.code === item?.scale);
    const label = scale?.options.find((o) => o.value === value)?.label.vi;
    if (!item || !label) throw new Error(`no option ${value} for ${code}`);
    return { role: item.multiple ? 'checkbox' : 'radio', label };
  }

  function group(page: Page, code: string) {
    const text = instrument?.items.find((i) => i.code === code)?.text.vi ?? code;
    return page.getByRole('group', { name: text });
  }

  async function answer(page: Page, code: string, value: number | number[]) {
    for (const v of [value].flat()) {
      const { role, label } = option(code, v);
      await group(page, code).getByRole(role, { name: label, exact: true }).check();
    }
  }

  async function isChecked(page: Page, code: string, value: number) {
    const { role, label } = option(code, value);
    return group(page, code).getByRole(role, { name: label, exact: true }).isChecked();
  }

  const heading = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true });

  /** Answers screens `from`…`to` (indices into `screens`), pressing Next, and Send on the last. */
  async function answerScreens(
    page: Page,
    answers: Answers,
    {
      from = 0,
      to = screens.length - 1,
      check,
    }: { from?: number; to?: number; check?: boolean } = {},
  ) {
    for (let i = from; i <= to; i++) {
      const screen = screens[i];
      if (!screen) throw new Error(`no screen ${i}`);
      await heading(page, screen.heading).waitFor();
      for (const code of screen.items) {
        const value = answers[code];
        if (value !== undefined) await answer(page, code, value);
      }
      if (check) await checkScreen(page, screen.heading);
      const last = i === screens.length - 1;
      await page.getByRole('button', { name: last ? 'Gửi ý kiến' : 'Tiếp theo' }).click();
    }
  }

  const responseId = (page: Page) =>
    page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('sipas:response:'));
      return key ? JSON.parse(localStorage.getItem(key) ?? '{}').id : undefined;
    });

  it('a full survey on a 360×740 phone stores one response with the right answers', async () => {
    const { context, page, faults } = await phone();
    // The server quarantines answers given in under 20 s; the clock lets a test take longer.
    await page.clock.install();
    const reply = await page.goto(url('FULL'));
    expect(reply?.status()).toBe(200);
    expect(reply?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('Quầy FULL').waitFor();
    await page.getByText('Sở Nội vụ').waitFor();
    await page.getByText('Khảo sát ẩn danh').waitFor();
    await checkScreen(page, 'intro');
    await page.getByRole('button', { name: 'Bắt đầu' }).click();

    // A new screen's heading takes focus, so that a screen reader announces it.
    await heading(page, 'Tiếp cận dịch vụ').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Tiếp cận dịch vụ');
    // Next without answers: each question says so, the count is announced, focus goes to the first.
    await page.getByRole('button', { name: 'Tiếp theo' }).click();
    await page.getByRole('alert').getByText('Còn 4 câu chưa trả lời').waitFor();
    expect(await page.getByText('Xin Ông/Bà trả lời câu hỏi này.').count()).toBe(4);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('TC1');
    await checkScreen(page, 'unanswered');
    await answerScreens(page, fullAnswers, { to: 3, check: true });

    // The skip rule: PA2-PA4 appear only after yes to PAQ.
    await heading(page, screens[4]?.heading ?? '').waitFor();
    await answer(page, 'PAQ', 0);
    expect(await group(page, 'PA2').count()).toBe(0);
    await answer(page, 'PAQ', 1);
    await group(page, 'PA2').waitFor();

    // English, from the instrument's own texts; the choice survives the next screen.
    await page.getByRole('button', { name: 'English' }).click();
    await heading(page, 'Feedback handling').waitFor();
    await page.getByRole('group', { name: 'Giving feedback was easy' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await checkScreen(page, 'English');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('English');

    await answerScreens(page, fullAnswers, { from: 4, to: 5, check: true });
    await heading(page, screens[6]?.heading ?? '').waitFor();
    await checkScreen(page, 'profile');
    await page.clock.fastForward(30_000);
    await answerScreens(page, fullAnswers, { from: 6 });

    await heading(page, 'Cảm ơn Ông/Bà!').waitFor();
    await checkScreen(page, 'thanks');
    const rows = await stored('FULL');
    expect(rows).toEqual([
      { online_id: await responseId(page), answers: fullStored, status: 'valid', mode: 'qr' },
    ]);
    expect(faults).toEqual([]);
    await context.close();
  });

  it('two items answered "not applicable" are stored blank, the rest as answered', async () => {
    const { context, page, faults } = await phone();
    await page.clock.install();
    await page.goto(url('NA'));
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    await heading(page, screens[0]?.heading ?? '').waitFor();
    const without = (code: string): Answers =>
      Object.fromEntries(Object.entries(shortAnswers).filter(([c]) => c !== code));
    const notApplicable = (code: string) =>
      group(page, code).getByRole('radio', { name: 'Không có ý kiến', exact: true });
    // By keyboard: from the scale's last option, the arrow key reaches "not applicable".
    await group(page, 'TC2').getByRole('radio', { name: 'Rất hài lòng', exact: true }).check();
    await page.keyboard.press('ArrowDown');
    expect(await notApplicable('TC2').isChecked()).toBe(true);
    await checkScreen(page, 'not applicable');
    await answerScreens(page, without('TC2'), { to: 1 });
    await heading(page, screens[2]?.heading ?? '').waitFor();
    await notApplicable('CC3').check();
    await page.clock.fastForward(30_000);
    await answerScreens(page, without('CC3'), { from: 2 });
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor();
    const blanks = [...shortStored];
    blanks[1] = null; // TC2
    blanks[4 + 5 + 2] = null; // CC3
    expect(await stored('NA')).toEqual([
      { online_id: await responseId(page), answers: blanks, status: 'valid', mode: 'qr' },
    ]);
    expect(faults).toEqual([]);
    await context.close();
  });

  it("a counter's kiosk marks its responses kiosk, goes back to the start after sending and after a minute idle, and queues offline", async () => {
    const { context, page, faults } = await phone({ serviceWorkers: 'block' });
    await page.clock.install();
    await page.goto(`${url('KIOSK')}/kiosk`);
    const start = page.getByRole('button', { name: 'Bắt đầu' });
    const respond = async () => {
      await start.click();
      await answerScreens(page, shortAnswers, { to: screens.length - 2 });
      await page.clock.fastForward(30_000);
      await answerScreens(page, shortAnswers, { from: screens.length - 1 });
      await heading(page, 'Cảm ơn Ông/Bà!').waitFor();
    };
    await respond();
    await page.getByText('Ý kiến của Ông/Bà đã được ghi nhận.').waitFor();
    await checkScreen(page, 'kiosk thanks');
    await expect.poll(async () => (await stored('KIOSK')).map((r) => r.mode)).toEqual(['kiosk']);
    const [first] = await stored('KIOSK');
    expect(first).toMatchObject({ answers: shortStored, status: 'valid' });
    // Ten seconds on, the tablet is ready for the next respondent.
    await page.clock.fastForward(10_000);
    await start.waitFor();

    // A respondent who walks away mid-survey: after a minute the next one starts afresh.
    await start.click();
    await answer(page, 'TC1', 5);
    await page.clock.runFor(59_000);
    expect(await isChecked(page, 'TC1', 5)).toBe(true);
    await page.clock.runFor(2_000);
    await start.waitFor();
    await start.click();
    expect(await isChecked(page, 'TC1', 5)).toBe(false);
    await page.clock.runFor(61_000);
    await start.waitFor();

    // Offline: the answer waits in the tablet's queue while the next respondent starts; the
    // respondent is told so, not that it was received.
    await context.setOffline(true);
    await respond();
    await page.getByText('Chưa gửi được ngay. Câu trả lời đã được lưu trên máy này').waitFor();
    expect(await page.getByText('Ý kiến của Ông/Bà đã được ghi nhận.').count()).toBe(0);
    await checkScreen(page, 'kiosk queued');
    await page.clock.fastForward(10_000);
    await start.waitFor();
    expect(await stored('KIOSK')).toHaveLength(1);
    await context.setOffline(false);
    await expect
      .poll(async () => (await stored('KIOSK')).map((r) => r.mode), { timeout: 20_000 })
      .toEqual(['kiosk', 'kiosk']);

    // A queued answer the server refuses for good (here one it cannot be: TC1 has no 9) is
    // set aside on the tablet and counted on its start screen for the staff, not dropped.
    await page.evaluate(
      (key) => {
        const refused = {
          id: crypto.randomUUID(),
          answers: { TC1: 9 },
          startedAt: new Date(Date.now() - 60_000).toISOString(),
          submittedAt: new Date().toISOString(),
          device: 'tablet',
          lang: 'vi',
          website: '',
        };
        localStorage.setItem(key, JSON.stringify([refused]));
      },
      `sipas:queue:${tokens.get('KIOSK')}`,
    );
    await page.reload();
    await page.getByText('1 câu trả lời trên máy này bị máy chủ từ chối').waitFor();
    await checkScreen(page, 'kiosk start with a refused answer');
    expect(
      await page.evaluate(
        (token) => [
          localStorage.getItem(`sipas:queue:${token}`),
          JSON.parse(localStorage.getItem(`sipas:refused:${token}`) ?? '[]')[0]?.refusal?.status,
        ],
        tokens.get('KIOSK'),
      ),
    ).toEqual([null, 422]);
    expect(await stored('KIOSK')).toHaveLength(2);
    expect(faults).toEqual([]);
    await context.close();
  });

  it('answers given offline are kept through a reload and stored exactly once when back online', async () => {
    const { context, page, faults } = await phone();
    await page.goto(url('OFFLINE'));
    // The service worker has kept the page and its assets.
    await expect
      .poll(() =>
        page.evaluate(
          async () =>
            navigator.serviceWorker.controller !== null &&
            (await caches.match(location.href)) !== undefined,
        ),
      )
      .toBe(true);
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    await answerScreens(page, shortAnswers, { to: 0 });

    await context.setOffline(true);
    await page.reload();
    await heading(page, screens[1]?.heading ?? '').waitFor();
    await page.getByRole('button', { name: 'Quay lại' }).click();
    expect(await isChecked(page, 'TC4', 4)).toBe(true);
    await page.getByRole('button', { name: 'Tiếp theo' }).click();
    await answerScreens(page, shortAnswers, { from: 1 });

    await page.getByText('Câu trả lời đã được lưu trên điện thoại').waitFor();
    await checkScreen(page, 'saved offline');
    await page.waitForTimeout(1500);
    expect(await stored('OFFLINE')).toEqual([]);

    // Closed and reopened while still offline: it says the same, and keeps trying.
    await page.reload();
    await page.getByText('Câu trả lời đã được lưu trên điện thoại').waitFor();

    await context.setOffline(false);
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor({ timeout: 20_000 });
    const id = await responseId(page);
    await page.reload();
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor();
    expect(await stored('OFFLINE')).toEqual([
      { online_id: id, answers: shortStored, status: expect.any(String), mode: 'qr' },
    ]);
    expect(faults).toEqual([]);
    await context.close();
  });

  it("a new build's worker drops the assets of earlier builds from its cache, keeping its own", async () => {
    const { context, page, faults } = await phone();
    const cachedPaths = () =>
      page.evaluate(async () =>
        (await (await caches.open('sipas-survey-1')).keys()).map((r) => new URL(r.url).pathname),
      );
    // The survey page carries its script inside it: this build's own asset is an official's
    // page script, which shares the worker and its cache.
    const manifest: unknown = JSON.parse(
      readFileSync(join(distDir, '.vite/manifest.json'), 'utf8'),
    );
    const own = `/${z.record(z.string(), z.object({ file: z.string() })).parse(manifest)['officials/index.html']?.file ?? ''}`;
    // An earlier build's script in the cache, as a phone that opened the survey before the
    // release keeps it (the cache belongs to the origin, so a page outside the scope reaches it).
    await page.goto(`${server.url}/healthz`);
    await page.evaluate(async (own) => {
      const cache = await caches.open('sipas-survey-1');
      await cache.put('/assets/survey-0ldBu1ld.js', new Response('// an earlier build'));
      await cache.put(own, new Response('// this build'));
    }, own);
    expect((await cachedPaths()).sort()).toEqual(['/assets/survey-0ldBu1ld.js', own].sort());

    await page.goto(url('UPDATE'));
    // The worker takes control once its activation, the clean-up included, is over.
    await expect
      .poll(async () => {
        const paths = await cachedPaths();
        const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);
        return controlled && paths.includes(new URL(page.url()).pathname);
      })
      .toBe(true);
    expect(await cachedPaths()).not.toContain('/assets/survey-0ldBu1ld.js');
    expect(await cachedPaths()).toContain(own);
    expect(faults).toEqual([]);
    await context.close();
  });

  it('a 5xx and a lost reply are retried with the same id, and the response is stored once', async () => {
    const { context, page, faults } = await phone({ serviceWorkers: 'block' });
    const sent: string[] = [];
    await page.route('**/api/v1/s/*/responses', async (route) => {
      sent.push(JSON.parse(route.request().postData() ?? '{}').id);
      if (sent.length === 1) {
        return route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: '{"status":503,"detail":"busy"}',
        });
      }
      if (sent.length === 2) {
        await route.fetch(); // stored by the server; the reply never reaches the phone
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await page.goto(url('LOST'));
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    await answerScreens(page, shortAnswers);
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor({ timeout: 20_000 });
    const id = await responseId(page);
    expect(sent).toEqual([id, id, id]);
    expect(await stored('LOST')).toEqual([
      { online_id: id, answers: shortStored, status: expect.any(String), mode: 'qr' },
    ]);
    expect(faults).toEqual([]);
    await context.close();
  });

  it('a reload mid-survey resumes on the same screen with the answers kept', async () => {
    const { context, page, faults } = await phone();
    await page.goto(url('RELOAD'));
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    await answerScreens(page, fullAnswers, { to: 0 });
    await heading(page, 'Thủ tục hành chính').waitFor();
    await answer(page, 'TT1', 5);
    await answer(page, 'TT2', 4);
    const id = await responseId(page);

    await page.reload();
    await heading(page, 'Thủ tục hành chính').waitFor();
    expect(await isChecked(page, 'TT1', 5)).toBe(true);
    expect(await isChecked(page, 'TT2', 4)).toBe(true);
    await page.getByRole('button', { name: 'Quay lại' }).click();
    await heading(page, 'Tiếp cận dịch vụ').waitFor();
    for (const code of ['TC1', 'TC2', 'TC3', 'TC4']) {
      expect(await isChecked(page, code, Number(fullAnswers[code]))).toBe(true);
    }
    await page.getByRole('button', { name: 'Tiếp theo' }).click();
    const rest = Object.fromEntries(
      Object.entries(fullAnswers).filter(([code]) => code !== 'TT1' && code !== 'TT2'),
    );
    await answerScreens(page, rest, { from: 1 });
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor();
    expect(await responseId(page)).toBe(id);
    expect(await stored('RELOAD')).toEqual([
      { online_id: id, answers: fullStored, status: expect.any(String), mode: 'qr' },
    ]);
    expect(faults).toEqual([]);
    await context.close();
  });

  it("an answer begun before the counter's QR code was replaced is stored at that counter", async () => {
    const { context, page, faults } = await phone({ serviceWorkers: 'block' });
    // Offline when the citizen sends: the queue on the phone sends it once back online.
    await page.clock.install();
    await page.goto(url('REVOKED'));
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    await answerScreens(page, shortAnswers, { to: screens.length - 2 });
    // Staff print a new QR code for the counter while the citizen is answering.
    const response = await fetch(`${server.url}/api/v1/counters/T.SNV.REVOKED/token`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(response.status).toBe(201);
    await context.setOffline(true);
    await page.clock.fastForward(30_000);
    await answerScreens(page, shortAnswers, { from: screens.length - 1 });
    await page.getByText('Câu trả lời đã được lưu trên điện thoại').waitFor();
    await context.setOffline(false);
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor({ timeout: 20_000 });
    expect(await stored('REVOKED')).toEqual([
      { online_id: await responseId(page), answers: shortStored, status: 'valid', mode: 'qr' },
    ]);

    // Opened afresh, the replaced QR code says so under 410; an unknown one under 404.
    const fresh = await phone();
    const gone = await fresh.page.goto(url('REVOKED'));
    expect(gone?.status()).toBe(410);
    await heading(fresh.page, 'Không mở được khảo sát').waitFor();
    await fresh.page.getByText('Mã QR này đã được thay bằng mã mới').waitFor();
    await checkScreen(fresh.page, 'revoked');
    const unknown = await fresh.page.goto(`${server.url}/s/no-such-token`);
    expect(unknown?.status()).toBe(404);
    await fresh.page.getByText('Đường dẫn khảo sát không đúng').waitFor();
    await checkScreen(fresh.page, 'unknown');
    expect([...faults, ...fresh.faults]).toEqual([]);
    await fresh.context.close();
    await context.close();
  });

  it("a reload mid-survey after the counter's QR code was replaced goes on, and is stored at that counter", async () => {
    const { context, page, faults } = await phone();
    await page.clock.install();
    await page.goto(url('REPLACED'));
    await expect
      .poll(() =>
        page.evaluate(
          async () =>
            navigator.serviceWorker.controller !== null &&
            (await caches.match(location.href)) !== undefined,
        ),
      )
      .toBe(true);
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    await answerScreens(page, shortAnswers, { to: 1 });
    const response = await fetch(`${server.url}/api/v1/counters/T.SNV.REPLACED/token`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(response.status).toBe(201);

    // The page is 410 now, but carries the survey for the citizen who began under the old code.
    const reloaded = await page.reload();
    expect(reloaded?.status()).toBe(410);
    await heading(page, screens[2]?.heading ?? '').waitFor();
    await checkScreen(page, 'resumed under a replaced QR code');
    // The worker kept the survey, not the 410: offline, the reload shows the survey again.
    expect(await page.evaluate(async () => (await caches.match(location.href))?.status)).toBe(200);
    await context.setOffline(true);
    await page.reload();
    await heading(page, screens[2]?.heading ?? '').waitFor();
    await context.setOffline(false);

    await page.clock.fastForward(30_000);
    await answerScreens(page, shortAnswers, { from: 2 });
    await heading(page, 'Cảm ơn Ông/Bà!').waitFor({ timeout: 20_000 });
    // Within the grace period: valid, at the counter whose QR code was replaced.
    expect(await stored('REPLACED')).toEqual([
      { online_id: await responseId(page), answers: shortStored, status: 'valid', mode: 'qr' },
    ]);
    expect(faults).toEqual([]);
    await context.close();
  });

  it('at 200% zoom (180 CSS px across a 360 px phone) the page reflows without sideways scrolling', async () => {
    const { context, page, faults } = await phone({ width: 180, height: 370 });
    await page.goto(url('ZOOM'));
    await checkScreen(page, 'intro at 200%');
    await page.getByRole('button', { name: 'Bắt đầu' }).click();
    await heading(page, 'Tiếp cận dịch vụ').waitFor();
    await page.getByRole('button', { name: 'Tiếp theo' }).click();
    await page.getByRole('alert').waitFor();
    await checkScreen(page, 'questions at 200%');
    expect(faults).toEqual([]);
    await context.close();
  });
});
