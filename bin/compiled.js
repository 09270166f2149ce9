// What bin/sipas.js and bin/start.js run: the JavaScript compiled into build/ by `npm run build`
// (which `npm install`, `npm ci` and `npm test` run), when it is newer than every source it was
// compiled from; else the TypeScript itself, through tsx, as before issue 19. One path for a
// missing or stale build rather than a refusal: a clone edited since its last build (a test run
// without pretest, `npm start` after a `git pull`) still runs the code it holds, only slower,
// and is told so on a terminal.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const root = new URL('../', import.meta.url);
// A path, not a URL, for each of the ~250 sources: a URL costs its parse at every statSync.
const rootPath = fileURLToPath(root);

/** Whether build/ holds every source, compiled after its last change. */
function fresh() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(new URL('build/sources.json', root), 'utf8'));
  } catch {
    return false;
  }
  return manifest.sources.every(
    (source) =>
      (statSync(rootPath + source, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) <
      manifest.builtAt,
  );
}

/** Runs `entry` (e.g. `api/main`): build/api/main.js, or api/main.ts through tsx. */
export async function run(entry) {
  if (fresh()) {
    await import(new URL(`build/${entry}.js`, root).href);
    return;
  }
  if (process.stderr.isTTY) {
    process.stderr.write(
      'build/ is missing or older than the sources: running the TypeScript through tsx ' +
        '(slower to start). `npm run build` compiles it.\n',
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL(`${entry}.ts`, root).href);
}
