// `npm start`.
import { DataDirectoryLockedError } from '../db/lock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { SHUTDOWN_MS, startServer } from './server.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

let server;
try {
  server = await startServer(config);
} catch (error) {
  // Another process holds the data directory: an operator's situation, not a crash.
  if (!(error instanceof DataDirectoryLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
}
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // `on`, not `once`: a Ctrl-C reaches the server twice, from the terminal and passed on by npm,
  // and the second must not kill it before it has drained and released the data directory.
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping.`);
    // A database that does not answer cannot be closed; exiting still releases the lock
    // (db/lock.ts releases it on exit).
    setTimeout(() => {
      console.error(`Not stopped within ${SHUTDOWN_MS} ms; exiting anyway.`);
      process.exit(1);
    }, SHUTDOWN_MS).unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping failed: ${String(error)}`);
        process.exit(1);
      },
    );
  });
}
