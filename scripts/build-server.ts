// `npm run build`, after the pages: the server and the `sipas` command compiled to JavaScript in
// build/, which bin/start.js and bin/sipas.js run (issue 19: compiling the TypeScript at every
// start took 1.5 s before `sipas --help` printed a line). Each is bundled by esbuild, with the
// pure-JavaScript packages it imports (kysely, zod, hono...): loaded as ~480 files, as tsc left
// them, the modules of `sipas scores` took 0.6 s of CPU time before any work (a loaded
// machine), kysely's 257 files alone 0.24 s where its bundle takes 0.03 s. The modules a command
// or a route imports lazily stay lazy, as chunks of their own beside the entry (`sipas --help`
// loads none). Left out, imported from node_modules as they are: PGlite, which reads its
// WebAssembly beside its JavaScript; pg, written as CommonJS; and large packages that only some
// commands and routes load (exceljs, docx...). Beside the bundles go what the
// modules read at run time through import.meta.url: the .sql files of their folders, and
// survey-app/dist (a link, so that a later page build is seen), and the migrated data directory
// that a new embedded one begins from (db/template.ts). build/sources.json names every source
// with the build's start time, for bin/compiled.js to tell a stale build.
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as bundle, type Plugin } from 'esbuild';
import { migratedTemplate } from '../db/template.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = join(root, 'build');
const posix = (path: string) => path.split(sep).join('/');

/** Packages imported as they are, from node_modules: see the header. */
const unbundled = new Set([
  '@electric-sql/pglite',
  'pg',
  'pg-copy-streams',
  'exceljs',
  'docx',
  'jszip',
  'qrcode',
  'openid-client',
]);
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/**
 * A module's import.meta.url is its bundle's, in `outdir`: each source's own, where its files
 * lie (build/ mirrors the sources' folders), is put back as a URL relative to the bundle's.
 */
const ownUrl = (outdir: string): Plugin => ({
  name: 'own-import-meta-url',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, ({ path, kind }) =>
      kind !== 'entry-point' && unbundled.has(packageName(path))
        ? { path, external: true }
        : undefined,
    );
    esbuild.onLoad({ filter: /\.ts$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const compiled = join(build, relative(root, path)).replace(/\.ts$/, '.js');
      const url = `new URL(${JSON.stringify(posix(relative(outdir, compiled)))}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
});

const builtAt = Date.now();
rmSync(build, { recursive: true, force: true });
const sources = new Set<string>();
// Each entry bundled with its chunks in its own folder: the depth ownUrl counts from.
for (const entry of ['api/main.ts', 'api/cli/main.ts']) {
  const outdir = join(build, dirname(entry));
  const { metafile } = await bundle({
    entryPoints: [join(root, entry)],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    metafile: true,
    logLevel: 'warning',
    plugins: [ownUrl(outdir)],
  });
  for (const input of Object.keys(metafile.inputs)) {
    if (!input.includes('node_modules/')) sources.add(posix(relative(root, join(root, input))));
  }
}

const folders = [...new Set([...sources].map((path) => dirname(path)))];
const sql = folders.flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((name) => name.endsWith('.sql'))
    .map((name) => join(folder, name)),
);
for (const path of sql) {
  mkdirSync(dirname(join(build, path)), { recursive: true });
  copyFileSync(join(root, path), join(build, path));
}
mkdirSync(join(build, 'survey-app'));
symlinkSync(
  relative(join(build, 'survey-app'), join(root, 'survey-app/dist')),
  join(build, 'survey-app/dist'),
);
// The migrated data directory a new one begins from (db/template.ts), where the compiled
// db/template.ts looks for it: made by this build, from the migrations it compiled.
mkdirSync(join(build, 'db'), { recursive: true });
writeFileSync(join(build, 'db/embedded-template.tar'), await migratedTemplate());
writeFileSync(
  join(build, 'sources.json'),
  JSON.stringify({
    builtAt,
    sources: [...sources, ...sql, 'tsconfig.json', 'package-lock.json'].sort(),
  }),
);
console.log(
  `build/: ${sources.size} modules bundled, ${sql.length} SQL files copied, the embedded template made`,
);
