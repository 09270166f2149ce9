// `npm run build`, after the pages: the server and the `sipas` command compiled to JavaScript in
// build/ (tsconfig.build.json), which bin/start.js and bin/sipas.js run (issue 19: compiling the
// TypeScript at every start took 1.5 s before `sipas --help` printed a line). Beside the
// modules go what they read at run time through import.meta.url: the .sql files of their
// folders, and survey-app/dist (a link, so that a later page build is seen). build/sources.json
// names every source with the build's start time, for bin/compiled.js to tell a stale build.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = join(root, 'build');

const builtAt = Date.now();
rmSync(build, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

const modules = readdirSync(build, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.js'))
  .map((path) => path.replace(/\.js$/, '.ts'));
const folders = [...new Set(modules.map((path) => dirname(path)))];
const sql = folders.flatMap((folder) =>
  readdirSync(join(root, folder))
    .filter((name) => name.endsWith('.sql'))
    .map((name) => join(folder, name)),
);
for (const path of sql) copyFileSync(join(root, path), join(build, path));
mkdirSync(join(build, 'survey-app'));
symlinkSync(
  relative(join(build, 'survey-app'), join(root, 'survey-app/dist')),
  join(build, 'survey-app/dist'),
);
writeFileSync(
  join(build, 'sources.json'),
  JSON.stringify({ builtAt, sources: [...modules, ...sql, 'tsconfig.build.json'].sort() }),
);
console.log(`build/: ${modules.length} modules and ${sql.length} SQL files compiled and copied`);
