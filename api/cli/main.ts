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
  // resident: 40-50 MB at the peak of `sipas scores` on 100,000 responses, and 3.4 s of CPU
  // time where Liftoff alone takes 2.1 s. Read when the module is compiled, so before any
  // database is opened. The server (`npm start`) keeps tiering up: it runs long enough to gain.
  setFlagsFromString('--liftoff-only');
  // The young generation grows from 1 to 16 MB twice over as a command allocates: kept at its
  // first size, the peak of `sipas scores` is 30-40 MB lower on either engine for the same CPU
  // time. Read whenever the heap would grow.
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
