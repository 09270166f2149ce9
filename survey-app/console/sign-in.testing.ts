// How a browser test signs in to the console: with a login and password, as staff do.
import type { Page } from 'playwright-core';

/** The password the browser tests give every account they create. */
export const TEST_PASSWORD = 'mật khẩu thử nghiệm';

/** Signs in on the console's sign-in page and waits until the console shows the account. */
export async function signInWithPassword(
  page: Page,
  url: string,
  login: string,
  password = TEST_PASSWORD,
): Promise<void> {
  await page.goto(`${url}/console`);
  await page.getByLabel('Tên đăng nhập').fill(login);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}
