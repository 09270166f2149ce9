import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUDGET_BYTES,
  measureOfficials,
  measureSurvey,
  OFFICIALS_BUDGET_BYTES,
  staleSurveyBuild,
} from './bundle-size.ts';

describe('the survey budget', () => {
  const dist = mkdtempSync(join(tmpdir(), 'sipas-dist-'));
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  // Random text does not compress, so each file's gzipped size differs from the others'.
  const content = (bytes: number) => randomBytes(bytes).toString('base64');
  const files = {
    'assets/shared.js': content(2000),
    'assets/survey.css': content(700),
    'sw.js': content(400),
    'assets/console.js': content(5000),
  };
  // The survey page as its build writes it: script and style inside.
  const page = `<script type="module">${content(3000)}</script>\n    <style>${content(700)}</style>`;
  const manifest = {
    _shared: { file: 'assets/shared.js' },
    'survey/sw.ts': { file: 'sw.js', src: 'survey/sw.ts' },
    'console/index.html': {
      file: 'assets/console.js',
      src: 'console/index.html',
      imports: ['_shared'],
    },
  };
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), text);
  };
  for (const [path, text] of Object.entries(files)) write(path, text);
  write('survey/index.html', page);

  it('counts what the survey page loads (the page, with its script and style, and the worker)', () => {
    write('.vite/manifest.json', JSON.stringify(manifest));
    const measured = measureSurvey(dist);
    expect(measured.files.map((f) => f.file)).toEqual(['survey/index.html', 'sw.js']);
    expect(measured.total).toBe(gzipSync(page).length + gzipSync(files['sw.js']).length);
  });

  it('refuses a survey page that loads a script or a style of its own', () => {
    write('.vite/manifest.json', JSON.stringify(manifest));
    write('survey/index.html', `${page}<script type="module" src="/assets/extra.js"></script>`);
    expect(() => measureSurvey(dist)).toThrow(/loads assets\/extra\.js/);
    write('survey/index.html', `${page}<link rel="stylesheet" href="/assets/survey.css">`);
    expect(() => measureSurvey(dist)).toThrow(/loads assets\/survey\.css/);
    write('survey/index.html', page);
  });

  it('holds for the real build: current, at most 30 KB gzipped', () => {
    expect(staleSurveyBuild(), 'run npm run build').toBeUndefined();
    const { total, files: built } = measureSurvey();
    expect(built.map((f) => f.file)).toEqual(['survey/index.html', 'sw.js']);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it("counts what an official's page loads: its entry, the shared chunk and CSS, no worker, no console code", () => {
    // The manifest with an official's entry of these imports (and styles).
    const withOfficials = (entry: { imports: string[]; css?: string[] }) =>
      write(
        '.vite/manifest.json',
        JSON.stringify({
          ...manifest,
          'officials/index.html': {
            file: 'assets/officials.js',
            src: 'officials/index.html',
            ...entry,
          },
        }),
      );
    withOfficials({ imports: ['_shared'], css: ['assets/survey.css'] });
    write('assets/officials.js', content(1500));
    write(
      'officials/index.html',
      '<script type="module" crossorigin src="/assets/officials.js"></script>',
    );
    const measured = measureOfficials(dist);
    expect(measured.files.map((f) => f.file)).toEqual([
      'assets/officials.js',
      'assets/shared.js',
      'assets/survey.css',
    ]);
    write('officials/index.html', '<script type="module" src="/assets/console.js"></script>');
    expect(() => measureOfficials(dist)).toThrow(
      /officials\/index\.html loads assets\/console\.js/,
    );
    withOfficials({ imports: ['console/index.html'] });
    expect(() => measureOfficials(dist)).toThrow(/console code: assets\/console\.js/);
  });

  it("holds for the real build: an official's page at most 20 KB gzipped", () => {
    const { total, files: built } = measureOfficials();
    expect(built.some((f) => f.file === 'sw.js')).toBe(false);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(OFFICIALS_BUDGET_BYTES);
  });
});
