// The citizen survey's budget (issue 5): everything the /s/{token} page loads, JavaScript and
// CSS, at most 30 KB gzipped, and no console code; an official's page (/o/{token}, issue 18) at
// most 20 KB. Measured from the build (survey-app/dist): the citizen's page carries its script and
// style inside it, so it is the page itself and the service worker; an official's page through
// Vite's manifest, cross-checked against the built page's own tags.
//
//   npx tsx scripts/bundle-size.ts      prints the files and the total; exit 1 over budget
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as z from 'zod';

export const BUDGET_BYTES = 30 * 1024;
/** An official's page: a dozen radio groups and one button, sharing the survey's sending code. */
export const OFFICIALS_BUDGET_BYTES = 20 * 1024;
export const surveyApp = fileURLToPath(new URL('../survey-app/', import.meta.url));

const PAGE = 'survey/index.html';
const WORKER = 'survey/sw.ts';
const OFFICIALS_PAGE = 'officials/index.html';

const manifestSchema = z.record(
  z.string(),
  z.object({
    file: z.string(),
    src: z.string().optional(),
    imports: z.array(z.string()).default([]),
    css: z.array(z.string()).default([]),
  }),
);

export interface Measured {
  /** Each file the page loads, with its size and its size gzipped, in bytes. */
  files: { file: string; bytes: number; gzip: number }[];
  /** Sum of the gzipped sizes. */
  total: number;
}

/**
 * Measures what the survey page loads from a build directory (survey-app/dist by default): the
 * page, whose script and style are inside it (survey-app/vite.config.ts), and its worker. The
 * page without the survey's data, which the server adds.
 */
export function measureSurvey(dist = join(surveyApp, 'dist')): Measured {
  const html = readFileSync(join(dist, PAGE), 'utf8');
  const loaded = externals(html)[0];
  if (loaded) throw new Error(`${PAGE} loads ${loaded}: its script and style belong inside it`);
  const worker = manifestOf(dist)[WORKER];
  if (!worker) throw new Error(`The manifest lists no ${WORKER}`);
  return sizes(dist, [PAGE, worker.file]);
}

/** Measures what an official's page loads (it registers no service worker). */
export function measureOfficials(dist = join(surveyApp, 'dist')): Measured {
  return measure(dist, OFFICIALS_PAGE, [OFFICIALS_PAGE]);
}

/** What `page` loads: `entries` and what they import, each once; never console code. */
function measure(dist: string, page: string, entries: string[]): Measured {
  const manifest = manifestOf(dist);
  const files = new Set<string>();
  const visit = (key: string, from: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${from} needs ${key}, which the manifest does not list`);
    if (chunk.src?.startsWith('console/')) {
      throw new Error(`${page} loads console code: ${chunk.file} (from ${from})`);
    }
    files.add(chunk.file);
    for (const css of chunk.css) files.add(css);
    for (const imported of chunk.imports) visit(imported, key);
  };
  for (const entry of entries) visit(entry, page);

  // Whatever the built page itself names must be among the files measured.
  for (const url of externals(readFileSync(join(dist, page), 'utf8'))) {
    if (!files.has(url)) throw new Error(`${page} loads ${url}, missing from the manifest`);
  }
  return sizes(dist, [...files]);
}

const manifestOf = (dist: string) =>
  manifestSchema.parse(JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')));

/** The scripts and styles a page names, as paths in the build. */
const externals = (html: string): string[] =>
  Array.from(html.matchAll(/\s(?:src|href)="\/([^"]+\.(?:js|css))"/g), ([, url]) => url ?? '');

function sizes(dist: string, files: string[]): Measured {
  const measured = files.sort().map((file) => {
    const content = readFileSync(join(dist, file));
    return { file, bytes: content.length, gzip: gzipSync(content).length };
  });
  return { files: measured, total: measured.reduce((sum, f) => sum + f.gzip, 0) };
}

function newest(dir: string, skip: (name: string) => boolean): { path: string; mtime: number } {
  let found = { path: dir, mtime: 0 };
  for (const name of readdirSync(dir)) {
    if (skip(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    const candidate = stat.isDirectory() ? newest(path, skip) : { path, mtime: stat.mtimeMs };
    if (candidate.mtime > found.mtime) found = candidate;
  }
  return found;
}

/** A source of the survey edited after the last build, or undefined when the build is current. */
export function staleSurveyBuild(app = surveyApp): string | undefined {
  const built = statSync(join(app, 'dist', PAGE)).mtimeMs;
  const sources = [
    newest(join(app, 'survey'), (name) => name.endsWith('.test.ts')),
    newest(join(app, 'officials'), (name) => name.endsWith('.test.ts')),
    { path: join(app, 'vite.config.ts'), mtime: statSync(join(app, 'vite.config.ts')).mtimeMs },
  ];
  return sources.find((source) => source.mtime > built)?.path;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const stale = staleSurveyBuild();
  if (stale) {
    console.error(`${stale} is newer than survey-app/dist: run npm run build first.`);
    process.exit(1);
  }
  const pages = [
    { name: 'The survey page', measured: measureSurvey(), budget: BUDGET_BYTES },
    { name: "An official's page", measured: measureOfficials(), budget: OFFICIALS_BUDGET_BYTES },
  ];
  for (const { name, measured, budget } of pages) {
    console.log(name);
    for (const f of measured.files) {
      console.log(`${f.file.padEnd(40)} ${kb(f.bytes).padStart(9)} ${kb(f.gzip).padStart(9)} gzip`);
    }
    const total = measured.total;
    console.log(`${'total'.padEnd(50)} ${kb(total).padStart(9)} gzip, budget ${kb(budget)}`);
    if (total > budget) {
      console.error(`${name} is over its budget by ${kb(total - budget)}.`);
      process.exitCode = 1;
    }
  }
}
