// `sipas` (bin/sipas.js). Listing the commands loads nothing else: the command, its services
// and the database drivers are imported only to run one (issue 19: `sipas --help` at once).
import { setFlagsFromString } from 'node:v8';
import { findCommand, listCommands } from './commands/index.ts';

const args = process.argv.slice(2);
if (findCommand(args)) {
  if (await onEmbeddedEngine()) economiseMemory();
  await (await import('../../db/pg.ts')).loadPg();
  const { runCli } = await import('./run.ts');
  process.exitCode = await runCli(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
} else {
  process.exitCode = listCommands(args, process.stderr);
}

/** Whether the command runs on PGlite; a configuration it refuses is its own to report. */
async function onEmbeddedEngine(): Promise<boolean> {
  const { loadDatabaseConfig } = await import('../config.ts');
  try {
    return loadDatabaseConfig(process.env).engine === 'pglite';
  } catch {
    return false;
  }
}

/**
 * A command runs for seconds, where V8's tiering up costs more than it saves (issue 19: the
 * peak memory of `sipas scores` on the embedded engine, < 200 MB). PGlite is 9 MB of
 * WebAssembly: V8 compiles it at once with its baseline compiler, Liftoff, then compiles again
 * every function that runs hot with its optimising one, TurboFan, on background threads whose
 * memory stays resident: 40-50 MB at the peak of `sipas scores` on 100,000 responses, and 3.4 s
 * of CPU time where Liftoff alone takes 2.1 s. Read when the module is compiled, so before any
 * database is opened. The young generation grows from 1 to 16 MB twice over as a command
 * allocates: kept at its first size, the peak is 30-40 MB lower, but the scoring's
 * collections then cost time (`sipas scores --by counter` of 1,000 counters on PostgreSQL:
 * 1.05-1.11 s against 1.41-1.69 s with it), so only where memory is the goal. The server
 * (`npm start`) keeps V8's defaults: it runs long enough to gain.
 */
function economiseMemory(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--semi-space-growth-factor=1');
}
