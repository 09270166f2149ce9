// Starting and stopping the service: migrations, built-ins, the demo on an empty database,
// then HTTP; on SIGTERM/SIGINT stop accepting, let requests in flight finish, close the pool.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { connect, type Connection } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createApp } from './app.ts';
import { type CommandSocket, listenForCommands } from './cli/serve.ts';
import type { Config } from './config.ts';
import { builtPages, distDir } from './routes/static.ts';
import { ensureBuiltins } from './services/builtins.ts';
import { trustedProxyCheck } from './services/client-address.ts';
import { issueSetupToken } from './services/accounts.ts';
import { type DemoCredentials, seedDemoIfEmpty } from './services/demo.ts';
import { EMBEDDED_SLICE, startTallyFolding } from './services/tallies.ts';

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

/**
 * Refuses a connection from an address that holds `cap` open ones already: one client cannot
 * take every file descriptor. Closed at once, before a byte is read. A trusted proxy's
 * connections carry every client behind it, so they are not counted.
 */
function capConnectionsPerAddress(
  server: Server,
  cap: number,
  isTrustedProxy: (address: string) => boolean,
): void {
  if (cap === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address !== undefined && isTrustedProxy(address)) return;
    const held = address === undefined ? 0 : (open.get(address) ?? 0);
    // An address is undefined once the client has gone already.
    if (address === undefined || held >= cap) {
      socket.destroy();
      return;
    }
    open.set(address, held + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/**
 * The HTTP server of an app, listening: a request's headers and the whole request must arrive
 * within their timeouts, and one address holds at most its share of connections (config.http).
 * Node's defaults let a client trickling its request hold a connection for 5 minutes.
 */
export async function listen(
  fetch: Parameters<typeof getRequestListener>[0],
  config: Pick<Config, 'port' | 'host' | 'http' | 'trustedProxies'>,
): Promise<Server> {
  const { headersTimeoutMs, requestTimeoutMs, connectionsPerIp } = config.http;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // How often Node looks for connections past their timeouts (30 s by default).
      connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
    },
    getRequestListener(fetch),
  );
  capConnectionsPerAddress(server, connectionsPerIp, trustedProxyCheck(config.trustedProxies));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function describeDemo(demo: DemoCredentials): string {
  return [
    `Seeded the demo province (units DEMO…, campaign ${demo.campaign}). Shown only this once:`,
    ...demo.surveyUrls.map(({ counter, url }) => `  survey for ${counter}: ${url}`),
  ].join('\n');
}

/** What start-up says: where things are, and a public address that is missing. */
export function startupLines(
  config: Pick<Config, 'host' | 'publicUrl' | 'qrPointsAtLocalhost'>,
  url: string,
  engine: string,
): string[] {
  const lines = [
    `SIPAS is listening on ${url} (database: ${engine})`,
    `  console:            ${url}/console`,
    `  API reference:      ${url}/api/docs`,
    `  OpenAPI document:   ${url}/api/openapi.json`,
    `  survey QR codes:    ${config.publicUrl}/s/…`,
  ];
  if (config.qrPointsAtLocalhost) {
    lines.push(
      `Warning: SIPAS_PUBLIC_URL is not set, so printed QR codes point at ${config.publicUrl}, ` +
        `which citizens' phones cannot reach, although the server listens on ${config.host}. ` +
        `Set SIPAS_PUBLIC_URL to the address citizens reach (e.g. https://sipas.example.gov.vn).`,
    );
  }
  return lines;
}

export async function startServer(
  config: Config,
  {
    log = (line: string) => console.log(line),
    now,
  }: { log?: (line: string) => void; now?: () => Date } = {},
): Promise<RunningServer> {
  const connection = connect(config.database);
  let demo: DemoCredentials | undefined;
  let setupToken: string | undefined;
  try {
    await migrateToLatest(connection.db);
    await ensureBuiltins(connection.db);
    if (config.demo) demo = await seedDemoIfEmpty(connection.db, { publicUrl: config.publicUrl });
    setupToken = await issueSetupToken(connection.db);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const app = createApp({ connection, config, ...(now ? { now } : {}) });
  // Responses are tallied in the background, on the primary alone (a standby replays the
  // tallies), so that a scoring finds few responses no fold counted; in short slices on the
  // embedded engine, whose one connection submissions wait for.
  const folding = startTallyFolding(connection.db, {
    intervalMs: TALLY_FOLD_MS,
    slice: connection.engine === 'pglite' ? EMBEDDED_SLICE : null,
    onError: (error) => log(`Folding responses into tallies failed: ${String(error)}`),
  });
  let server: Server;
  try {
    server = await listen(app.fetch, config);
  } catch (error) {
    await folding.stop();
    await connection.close();
    throw error;
  }
  // On an embedded data directory, which no other process may open meanwhile, the server
  // runs the `sipas` commands given on it (api/cli/serve.ts).
  let commands: CommandSocket | undefined;
  if (config.database.engine === 'pglite') {
    commands = await listenForCommands(config.database.dataDir, connection.db, config.reports, log);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  for (const line of startupLines(config, url, connection.engine)) log(line);
  if (connection.replica) {
    log('Scores, comparisons, scorecards, exports and plans are read on DATABASE_READ_URL.');
  }
  if (commands) {
    log(`sipas commands on this data directory run in this server (socket ${commands.path}).`);
  }
  if (!builtPages()) {
    log(
      `The survey app is not built (${distDir}): the console answers 503 and survey pages show a notice until npm run build.`,
    );
  }
  // Printed once: tokens are stored only as hashes, so they cannot be shown again.
  if (demo) log(describeDemo(demo));
  // No long-lived secret in the log: a link that works once, within the hour, and only while
  // no admin can sign in; the token after # never reaches a server's access log.
  if (setupToken !== undefined) {
    log(
      'No admin account can sign in yet. Create the first one within an hour (the link works ' +
        `once; restart for a new one): ${config.publicUrl}/console/setup#${setupToken}`,
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all([
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => {
            server.closeAllConnections();
            resolve();
          }, DRAIN_MS).unref();
        }),
        commands?.close(DRAIN_MS),
      ]);
      await folding.stop();
      await connection.close();
    })());
  return { url, connection, stop };
}
