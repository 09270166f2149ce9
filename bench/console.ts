// The console's scores page (issue 19): an analyst opens a province's campaign (1,000 counters,
// 10,000 responses, 40 district units: scoring.ts's generator) in Debian's Chromium, through
// the real server on PostgreSQL. Measured: when the last of the page's API replies ends, and
// when the page is interactive (its counters' league table shows figures and the main thread
// is free: no long task left), both from the navigation's start. The goal is on the
// difference: what the page's own script costs once its data has arrived.
import type { BrowserContext } from 'playwright-core';
import { createAccount } from '../api/services/accounts.ts';
import { operator } from '../api/services/access.ts';
import { foldAllTallies } from '../api/services/tallies.ts';
import { connect } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../scripts/chromium.ts';
import { signInWithPassword, TEST_PASSWORD } from '../survey-app/console/sign-in.testing.ts';
import { median, measured, repeat, scratchDatabase, type Benchmark, type Row } from './harness.ts';
import { startServerProcess } from './load.ts';
import { CAMPAIGN, generate, seed } from './scoring.ts';

const RESPONSES = 10_000;
const ANALYST = 'bench.analyst';
/** Past this a load counts as failed. */
const TIMEOUT_MS = 60_000;
/** With nothing arriving and no long task for this long, the page has settled. */
const QUIET_MS = 1_000;

interface Load {
  /**
   * Milliseconds from the navigation's start: the end of the last API reply the table waited
   * for (a request the page makes once it shows the table adds its own long tasks, if any).
   */
  replies: number;
  /** The counters' table shows figures and the last long task has ended. */
  interactive: number;
  /** Bytes on the wire (headers included) of the scripts loaded. */
  scriptBytes: number;
  apiCalls: number;
}

/**
 * Installed before the page's own script: long tasks as they end, and the moment at which
 * the counters' league table shows a SIPAS figure.
 */
function watchPage() {
  const bench = { longTaskEnd: 0, rendered: 0 };
  Object.assign(window, { sipasBench: bench });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      bench.longTaskEnd = Math.max(bench.longTaskEnd, entry.startTime + entry.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
  // Checked after each batch of changes to the document, in the task that made them (an
  // animation frame would not come while a long task holds the thread).
  const figures = new MutationObserver(() => {
    // Rank, counter, SIPAS, interval, respondents: the SIPAS is the second td.
    const figure = document.querySelector(
      'table[data-table="rank-counters"] tbody tr td:nth-of-type(2)',
    );
    if (figure && /\d/.test(figure.textContent ?? '')) {
      bench.rendered = performance.now();
      figures.disconnect();
    }
  });
  figures.observe(document, { childList: true, subtree: true, characterData: true });
}

/** The page's figures once it has settled: rendered, and quiet for QUIET_MS. */
function settled(quietMs: number) {
  const bench = (window as unknown as { sipasBench: { longTaskEnd: number; rendered: number } })
    .sipasBench;
  if (bench.rendered === 0) return false;
  const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
  const api = entries.filter((entry) => new URL(entry.name).pathname.startsWith('/api/'));
  const last = Math.max(0, ...api.map((entry) => entry.responseEnd));
  // The replies the table waited for: those that had ended when it showed its figures.
  const replies = Math.max(
    0,
    ...api.map((entry) => entry.responseEnd).filter((end) => end <= bench.rendered),
  );
  const interactive = Math.max(bench.rendered, bench.longTaskEnd);
  if (performance.now() - Math.max(last, interactive) < quietMs) return false;
  const scripts = entries.filter((entry) => new URL(entry.name).pathname.endsWith('.js'));
  return {
    replies,
    interactive,
    scriptBytes: scripts.reduce((sum, entry) => sum + entry.transferSize, 0),
    apiCalls: api.length,
  };
}

/** One opening of the scores page in a fresh tab, without the browser's cache. */
async function openScores(context: BrowserContext, url: string): Promise<Load> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.addInitScript(watchPage);
    await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT_MS });
    const result = await page.waitForFunction(settled, QUIET_MS, {
      polling: 200,
      timeout: TIMEOUT_MS,
    });
    const load = (await result.jsonValue()) as Load | false;
    if (!load) throw new Error('the scores page never settled');
    return load;
  } finally {
    await page.close();
  }
}

export const consoleBenchmark: Benchmark = {
  name: 'console',
  description:
    "The console's scores page for an analyst of the province (`/console/campaigns/{code}/" +
    "scores`), opened in Debian's Chromium (" +
    `${CHROMIUM}, headless, playwright-core) at 1280×900, no CPU or network throttling, the ` +
    "browser's cache disabled through the DevTools protocol, signed in beforehand; the real " +
    "server in a process of its own on PostgreSQL, holding the scoring benchmark's campaign " +
    `at ${RESPONSES.toLocaleString('en-US')} responses over 1,000 counters of 40 district ` +
    "units, folded. From the navigation's start: the replies end when the last API reply " +
    "the table waited for does (Resource Timing's responseEnd, the last before the table " +
    "showed its figures); the page is interactive when the counters' " +
    'league table shows a SIPAS figure (a MutationObserver) and the last long task ' +
    '(PerformanceObserver `longtask`, ≥ 50 ms) has ended, whichever is later, read once ' +
    `nothing has arrived and no long task has run for ${QUIET_MS / 1000} s. The goal is on ` +
    'the time from the replies to interactive: the baseline of the whole time is the ' +
    'replies themselves. Script bytes are the transfer sizes, headers included, of the .js ' +
    'files loaded. Median of the openings, each in a fresh tab of the same signed-in ' +
    'browser after one unmeasured opening.',
  async run(context) {
    if (!haveChromium) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    const scratch = await scratchDatabase(context.postgresUrl, 'console');
    try {
      const connection = connect({ engine: 'postgres', databaseUrl: scratch.url, poolSize: 2 });
      try {
        const db = connection.db;
        await migrateToLatest(db);
        await seed(db);
        await generate(db, 0, context.quick ? RESPONSES / 10 : RESPONSES);
        await foldAllTallies(db);
        await createAccount(db, operator('bench'), {
          login: ANALYST,
          name: 'Phân tích tỉnh',
          role: 'analyst',
          unit: 'S',
          password: TEST_PASSWORD,
        });
      } finally {
        await connection.close();
      }
      const server = await startServerProcess({
        kind: 'sipas',
        database: { engine: 'postgres', databaseUrl: scratch.url },
      });
      const browser = await launchChromium();
      try {
        const browsing = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const signIn = await browsing.newPage();
        await signInWithPassword(signIn, server.url, ANALYST);
        await signIn.close();
        const url = `${server.url}/console/campaigns/${CAMPAIGN}/scores`;
        await openScores(browsing, url);
        const times = Math.max(3, 2 * context.repetitions - 1);
        const runs = await repeat(times, () => openScores(browsing, url));
        const round = (values: number[]) => values.map((v) => Math.round(v)).join(', ');
        context.log(
          `replies ${round(runs.map((r) => r.replies))} ms; interactive ` +
            `${round(runs.map((r) => r.interactive))} ms; ${runs[0]?.apiCalls ?? 0} API calls`,
        );
        const rows: Row[] = [
          measured({
            name: 'interactive after the API replies',
            value: median(runs.map((r) => r.interactive - r.replies)),
            unit: 'ms',
            goals: [{ direction: 'under', target: 300 }],
          }),
          measured({
            name: 'API replies the table waited for, the last ended',
            value: median(runs.map((r) => r.replies)),
            unit: 'ms',
          }),
          measured({
            name: 'interactive, from the navigation',
            value: median(runs.map((r) => r.interactive)),
            unit: 'ms',
            baseline: median(runs.map((r) => r.replies)),
          }),
          measured({
            name: 'script transferred',
            value: median(runs.map((r) => r.scriptBytes)) / 1024,
            unit: 'KiB',
          }),
        ];
        return rows;
      } finally {
        await browser.close();
        await server.stop();
      }
    } finally {
      await scratch.drop();
    }
  },
};
