// A server under load, in a process of its own so that the load generator does not share its
// event loop: `node --import tsx bench/serve.ts '<spec JSON>'` prints {"url": …} once it
// listens and stops on SIGTERM. Either the real service (api/server.ts, rate limits off) or
// the baseline: a bare Hono route that stores the same row with one plain query, unvalidated.
import { PGlite } from '@electric-sql/pglite';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';
import * as z from 'zod';
import { loadConfig } from '../api/config.ts';
import { startServer } from '../api/server.ts';
import { storedAnswers, sipas2017, type Answers } from './workload.ts';

const database = z.discriminatedUnion('engine', [
  z.object({ engine: z.literal('postgres'), databaseUrl: z.string() }),
  z.object({ engine: z.literal('pglite'), dataDir: z.string() }),
]);

export const serverSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sipas'), database }),
  z.object({
    kind: z.literal('bare'),
    database,
    /** What the bare route would otherwise have to look up: token → the row's ids. */
    targets: z.record(
      z.string(),
      z.object({ counterId: z.number(), campaignId: z.number(), instrumentId: z.number() }),
    ),
  }),
]);
export type ServerSpec = z.infer<typeof serverSpec>;

/** Same pool size as the service's (db/connect.ts). */
const POOL_SIZE = 10;

const INSERT =
  'insert into response (online_id, campaign_id, counter_id, instrument_id, mode, submitted_at, ' +
  "received_at, answers, status) values ($1, $2, $3, $4, 'qr', $5, $5, $6, 'valid')";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body's answers as they come: no scale, skip rule or item code is checked. */
function looseAnswers(value: unknown): Answers {
  const answers: Answers = {};
  if (!isRecord(value)) return answers;
  for (const [code, answer] of Object.entries(value)) {
    if (typeof answer === 'number') answers[code] = answer;
    else if (Array.isArray(answer)) answers[code] = answer.filter((v) => typeof v === 'number');
  }
  return answers;
}

async function bare(spec: Extract<ServerSpec, { kind: 'bare' }>) {
  let insert: (values: unknown[]) => Promise<unknown>;
  let close: () => Promise<unknown>;
  if (spec.database.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: spec.database.databaseUrl, max: POOL_SIZE });
    insert = (values) => pool.query(INSERT, values);
    close = () => pool.end();
  } else {
    const lite = new PGlite(spec.database.dataDir);
    insert = (values) => lite.query(INSERT, values);
    close = () => lite.close();
  }
  const targets = new Map(Object.entries(spec.targets));
  const app = new Hono().post('/api/v1/s/:token/responses', async (c) => {
    const body: unknown = await c.req.json();
    const target = targets.get(c.req.param('token'));
    if (!isRecord(body) || typeof body.id !== 'string' || !target) return c.notFound();
    const now = new Date();
    await insert([
      body.id,
      target.campaignId,
      target.counterId,
      target.instrumentId,
      now,
      storedAnswers(sipas2017, looseAnswers(body.answers)),
    ]);
    return c.json({ id: body.id, status: 'valid' }, 201);
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await close();
    },
  };
}

async function sipas(spec: Extract<ServerSpec, { kind: 'sipas' }>) {
  const server = await startServer(
    {
      ...loadConfig({ SIPAS_DEMO: 'off' }),
      port: 0,
      host: '127.0.0.1',
      rateLimit: { perDevice: 0, perIp: 0, ceilingPerDevice: 0, ceilingPerIp: 0 },
      database: spec.database,
    },
    { log: () => {} },
  );
  return { url: server.url.replace('localhost', '127.0.0.1'), stop: () => server.stop() };
}

const spec = serverSpec.parse(JSON.parse(process.argv[2] ?? '{}'));
const running = spec.kind === 'sipas' ? await sipas(spec) : await bare(spec);
process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
process.once('SIGTERM', () => {
  void running.stop().then(() => process.exit(0));
});
