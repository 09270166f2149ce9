// pg loaded by loadPg: without Node's fetch (undici) on Node 20, and no navigator left behind.
// In a process of its own: the test runner has loaded fetch already.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

async function loaded(script: string) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { cwd: root },
  );
  return JSON.parse(stdout) as { fetch: boolean; navigator: boolean; client: string };
}

const report = `console.log(JSON.stringify({
  fetch: process.moduleLoadList.some((name) => name.includes('undici')),
  navigator: 'navigator' in globalThis,
  client: typeof pg.default.Client,
}));`;

it('loads pg without loading fetch, as pg alone does on Node 20, and leaves globalThis as it was', async () => {
  const node20 = Number(process.versions.node.split('.')[0]) < 21;
  const alone = await loaded(`const pg = await import('pg'); ${report}`);
  expect(alone.fetch).toBe(node20);
  const through = await loaded(
    `await (await import('./db/pg.ts')).loadPg(); const pg = await import('pg'); ${report}`,
  );
  expect(through).toEqual({ fetch: false, navigator: alone.navigator, client: 'function' });
});
