// The account behind the API token: what the console shows after sign-in.
import { z } from '@hono/zod-openapi';
import { guarded, type AuthEnv } from '../auth.ts';
import { json } from '../openapi.ts';
import { apiApp } from '../validation.ts';

export const meSchema = z
  .object({
    name: z.string(),
    role: z.enum(['admin', 'surveyor', 'analyst']),
    unit: z.string().nullable().openapi({ description: 'The unit whose subtree it reaches' }),
  })
  .openapi('Account');

const me = guarded(['admin', 'surveyor', 'analyst'], {
  method: 'get',
  path: '/api/v1/me',
  tags: ['organisation'],
  summary: "The token's account: its name, role and unit",
  responses: { 200: { description: 'The account', content: json(meSchema) } },
});

export function accountRoutes() {
  return apiApp<AuthEnv>().openapi(me, (c) => {
    const { name, role, unitCode } = c.var.principal;
    c.header('Cache-Control', 'no-store');
    return c.json({ name, role, unit: unitCode }, 200);
  });
}
