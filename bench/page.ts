// The citizen page (issue 7, part 3): a first visit to /s/{token} in Debian's Chromium on a
// slow phone (slow 3G: 400 kbit/s each way, 400 ms latency; the CPU 4× slower), through the
// DevTools protocol. Measured: the time until the first question can be answered, and the
// bytes that took. Baseline: one static HTML page of the same transferred size from the same
// server under the same throttling, answerable once it has arrived: the floor that the
// network sets for those bytes, so the ratio is what the page's own structure costs.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { distDir } from '../api/routes/static.ts';
import { startScratchServer } from '../api/server.testing.ts';
import { median, measured, repeat, type Benchmark, type Row } from './harness.ts';
import { measureSurvey } from '../scripts/bundle-size.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../scripts/chromium.ts';
import { seedProvince } from './workload.ts';

const LATENCY_MS = 400;
/** 400 kbit/s in bytes a second, each way. */
const THROUGHPUT = (400 * 1000) / 8;
const CPU_SLOWDOWN = 4;
/** Past this a load counts as failed (the goal is 1.5 s). */
const TIMEOUT_MS = 60_000;

interface Load {
  /** Milliseconds from the navigation's start. */
  answerable: number;
  /** Bytes on the wire (headers included) of everything loaded by then. */
  bytes: number;
}

/** A fresh phone: no cache, no service worker, throttled before it navigates. */
async function throttledPage(
  browser: Browser,
): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: LATENCY_MS,
    downloadThroughput: THROUGHPUT,
    uploadThroughput: THROUGHPUT,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { page, close: () => context.close() };
}

/** Everything the document and its resources took on the wire so far. */
const transferred = () =>
  performance
    .getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .reduce(
      (sum, entry) =>
        sum +
        ('transferSize' in entry && typeof entry.transferSize === 'number'
          ? entry.transferSize
          : 0),
      0,
    );

/**
 * The survey: the intro's Start button is pressed the moment it can be, and the first
 * question is answerable once its first option is on the screen and enabled.
 */
async function loadSurvey(browser: Browser, url: string): Promise<Load> {
  const { page, close } = await throttledPage(browser);
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT_MS });
    await page.waitForFunction(
      () => {
        const start = document.querySelector<HTMLButtonElement>('main .nav button');
        if (!start || start.disabled) return false;
        start.click();
        return true;
      },
      undefined,
      { polling: 'raf', timeout: TIMEOUT_MS },
    );
    const answerable = await page.waitForFunction(
      () => {
        const option = document.querySelector<HTMLInputElement>('main input[type=radio]');
        return option && !option.disabled && option.getBoundingClientRect().height > 0
          ? performance.now()
          : false;
      },
      undefined,
      { polling: 'raf', timeout: TIMEOUT_MS },
    );
    return {
      answerable: Number(await answerable.jsonValue()),
      bytes: await page.evaluate(transferred),
    };
  } finally {
    await close();
  }
}

/** The static page: answerable when its one radio button, at its very end, is there. */
async function loadStatic(browser: Browser, url: string): Promise<Load> {
  const { page, close } = await throttledPage(browser);
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT_MS });
    const answerable = await page.waitForFunction(
      () => (document.querySelector('input[type=radio]') ? performance.now() : false),
      undefined,
      { polling: 'raf', timeout: TIMEOUT_MS },
    );
    return {
      answerable: Number(await answerable.jsonValue()),
      bytes: await page.evaluate(transferred),
    };
  } finally {
    await close();
  }
}

/**
 * An HTML page whose gzip'd body is about `bytes` long: random text (which gzip cannot
 * shrink much) in a comment, then one question.
 */
function staticPage(bytes: number): string {
  const page = (filler: number) =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tĩnh</title></head>` +
    `<body><!-- ${randomBytes(filler).toString('base64')} -->` +
    `<fieldset><legend>Câu hỏi</legend><label><input type="radio" name="q" value="1"> 1</label>` +
    `</fieldset></body></html>`;
  let filler = bytes;
  for (let i = 0; i < 4; i++) filler = Math.round((filler * bytes) / gzipSync(page(filler)).length);
  return page(filler);
}

export const pageBenchmark: Benchmark = {
  name: 'page',
  description:
    'A first visit to `/s/{token}` of the real server (embedded engine, one open campaign of ' +
    `sipas-2017) in Debian's Chromium (${CHROMIUM}, headless, playwright-core), a 360×740 ` +
    'phone with no cache and no service worker, throttled through the DevTools protocol: ' +
    'Network.emulateNetworkConditions at 400 kbit/s down and up with 400 ms latency (slow ' +
    "3G), Emulation.setCPUThrottlingRate 4. The time runs from the navigation's start until " +
    "the first question's first option is on the screen and enabled, the intro's Start " +
    'button being pressed the moment it can be (a person reading the intro adds their own ' +
    'time); bytes are the transfer sizes, headers included, of the page and everything it ' +
    'loaded by then. Baseline: a static HTML page with one radio button at its end, padded to ' +
    'the same transferred size and served by the same server (its static assets route, ' +
    "gzip'd alike) under the same throttling. It is the floor the network sets for that many " +
    "bytes in one request, so the ratio shows what the page's own structure costs (its " +
    'second round of requests for script and style, and script run on a slow CPU). The same ' +
    'page without throttling would instead measure the throttling, which is known. Median of ' +
    'the repetitions, the survey and the static page alternating.',
  async run(context) {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    const baselineFile = `bench-baseline-${randomBytes(4).toString('hex')}.html`;
    const baselinePath = join(distDir, 'assets', baselineFile);
    const server = await startScratchServer('bench-page');
    const browser = await launchChromium();
    try {
      const province = await seedProvince(server.connection.db, { counters: 1 });
      const base = server.url.replace('localhost', '127.0.0.1');
      const surveyUrl = `${base}/s/${province.tokens[0] ?? ''}`;
      // A first, unmeasured load sizes the baseline and warms the server.
      const sizing = await loadSurvey(browser, surveyUrl);
      writeFileSync(baselinePath, staticPage(sizing.bytes));
      const times = Math.max(3, 2 * context.repetitions - 1);
      const runs = await repeat(times, async () => ({
        survey: await loadSurvey(browser, surveyUrl),
        baseline: await loadStatic(browser, `${base}/assets/${baselineFile}`),
      }));
      context.log(
        `survey ${runs.map((r) => Math.round(r.survey.answerable)).join(', ')} ms; ` +
          `static ${runs.map((r) => Math.round(r.baseline.answerable)).join(', ')} ms`,
      );
      const rows: Row[] = [
        measured({
          name: 'slow 3G, CPU ÷4: first question answerable',
          value: median(runs.map((r) => r.survey.answerable)) / 1000,
          unit: 's',
          baseline: median(runs.map((r) => r.baseline.answerable)) / 1000,
          goals: [{ direction: 'under', target: 1.5 }],
        }),
        measured({
          name: 'bytes transferred by then',
          value: median(runs.map((r) => r.survey.bytes)) / 1024,
          unit: 'KiB',
          baseline: median(runs.map((r) => r.baseline.bytes)) / 1024,
        }),
        measured({
          name: "the page's scripts and style, gzipped (the build's, scripts/bundle-size.ts)",
          value: measureSurvey().total / 1024,
          unit: 'KiB',
          goals: [{ direction: 'at most', target: 16 }],
        }),
      ];
      return rows;
    } finally {
      await browser.close();
      await server.stop();
      rmSync(baselinePath, { force: true });
    }
  },
};
