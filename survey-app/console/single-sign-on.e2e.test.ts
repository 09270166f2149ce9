// Single sign-on in Chromium: the console's sign-in page offers the province's provider (a real
// oidc-provider started here), the browser goes there and back through every redirect on its
// own, and lands on the console with a session cookie that the API takes.
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../api/server.ts';
import { startScratchServer } from '../../api/server.testing.ts';
import { operator } from '../../api/services/access.ts';
import { createAccount } from '../../api/services/accounts.ts';
import {
  startTestProvider,
  TEST_CLIENT,
  type TestProvider,
} from '../../api/services/oidc.testing.ts';
import { CHROMIUM, haveChromium, launchChromium } from '../../scripts/chromium.ts';

if (!haveChromium) {
  console.warn(`Browser tests skipped: ${CHROMIUM} does not exist (apt-get install -y chromium).`);
}

/** A port free now: the provider must know the console's address before the server starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe.skipIf(!haveChromium)('single sign-on in Chromium', () => {
  let provider: TestProvider;
  let server: RunningServer;
  let browser: Browser;
  let publicUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    provider = await startTestProvider([`${publicUrl}/api/v1/session/oidc/callback`]);
    server = await startScratchServer('sso', {
      port,
      env: {
        SIPAS_PUBLIC_URL: publicUrl,
        SIPAS_OIDC_ISSUER: provider.issuer,
        SIPAS_OIDC_CLIENT_ID: TEST_CLIENT.id,
        SIPAS_OIDC_CLIENT_SECRET: TEST_CLIENT.secret,
      },
    });
    await createAccount(server.connection.db, operator('test'), {
      login: 'lan.nguyen',
      name: 'Nguyễn Thị Lan',
      // Single sign-on only: no password.
      role: 'admin',
    });
    browser = await launchChromium();
    // Migrating a fresh embedded database takes most of a minute on a busy 2-core machine.
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await provider?.stop();
  });

  it('signs in from the console through the provider', async () => {
    provider.signInAs({ subject: 'u-1001', claims: { preferred_username: 'lan.nguyen' } });
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await context.newPage();
    // Opened at another address of the server than SIPAS_PUBLIC_URL (server.url says
    // localhost): the sign-in moves to the public address, where the provider sends the
    // browser back, and the console is there at the end.
    expect(new URL(server.url).origin).not.toBe(publicUrl);
    await page.goto(`${server.url}/console`);
    const link = page.getByRole('link', { name: 'Đăng nhập bằng tài khoản một cửa' });
    await link.click();
    await page.waitForURL(`${publicUrl}/console`);

    const session = (await context.cookies()).find((cookie) => cookie.name === 'sipas_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(await context.cookies()).not.toContainEqual(
      expect.objectContaining({ name: 'sipas_oidc' }),
    );
    const me = await page.evaluate(() => fetch('/api/v1/me').then((reply) => reply.json()));
    expect(me).toMatchObject({ login: 'lan.nguyen', name: 'Nguyễn Thị Lan', role: 'admin' });
    await context.close();
  });
});
