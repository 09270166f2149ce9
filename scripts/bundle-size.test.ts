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
    'assets/survey.js': content(3000),
    'assets/shared.js': content(2000),
    'assets/survey.css': content(700),
    'sw.js': content(400),
    'assets/console.js': content(5000),
  };
  const page = `<script type="module" crossorigin src="/assets/survey.js"></script>
    <link rel="modulepreload" crossorigin href="/assets/shared.js">
    <link rel="stylesheet" crossorigin href="/assets/survey.css">`;
  const manifest = {
    _shared: { file: 'assets/shared.js' },
    'survey/index.html': {
      file: 'assets/survey.js',
      src: 'survey/index.html',
      imports: ['_shared'],
      css: ['assets/survey.css'],
    },
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

  it('counts what the page loads (entry, shared chunk, CSS, worker) and no console file', () => {
    write('.vite/manifest.json', JSON.stringify(manifest));
    const measured = measureSurvey(dist);
    const counted = ['assets/shared.js', 'assets/survey.css', 'assets/survey.js', 'sw.js'] as const;
    expect(measured.files.map((f) => f.file)).toEqual(counted);
    const gzip = (file: keyof typeof files) => gzipSync(files[file]).length;
    expect(measured.total).toBe(counted.reduce((sum, file) => sum + gzip(file), 0));
  });

  it('refuses a survey that pulls in console code, or loads what the manifest does not list', () => {
    write(
      '.vite/manifest.json',
      JSON.stringify({
        ...manifest,
        'survey/index.html': { ...manifest['survey/index.html'], imports: ['console/index.html'] },
      }),
    );
    expect(() => measureSurvey(dist)).toThrow(/console code: assets\/console\.js/);
    write('.vite/manifest.json', JSON.stringify(manifest));
    write('survey/index.html', `${page}<script type="module" src="/assets/extra.js"></script>`);
    expect(() => measureSurvey(dist)).toThrow(/loads assets\/extra\.js/);
    write('survey/index.html', page);
  });

  it('holds for the real build: current, without console code, at most 30 KB gzipped', () => {
    expect(staleSurveyBuild(), 'run npm run build').toBeUndefined();
    const { total, files: built } = measureSurvey();
    expect(built.some((f) => f.file === 'sw.js')).toBe(true);
    expect(built.some((f) => f.file.endsWith('.css'))).toBe(true);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it("counts what an official's page loads: its entry, the shared chunk and CSS, no worker", () => {
    write(
      '.vite/manifest.json',
      JSON.stringify({
        ...manifest,
        'officials/index.html': {
          file: 'assets/officials.js',
          src: 'officials/index.html',
          imports: ['_shared'],
          css: ['assets/survey.css'],
        },
      }),
    );
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
  });

  it("holds for the real build: an official's page at most 20 KB gzipped", () => {
    const { total, files: built } = measureOfficials();
    expect(built.some((f) => f.file === 'sw.js')).toBe(false);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(OFFICIALS_BUDGET_BYTES);
  });
});
