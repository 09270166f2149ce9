// The embedded engine's disk full, on a small tmpfs of its own: when PostgreSQL cannot create
// its next WAL segment it PANICs, and the next query on that PGlite instance would spin in
// WebAssembly for good, blocking the event loop: every request and /healthz hung, and freeing
// space changed nothing (db/embedded.ts). Now the failure is unavailable (503), the health check
// says so, and once space is freed the data directory is opened again with every commit in it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../db/connect.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';
import { slowTests } from './harness.ts';

/** The longest any query may take while the disk is full, a failed reopening included. */
const ANSWER_WITHIN_MS = 15_000;

function mountUnavailable(): string | null {
  if (userInfo().uid !== 0) return 'mounting a tmpfs needs root';
  const probe = mkdtempSync(join(tmpdir(), 'sipas-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return null;
  } catch {
    return 'mount -t tmpfs is not permitted here (a container without CAP_SYS_ADMIN?)';
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const unavailable = slowTests ? mountUnavailable() : null;
if (unavailable) console.info(`disk full test skipped: ${unavailable}`);

async function timed<T>(work: Promise<T>): Promise<{ outcome: T | unknown; ms: number }> {
  const started = Date.now();
  const outcome = await work.catch((error: unknown) => error);
  return { outcome, ms: Date.now() - started };
}

describe.skipIf(!slowTests || unavailable !== null)('the embedded database disk full', () => {
  const mount = mkdtempSync(join(tmpdir(), 'sipas-disk-full-'));
  const dataDir = join(mount, 'data');
  const filler = join(mount, 'filler');
  let connection: Connection | undefined;
  afterAll(async () => {
    await connection?.close().catch(() => undefined);
    try {
      // Lazily: the instance dropped after its PANIC keeps its files open until the process ends.
      execFileSync('umount', ['-l', mount]);
    } catch {
      // never mounted
    }
    rmSync(mount, { recursive: true, force: true });
  });

  it('fails as unavailable when the WAL cannot grow, then recovers with every commit once space returns', async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', mount]);
    const lines: string[] = [];
    connection = connect({ engine: 'pglite', dataDir, log: (line) => lines.push(line) });
    const { db } = connection;
    await sql`create table answer (n integer primary key)`.execute(db);
    for (let n = 1; n <= 20; n++) await sql`insert into answer values (${n})`.execute(db);

    const { bavail, bsize } = statfsSync(mount);
    writeFileSync(filler, Buffer.alloc(bavail * bsize));
    // The next write needs a new 16 MB WAL segment, as a growing WAL does sooner or later.
    await sql`select pg_switch_wal()`.execute(db);
    const panic = await timed(sql`insert into answer values (21)`.execute(db));
    expect(isDatabaseUnavailable(panic.outcome)).toBe(true);
    expect(String(panic.outcome)).toMatch(/PANIC: .*No space left on device/);
    expect(lines.join('\n')).toMatch(/The embedded database failed \(PANIC: .*No space left/);

    // Still full: every query fails as unavailable within the bound, the health check too.
    const whileFull = [
      await timed(sql`select count(*) from answer`.execute(db)),
      await timed(sql`insert into answer values (22)`.execute(db)),
      await timed(
        db.transaction().execute((trx) => sql`insert into answer values (23)`.execute(trx)),
      ),
    ];
    for (const { outcome, ms } of whileFull) {
      expect(isDatabaseUnavailable(outcome)).toBe(true);
      expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    }
    const health = await timed(connection.ping());
    expect(health.outcome).toBe(false);
    expect(health.ms).toBeLessThan(ANSWER_WITHIN_MS);

    rmSync(filler);
    let recovered = false;
    const freed = Date.now();
    while (!recovered && Date.now() - freed < 60_000) {
      recovered = await connection.ping(10_000);
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(recovered).toBe(true);
    await sql`insert into answer values (24)`.execute(db);
    const { rows } = await sql<{ n: number }>`select n from answer order by n`.execute(db);
    // Every acknowledged insert, and none of those that failed.
    expect(rows.map((r) => r.n)).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 24]);
    expect(lines.join('\n')).toContain('The embedded database is open again');
    console.info(
      `disk full: PANIC answered in ${panic.ms} ms, then ${whileFull.map((t) => t.ms).join(', ')} ` +
        `ms; health ${health.ms} ms; serving ${Date.now() - freed} ms after space was freed`,
    );
  }, 180_000);
});
