import { z } from '@hono/zod-openapi';
import { ROLES } from '../../../db/database.ts';

/** The signed-in account, as GET /api/v1/me and the sign-in reply show it. */
export const meSchema = z
  .object({
    login: z
      .string()
      .nullable()
      .openapi({ description: "A staff account's login; null for an API token's account" }),
    name: z.string(),
    role: z.enum(ROLES),
    unit: z.string().nullable().openapi({ description: 'The unit whose subtree it reaches' }),
    csrfToken: z
      .string()
      .nullable()
      .openapi({
        description:
          'With the session cookie: the value every write must send as `X-CSRF-Token`; null ' +
          'with a bearer token, which needs none',
      }),
  })
  .openapi('Account');
