// A migrated embedded database that a new data directory begins from (issue 19). A first
// `npm start` used to create its data directory with initdb inside PGlite (3.1-4.5 s) and then
// run every migration (0.4-0.9 s) before the demo was seeded; loading a migrated directory
// (about 2 s, the most of it PGlite's own start) skips both: a first start's /healthz came
// 3-3.5 s sooner (2026-12-05; BENCHMARKS.md, startup).
// `npm run build` makes it once (scripts/build-server.ts), as a tar file (PGlite's dumpDataDir),
// beside the compiled code in build/db/. Only the compiled code finds it there: its
// import.meta.url is its source's mirrored in build/ (scripts/build-server.ts), and
// bin/compiled.js runs it only while it is newer than every source, the migrations included.
// The TypeScript run through tsx (no build, or a stale one) finds no template beside db/ and
// creates the directory with initdb as before. The tests begin each database from a template
// made the same way (db/testing.setup.ts).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kysely } from 'kysely';
import type { Database } from './database.ts';
import { EmbeddedDatabase, embeddedDialect } from './embedded.ts';

/** Where the build puts the template, beside this module's compiled form. */
export const templateFile = fileURLToPath(new URL('./embedded-template.tar', import.meta.url));

/** The template beside this module, if the build made one. */
export function builtTemplate(file: string = templateFile): Blob | undefined {
  return existsSync(file) ? new Blob([readFileSync(file)]) : undefined;
}

/**
 * An empty cluster, migrated through the server's own dialect, as PGlite's uncompressed tar of
 * its data directory (gzip'd, a first start spent half a second inflating it).
 */
export async function migratedTemplate(): Promise<Uint8Array> {
  // Imported here: connect.ts imports this module, and a command on PostgreSQL loads neither
  // PGlite nor the migrations.
  const [{ PGlite }, { migrateToLatest }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('./migrate.ts'),
  ]);
  const instance = await PGlite.create();
  const db = new Kysely<Database>({
    dialect: embeddedDialect(new EmbeddedDatabase(() => Promise.resolve(instance), console.error)),
  });
  try {
    await migrateToLatest(db);
    const dump = await instance.dumpDataDir('none');
    return new Uint8Array(await dump.arrayBuffer());
  } finally {
    await db.destroy();
  }
}
