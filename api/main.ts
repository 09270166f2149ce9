// `npm start`.
import { DataDirectoryLockedError } from '../db/lock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';

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
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: finishing requests in flight, then stopping.`);
    void server.stop().then(() => process.exit(0));
  });
}
