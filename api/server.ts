// Starting and stopping the service: migrations, built-ins, the demo on an empty database,
// then HTTP; on SIGTERM/SIGINT stop accepting, let requests in flight finish, close the pool.
import { serve, type ServerType } from '@hono/node-server';
import { connect, type Connection } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { ensureBuiltins } from './services/builtins.ts';
import { type DemoCredentials, seedDemoIfEmpty } from './services/demo.ts';
import { startTallyFolding } from './services/tallies.ts';

export interface RunningServer {
  readonly url: string;
  readonly connection: Connection;
  stop(): Promise<void>;
}

/** How long requests in flight may take to finish once a stop is asked for. */
const DRAIN_MS = 10_000;

/**
 * The longest a stop takes, the drain and closing the database included: past it the process
 * exits regardless (api/main.ts), since a database that does not answer cannot be closed.
 */
export const SHUTDOWN_MS = DRAIN_MS + 5_000;

/** How often new responses are folded into the tallies (api/services/tallies.ts). */
const TALLY_FOLD_MS = 5_000;

function describeDemo(demo: DemoCredentials): string {
  return [
    `Seeded the demo province (units DEMO…, campaign ${demo.campaign}). Shown only this once:`,
    `  admin API token: ${demo.adminToken}`,
    ...demo.surveyUrls.map(({ counter, url }) => `  survey for ${counter}: ${url}`),
  ].join('\n');
}

export async function startServer(
  config: Config,
  { log = (line: string) => console.log(line) }: { log?: (line: string) => void } = {},
): Promise<RunningServer> {
  const connection = connect(config.database);
  let demo: DemoCredentials | undefined;
  try {
    await migrateToLatest(connection.db);
    await ensureBuiltins(connection.db);
    if (config.demo) demo = await seedDemoIfEmpty(connection.db, { publicUrl: config.publicUrl });
  } catch (error) {
    await connection.close();
    throw error;
  }
  const app = createApp({ connection, config });
  // Responses are tallied in the background too, so that a scoring's own fold finds little.
  const folding = startTallyFolding(connection.db, {
    intervalMs: TALLY_FOLD_MS,
    onError: (error) => log(`Folding responses into tallies failed: ${String(error)}`),
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(s),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  log(`SIPAS is listening on ${url} (database: ${connection.engine})`);
  // Printed once: tokens are stored only as hashes, so they cannot be shown again.
  if (demo) log(describeDemo(demo));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        setTimeout(() => {
          if ('closeAllConnections' in server) server.closeAllConnections();
          resolve();
        }, DRAIN_MS).unref();
      });
      await folding.stop();
      await connection.close();
    })());
  return { url, connection, stop };
}
