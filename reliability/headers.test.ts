// Browser-facing hardening: the survey and the console (and every other HTML page the service
// serves) under a strict Content-Security-Policy that allows no inline script but the page's
// own, by its hash (the citizen's page carries its script and style, to save a round trip on
// slow 3G), with no other inline script, handler or style in the HTML either; every response,
// JSON and errors included, with nosniff, no referrer and frame-ancestors 'none'.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../db/testing.ts';
import { day, openRouteFixture, testActor, type RouteFixture } from '../api/routes/testing.ts';
import { createCampaign } from '../api/services/campaigns/index.ts';
import { issueCounterToken, revokeCounterToken } from '../api/services/credentials.ts';

/** The directives of a policy, by name. */
function directives(policy: string | null): Map<string, string[]> {
  const parsed = new Map<string, string[]>();
  for (const part of (policy ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) parsed.set(name.toLowerCase(), values);
  }
  return parsed;
}

/** What a policy lets run as script: the script-src, else the default-src. */
function scriptSources(policy: Map<string, string[]>): string[] {
  return policy.get('script-src') ?? policy.get('default-src') ?? ['*'];
}

const UNSAFE = [
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'unsafe-hashes'",
  'data:',
  '*',
  'http:',
  'https:',
];

/** The source that lets an inline element's text run, by its SHA-256. */
const hashSource = (text: string) =>
  `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The texts of the page's inline `<script>` elements that are script (not JSON data). */
function inlineScripts(html: string): string[] {
  return Array.from(html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi))
    .filter(
      ([, attributes = '']) => !/\bsrc\s*=|\btype\s*=\s*"application\/json"/i.test(attributes),
    )
    .map(([, , text = '']) => text);
}

const inlineStyles = (html: string): string[] =>
  Array.from(html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi), ([, text = '']) => text);

/** A hash in the policy must be that of the page's own inline script or style, nothing else. */
function expectStrictPolicy(header: string | null, html: string) {
  const policy = directives(header);
  for (const source of scriptSources(policy)) {
    expect(UNSAFE, `script source ${source}`).not.toContain(source);
    expect(source).not.toMatch(/^'nonce-/);
    if (/^'sha\d+-/.test(source)) expect(inlineScripts(html).map(hashSource)).toContain(source);
  }
  for (const source of policy.get('style-src') ?? policy.get('default-src') ?? ['*']) {
    expect(UNSAFE, `style source ${source}`).not.toContain(source);
    expect(source).not.toMatch(/^'nonce-/);
    if (/^'sha\d+-/.test(source)) expect(inlineStyles(html).map(hashSource)).toContain(source);
  }
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  expect(policy.get('base-uri')).toEqual(["'none'"]);
  expect(policy.get('object-src') ?? policy.get('default-src')).not.toContain('*');
}

/**
 * Inline script or style in any form the policy does not name by its hash: a script element
 * without src (JSON data blocks are not script), a style element; handlers, javascript: and
 * style attributes always.
 */
function inlineScript(html: string, header: string | null): string[] {
  const policy = directives(header);
  const allowed = (directive: string, text: string) =>
    (policy.get(directive) ?? []).includes(hashSource(text));
  const found: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(match[1] ?? '') && (match[2] ?? '').trim() !== '') found.push(match[0]);
  }
  for (const text of inlineScripts(html)) {
    if (!allowed('script-src', text)) found.push(`<script>${text.slice(0, 80)}`);
  }
  for (const text of inlineStyles(html)) {
    if (!allowed('style-src', text)) found.push(`<style>${text.slice(0, 80)}`);
  }
  // Outside the elements the policy allows: no handler, javascript: or style attribute.
  const rest = html.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, '');
  for (const match of rest.matchAll(/<[a-z][^>]*\son[a-z]+\s*=/gi)) found.push(match[0]);
  for (const match of rest.matchAll(/javascript:/gi)) found.push(match[0]);
  for (const match of rest.matchAll(/<[a-z][^>]*\sstyle\s*=/gi)) found.push(match[0]);
  return found;
}

describe.each(engines)('security headers on %s', (engine) => {
  let f: RouteFixture;
  let token: string;
  let revoked: string;

  beforeAll(async () => {
    f = await openRouteFixture(engine);
    const db = f.database.db;
    await createCampaign(db, testActor, {
      code: 'OPEN',
      instrument: 'sipas-2017',
      from: day(-5),
      to: day(5),
      counters: ['BRVT.SKHDT.Q1', 'BRVT.STP.Q1'],
    });
    token = await issueCounterToken(db, testActor, 'BRVT.SKHDT.Q1');
    revoked = await issueCounterToken(db, testActor, 'BRVT.STP.Q1');
    await revokeCounterToken(db, testActor, 'BRVT.STP.Q1');
  });
  afterAll(() => f.database.close());

  const pages: [string, () => { path: string; init?: RequestInit & { token?: string } }, number][] =
    [
      ['the survey', () => ({ path: `/s/${token}` }), 200],
      ['the survey of an unknown token', () => ({ path: '/s/unknownunknownunknown0' }), 404],
      ['the survey of a revoked token', () => ({ path: `/s/${revoked}` }), 410],
      ["an official's link, unknown", () => ({ path: `/o/${'o'.repeat(22)}` }), 404],
      ['the console', () => ({ path: '/console' }), 200],
      ['a console view', () => ({ path: '/console/campaigns/OPEN' }), 200],
      ['the API reference', () => ({ path: '/api/docs' }), 200],
      [
        'the QR sheet',
        () => ({
          path: '/api/v1/units/BRVT.CHAUDUC/qr-sheet',
          init: { method: 'POST', token: f.tokens.admin },
        }),
        200,
      ],
    ];

  it.each(pages)(
    '%s: a strict CSP, no inline script or style but its own, by hash',
    async (_name, request, status) => {
      const { path, init } = request();
      const response = await f.request(path, init);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const policy = response.headers.get('content-security-policy');
      const html = await response.text();
      expectStrictPolicy(policy, html);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(inlineScript(html, policy)).toEqual([]);
    },
  );

  it('puts nosniff, no referrer and frame-ancestors none on every other answer too', async () => {
    const answers = [
      await f.request('/healthz'),
      await f.request('/api/openapi.json'),
      await f.request('/api/v1/me', { token: f.tokens.admin }),
      await f.request('/api/v1/me'),
      await f.request('/api/v1/units/NOPE', { token: f.tokens.admin }),
      await f.request(`/api/v1/s/${token}`),
      await f.request(`/api/v1/s/${token}/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{',
      }),
      await f.request(`/api/v1/o/${'o'.repeat(22)}`),
      await f.request(`/api/v1/o/${'o'.repeat(22)}/responses`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{',
      }),
      await f.request('/nowhere'),
      await f.request('/sw.js'),
    ];
    for (const response of answers) {
      await response.arrayBuffer();
      expect(response.headers.get('x-content-type-options'), response.url).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(
        directives(response.headers.get('content-security-policy')).get('frame-ancestors'),
      ).toEqual(["'none'"]);
    }
    expect(answers.map((r) => r.status)).toEqual([
      200, 200, 200, 401, 404, 200, 400, 404, 400, 404, 200,
    ]);
  });

  it('finds inline script where there is some (the checks can fail)', () => {
    const none = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";
    expect(inlineScript('<script>alert(1)</script>', none)).toHaveLength(1);
    expect(inlineScript('<style>p{color:red}</style>', none)).toHaveLength(1);
    expect(inlineScript('<img src=x onerror="alert(1)">', none)).toHaveLength(1);
    expect(inlineScript('<a href="javascript:alert(1)">', none)).toHaveLength(1);
    expect(inlineScript('<p style="color:red">', none)).toHaveLength(1);
    expect(inlineScript('<script type="application/json" id="d">{"a":1}</script>', none)).toEqual(
      [],
    );
    // The page's own script and style, named by their hashes, and nothing else.
    const own = `script-src 'self' ${hashSource('go()')}; style-src ${hashSource('p{}')}`;
    const page = '<script type="module">go()</script><style>p{}</style>';
    expect(inlineScript(page, own)).toEqual([]);
    expectStrictPolicy(`default-src 'self'; ${own}; frame-ancestors 'none'; base-uri 'none'`, page);
    expect(inlineScript('<script>go();alert(1)</script><style>p{}</style>', own)).toHaveLength(1);
    expect(inlineScript(`${page}<p style="color:red">`, own)).toHaveLength(1);
    expect(() => expectStrictPolicy(`${own}; frame-ancestors 'none'`, '<p>')).toThrow();
    expect(() => expectStrictPolicy("script-src 'self' 'unsafe-inline'", '')).toThrow();
    expect(() => expectStrictPolicy("script-src 'self' 'nonce-abc'", '')).toThrow();
    expect(() => expectStrictPolicy("default-src 'self'", '')).toThrow();
  });
});
