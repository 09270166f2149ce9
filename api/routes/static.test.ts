import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDatabase, type TestDatabase } from '../../db/testing.ts';
import { createApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { ensureBuiltins } from '../services/builtins.ts';
import { createCampaign } from '../services/campaigns/index.ts';
import { issueCounterToken, revokeCounterToken } from '../services/credentials.ts';
import { importUnits } from '../services/units.ts';
import { importCounters } from '../services/counters.ts';
import { surveyForToken } from '../services/submissions.ts';
import { vietnamDate } from '../services/vietnam-time.ts';
import { operator } from '../services/access.ts';
import { parseEmbedded, type Embedded } from '../../survey-app/survey/payload.ts';
import { builtPages, distDir, surveyPage } from './static.ts';

const config = loadConfig({});
const actor = operator('test');
/** A name that would end the data block and open a script if it were not escaped. */
const hostileName = 'Quầy </script><script>alert(1)</script><!-- 1';

/** The survey page's script and style, which its build writes inside it. */
const inlineScript = 'document.body.dataset.ran = `yes`;';
const inlineStyle = 'body{margin:0}';
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** A build of the shape survey-app/vite.config.ts writes, so that the routes are tested without `npm run build`. */
function fixtureBuild(dir: string): void {
  for (const sub of ['survey', 'console', 'assets']) mkdirSync(join(dir, sub), { recursive: true });
  const page = (head: string) =>
    `<!doctype html>\n<html lang="vi">\n  <head>\n    ${head}\n` +
    `  </head>\n  <body>\n    <div id="app"></div>\n  </body>\n</html>\n`;
  writeFileSync(
    join(dir, 'survey', 'index.html'),
    page(`<script type="module">${inlineScript}</script>\n    <style>${inlineStyle}</style>`),
  );
  writeFileSync(
    join(dir, 'console', 'index.html'),
    page('<script type="module" crossorigin src="/assets/console-Fixture1.js"></script>'),
  );
  // Above compress()'s threshold of 1 kB, so that it is gzipped.
  writeFileSync(
    join(dir, 'assets', 'console-Fixture1.js'),
    `export const padding = '${'x'.repeat(2048)}';\n`,
  );
  writeFileSync(join(dir, 'sw.js'), 'self.addEventListener(`fetch`, () => {});\n');
}

/** The text of the page's data block, as the survey page reads it. */
function dataBlock(html: string): string {
  const match = /<script type="application\/json" id="survey-data">([^<]*)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error('no survey data in the page');
  return match[1];
}

const embedded = (html: string): unknown => JSON.parse(dataBlock(html));

describe.each(engines)('the survey page on %s', (engine) => {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;
  let unbuilt: ReturnType<typeof createApp>;
  const appDir = mkdtempSync(join(tmpdir(), 'sipas-app-'));
  const emptyDir = mkdtempSync(join(tmpdir(), 'sipas-no-app-'));
  let token: string;
  let revoked: string;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const db = database.db;
    await ensureBuiltins(db);
    await importUnits(db, actor, Readable.from(['unit,name,parent\nT,Tỉnh Thử,\n']));
    await importCounters(
      db,
      actor,
      Readable.from([`counter,unit,name\nT.Q1,T,"${hostileName}"\nT.Q2,T,Quầy 2\n`]),
    );
    const year = vietnamDate(new Date()).slice(0, 4);
    await createCampaign(db, actor, {
      code: `T-${year}`,
      instrument: 'sipas-2017',
      from: `${year}-01-01`,
      to: `${year}-12-31`,
      counters: 'all',
    });
    token = await issueCounterToken(db, actor, 'T.Q1');
    revoked = await issueCounterToken(db, actor, 'T.Q2');
    await revokeCounterToken(db, actor, 'T.Q2');
    fixtureBuild(appDir);
    app = createApp({ connection: database, config, appDir });
    unbuilt = createApp({ connection: database, config, appDir: emptyDir });
  });
  afterAll(async () => {
    await database.close();
    for (const dir of [appDir, emptyDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('embeds the survey as inert JSON, with its script and style, under a strict CSP', async () => {
    const response = await app.request(`/s/${token}`);
    expect(response.status).toBe(200);
    // The page's own script and style run by their hashes, nothing else inline.
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'self'; script-src 'self' ${sha256(inlineScript)}; ` +
        `style-src 'self' ${sha256(inlineStyle)}; img-src 'self' data:; ` +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).toContain(`<script type="module">${inlineScript}</script>`);
    expect(html).not.toContain('modulepreload');
    // The only script elements: the module and the data block, which the CSP does not let run.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<!-- 1');
    const data = embedded(html);
    expect(data).toEqual({ survey: await surveyForToken(database.db, token) });
    expect(data).toMatchObject({ survey: { counter: { code: 'T.Q1', name: hostileName } } });
  });

  it("serves the kiosk page of a counter's tablet as the same page with the same data", async () => {
    const [phone, kiosk] = await Promise.all(
      [`/s/${token}`, `/s/${token}/kiosk`].map((path) => app.request(path)),
    );
    expect(kiosk?.status).toBe(200);
    expect(kiosk?.headers.get('content-security-policy')).toBe(
      phone?.headers.get('content-security-policy'),
    );
    expect(await kiosk?.text()).toBe(await phone?.text());
    expect((await app.request(`/s/${revoked}/kiosk`)).status).toBe(410);
  });

  it('shows the same page with the problem for a revoked (410) or unknown (404) token', async () => {
    const gone = await app.request(`/s/${revoked}`);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toMatch(/^text\/html/);
    expect(gone.headers.get('content-security-policy')).toContain("script-src 'self'");
    // With the survey, for a citizen who began before the QR code was replaced (spec §7).
    expect(embedded(await gone.text())).toEqual({
      problem: { status: 410, detail: expect.stringContaining('hết hiệu lực') },
      survey: expect.objectContaining({ counter: { code: 'T.Q2', name: 'Quầy 2' } }),
    });
    const unknown = await app.request('/s/not-a-token');
    expect(unknown.status).toBe(404);
    expect(embedded(await unknown.text())).toEqual({
      problem: { status: 404, detail: expect.stringContaining('Không tìm thấy mã QR') },
    });
  });

  it("is read by the survey page's parser as the server wrote it, field for field", async () => {
    const survey = await surveyForToken(database.db, token);
    // Typed as the page's Embedded: a field the parser's type adds or lacks fails to compile.
    const expected: Embedded = {
      survey: {
        counter: survey.counter,
        unit: survey.unit,
        campaign: { code: survey.campaign.code, name: survey.campaign.name },
        instrument: {
          scales: survey.instrument.scales,
          items: survey.instrument.items,
          factors: survey.instrument.factors.map(({ code, name }) => ({ code, name })),
          overallItem: survey.instrument.overallItem,
        },
      },
    };
    expect(survey.instrument.items.some((item) => item.askIf)).toBe(true);
    const parsed = parseEmbedded(dataBlock(await (await app.request(`/s/${token}`)).text()));
    // Through JSON, as the page's data came: an absent field and an undefined one are one.
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(expected);
    expect(parseEmbedded(dataBlock(await (await app.request(`/s/${revoked}`)).text()))).toEqual({
      problem: { status: 410, detail: expect.stringContaining('hết hiệu lực') },
      survey: { ...expected.survey, counter: { code: 'T.Q2', name: 'Quầy 2' } },
    });
  });

  it('serves the service worker at the root, never stale, and assets gzipped for a year', async () => {
    const worker = await app.request('/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    // The worker's own policy governs what it may fetch: this origin, to cache the page.
    expect(worker.headers.get('content-security-policy')).toBe(
      "default-src 'none'; connect-src 'self'; frame-ancestors 'none'",
    );
    expect(await worker.text()).toContain('addEventListener(`fetch`');

    const asset = await app.request('/assets/console-Fixture1.js', {
      headers: { 'Accept-Encoding': 'gzip' },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('without a build, keeps the survey page data and status, and answers 503 elsewhere', async () => {
    const page = await unbuilt.request(`/s/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(embedded(await page.text())).toEqual({
      survey: await surveyForToken(database.db, token),
    });
    const gone = await unbuilt.request(`/s/${revoked}`);
    expect(gone.status).toBe(410);
    expect(embedded(await gone.text())).toMatchObject({ problem: { status: 410 } });
    for (const path of ['/console', '/console/campaigns', '/sw.js', '/assets/survey-x.js']) {
      const response = await unbuilt.request(path);
      expect(response.status, path).toBe(503);
      expect(await response.text(), path).toContain('npm run build');
    }
  });
});

describe.skipIf(builtPages() === null)('the build of survey-app', () => {
  it('has the survey page with its script and style inside, and a worker that serves fetches', () => {
    const pages = builtPages();
    expect(pages?.survey).toMatch(/<script type="module">[^]+?<\/script>/);
    expect(pages?.survey).toMatch(/<style>[^]+?<\/style>/);
    expect(pages?.survey).not.toMatch(/\s(src|href)="\/assets\//);
    expect(surveyPage(pages?.survey ?? '').headers['Content-Security-Policy']).toMatch(
      /script-src 'self' 'sha256-[^']+'; style-src 'self' 'sha256-[^']+';/,
    );
    expect(readFileSync(join(distDir, 'sw.js'), 'utf8')).toContain('addEventListener(`fetch`');
  });
});
