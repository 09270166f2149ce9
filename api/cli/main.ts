// `sipas` (bin/sipas.js). Listing the commands loads nothing else: the command, its services
// and the database drivers are imported only to run one (issue 19: `sipas --help` at once).
import { setFlagsFromString } from 'node:v8';
import { findCommand, listCommands } from './commands/index.ts';

const args = process.argv.slice(2);
if (findCommand(args)) {
  // A command runs for seconds, where V8's tiering up costs more than it saves (issue 19: the
  // peak memory of `sipas scores` on the embedded engine). PGlite is 9 MB of WebAssembly: V8
  // compiles it at once with its baseline compiler, Liftoff, then compiles again every function
  // that runs hot with its optimising one, TurboFan, on background threads whose memory stays
  // resident: 40-50 MB at the command's peak, and a third more CPU time than Liftoff alone.
  // Read when the module is compiled, so before any database is opened. The server (`npm
  // start`) keeps tiering up: it runs long enough to gain from it.
  setFlagsFromString('--liftoff-only');
  // The young generation grows from 1 to 16 MB twice over as a command allocates: kept at its
  // first size, the peak is 30 MB lower for the same CPU time. Read as the heap grows.
  setFlagsFromString('--semi-space-growth-factor=1');
  const { runCli } = await import('./run.ts');
  process.exitCode = await runCli(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
} else {
  process.exitCode = listCommands(args, process.stderr);
}
