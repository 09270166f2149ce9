// `sipas` (bin/sipas.js). Listing the commands loads nothing else: the command, its services
// and the database drivers are imported only to run one (issue 19: `sipas --help` at once).
import { findCommand, listCommands } from './commands/index.ts';

const args = process.argv.slice(2);
if (findCommand(args)) {
  const { runCli } = await import('./run.ts');
  process.exitCode = await runCli(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
} else {
  process.exitCode = listCommands(args, process.stderr);
}
