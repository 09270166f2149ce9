// How a browser test checks a screen's accessibility: axe-core's WCAG 2.2 AA rules and its best
// practices, run in the page; any violation fails the test, naming the screen and the nodes.
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function checkAxe(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axe.source);
  const violations = await page.evaluate(`axe
      .run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] })
      .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  expect(violations, `axe on ${screen}`).toEqual([]);
}
