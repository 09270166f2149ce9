// The citizen survey's budget (issue 5): everything the /s/{token} page loads, JavaScript and
// CSS, at most 30 KB gzipped, and no console code. Measured from the build (survey-app/dist)
// through Vite's manifest, and cross-checked against the built page's own tags.
//
//   npx tsx scripts/bundle-size.ts      prints the files and the total; exit 1 over budget
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';

export const BUDGET_BYTES = 30 * 1024;
export const surveyApp = fileURLToPath(new URL('../survey-app/', import.meta.url));

const PAGE = 'survey/index.html';
const WORKER = 'survey/sw.ts';

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

/** Measures what the survey page loads from a build directory (survey-app/dist by default). */
export function measureSurvey(dist = join(surveyApp, 'dist')): Measured {
  const manifest = manifestSchema.parse(
    JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')),
  );
  const files = new Set<string>();
  const visit = (key: string, from: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${from} needs ${key}, which the manifest does not list`);
    if (chunk.src?.startsWith('console/')) {
      throw new Error(`the survey loads console code: ${chunk.file} (from ${from})`);
    }
    files.add(chunk.file);
    for (const css of chunk.css) files.add(css);
    for (const imported of chunk.imports) visit(imported, key);
  };
  visit(PAGE, 'the survey page');
  visit(WORKER, 'the survey page');

  // Whatever the built page itself names must be among the files measured.
  const html = readFileSync(join(dist, PAGE), 'utf8');
  for (const [, url] of html.matchAll(/\s(?:src|href)="\/([^"]+\.(?:js|css))"/g)) {
    if (url && !files.has(url)) throw new Error(`${PAGE} loads ${url}, missing from the manifest`);
  }

  const measured = [...files].sort().map((file) => {
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
  const { files, total } = measureSurvey();
  for (const f of files) {
    console.log(`${f.file.padEnd(40)} ${kb(f.bytes).padStart(9)} ${kb(f.gzip).padStart(9)} gzip`);
  }
  console.log(`${'total'.padEnd(50)} ${kb(total).padStart(9)} gzip, budget ${kb(BUDGET_BYTES)}`);
  if (total > BUDGET_BYTES) {
    console.error(`The survey page is over its budget by ${kb(total - BUDGET_BYTES)}.`);
    process.exit(1);
  }
}
