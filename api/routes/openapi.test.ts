import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRouteFixture, type RouteFixture } from './testing.ts';

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses?: Record<string, { description?: string }>;
  security?: unknown[];
}

const methods = ['get', 'put', 'post', 'patch', 'delete'];
/** Routes anyone may call: signing in (single sign-on too) and the first admin's setup. */
const open = new Set([
  'post /api/v1/session',
  'post /api/v1/setup',
  'get /api/v1/session/methods',
  'get /api/v1/session/oidc',
  'get /api/v1/session/oidc/callback',
]);

/** Every `$ref` in the document. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner),
  );
}

// The document does not depend on the engine: one database will do.
describe('the OpenAPI document', () => {
  let f: RouteFixture;
  let document: {
    openapi: string;
    info: { title: string; version: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  };
  beforeAll(async () => {
    f = await openRouteFixture('pglite');
    const response = await f.request('/api/openapi.json');
    expect(response.status).toBe(200);
    document = await response.json();
  });
  afterAll(() => f.database.close());

  it('is OpenAPI 3.1 and lists every route of /api and /healthz, and nothing else', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: 'SIPAS API' });
    const served = new Set(
      f.app.routes
        .filter((r) => r.method !== 'ALL' && (r.path.startsWith('/api/') || r.path === '/healthz'))
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`),
    );
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((method) => methods.includes(method))
          .map((method) => `${method} ${path}`),
      ),
    );
    expect(served.size).toBeGreaterThanOrEqual(30);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('gives each operation its responses, its path parameters and, behind a token, 401', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method} ${path}`;
        const responses = Object.entries(operation.responses ?? {});
        expect(responses.length, where).toBeGreaterThan(0);
        for (const [status, response] of responses) {
          expect(status, where).toMatch(/^[1-5]\d\d$/);
          expect(response.description, where).toBeTruthy();
        }
        const declared = (operation.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => (expect(p.required, where).toBe(true), p.name));
        expect(declared.sort(), where).toEqual([...inPath].sort());
        const guarded =
          path.startsWith('/api/v1/') && !/^\/api\/v1\/[so]\//.test(path) && !open.has(where);
        expect(Boolean(operation.security?.length), where).toBe(guarded);
        // Sign-out takes the cookie if there is one, and answers 204 without it.
        if (guarded && where !== 'delete /api/v1/session') {
          expect(Object.keys(operation.responses ?? {}), where).toContain('401');
          expect(operation.security, where).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
        }
      }
    }
    expect(document.components.securitySchemes).toHaveProperty('bearerAuth');
    expect(document.components.securitySchemes).toHaveProperty('sessionCookie', {
      type: 'apiKey',
      in: 'cookie',
      name: 'sipas_session',
      description: expect.stringContaining('X-CSRF-Token'),
    });
  });

  it('resolves every $ref to a component', () => {
    const all = refs(document);
    expect(all.length).toBeGreaterThan(0);
    for (const ref of all) {
      const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
      expect(name, ref).toBeDefined();
      expect(document.components.schemas, ref).toHaveProperty([name ?? '']);
    }
  });

  it('has a readable reference page with no script and no inline style', async () => {
    const page = await f.request('/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    expect(html).toContain('<link rel="stylesheet" href="/api/docs.css">');
    for (const path of Object.keys(document.paths)) {
      expect(html).toContain(`<code>${path.replace(/'/g, '&#39;')}</code>`);
    }
    const css = await f.request('/api/docs.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });
});
