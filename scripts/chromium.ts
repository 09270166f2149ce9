// Debian's Chromium (apt-get install -y chromium), driven by playwright-core: the browser tests
// and the citizen page's benchmark. Playwright's own browsers cannot be downloaded on these
// machines (no internet beyond the npm and Debian registries).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** False where the binary is missing: the browser tests are then skipped, with a warning. */
export const haveChromium = existsSync(CHROMIUM);

/** A headless browser for a machine without a sandbox, a GPU or a network beyond this one. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
