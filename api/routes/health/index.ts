import { Hono } from 'hono';
import { text } from '../../../shared/text.ts';
import { problem } from '../problem.ts';
import type { AppEnv } from '../env.ts';

export const health = new Hono<AppEnv>().get('/healthz', async (c) => {
  if (await c.var.deps.connection.ping()) return c.json({ status: 'ok' as const });
  return problem(c, 503, text('Không kết nối được cơ sở dữ liệu.', 'The database is unreachable.'));
});
