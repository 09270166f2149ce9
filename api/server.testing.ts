// The real server for the browser tests and the citizen page's benchmark: on 127.0.0.1 and a
// free port, on an embedded database in a temporary directory of its own, without the demo.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { startServer, type RunningServer } from './server.ts';

/**
 * Starts the server, configured by `env` besides, on `port` (a free one by default), on the
 * clock `now` (the real one by default); its `stop()` also removes the directory.
 */
export async function startScratchServer(
  name: string,
  {
    env = {},
    port = 0,
    now,
  }: { env?: Record<string, string>; port?: number; now?: () => Date } = {},
): Promise<RunningServer & { readonly dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), `sipas-${name}-`));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const server = await startServer(
      {
        ...loadConfig(env),
        port,
        host: '127.0.0.1',
        demo: false,
        database: { engine: 'pglite', dataDir },
      },
      { log: () => {}, ...(now ? { now } : {}) },
    );
    return {
      url: server.url,
      dataDir,
      connection: server.connection,
      async stop() {
        await server.stop();
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}
