// Browser-facing hardening: the survey and the console (and every other HTML page the service
// serves) under a strict Content-Security-Policy that allows no inline script, with no inline
// script, handler or style in the HTML either; every response, JSON and errors included, with
// nosniff, no referrer and frame-ancestors 'none'.
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

function expectStrictPolicy(header: string | null) {
  const policy = directives(header);
  for (const source of scriptSources(policy)) {
    expect(UNSAFE, `script source ${source}`).not.toContain(source);
    expect(source).not.toMatch(/^'(nonce|sha\d+)-/);
  }
  for (const source of policy.get('style-src') ?? policy.get('default-src') ?? ['*']) {
    expect(UNSAFE, `style source ${source}`).not.toContain(source);
  }
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  expect(policy.get('base-uri')).toEqual(["'none'"]);
  expect(policy.get('object-src') ?? policy.get('default-src')).not.toContain('*');
}

/** Inline script in any form: a script element without src (JSON data blocks are not script). */
function inlineScript(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1] ?? '';
    const isData = /\btype\s*=\s*"application\/json"/i.test(attributes);
    if (!/\bsrc\s*=/i.test(attributes) && !isData) found.push(match[0].slice(0, 80));
    if (/\bsrc\s*=/i.test(attributes) && (match[2] ?? '').trim() !== '') found.push(match[0]);
  }
  for (const match of html.matchAll(/<[a-z][^>]*\son[a-z]+\s*=/gi)) found.push(match[0]);
  for (const match of html.matchAll(/javascript:/gi)) found.push(match[0]);
  for (const match of html.matchAll(/<style\b|<[a-z][^>]*\sstyle\s*=/gi)) found.push(match[0]);
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

  it.each(pages)('%s: a strict CSP, no inline script or style', async (_name, request, status) => {
    const { path, init } = request();
    const response = await f.request(path, init);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectStrictPolicy(response.headers.get('content-security-policy'));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(inlineScript(await response.text())).toEqual([]);
  });

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
    expect(inlineScript('<script>alert(1)</script>')).toHaveLength(1);
    expect(inlineScript('<img src=x onerror="alert(1)">')).toHaveLength(1);
    expect(inlineScript('<a href="javascript:alert(1)">')).toHaveLength(1);
    expect(inlineScript('<p style="color:red">')).toHaveLength(1);
    expect(inlineScript('<script type="application/json" id="d">{"a":1}</script>')).toEqual([]);
    expect(() => expectStrictPolicy("script-src 'self' 'unsafe-inline'")).toThrow();
    expect(() => expectStrictPolicy("default-src 'self'")).toThrow();
  });
});
