import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Journey, launchBrowser, signIn, tr } from './support.ts';

const SESSION_KEY = 'portcluster.session';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('session', () => {
  test('a token the server refuses (401) sends you to sign in, then back to the page you wanted', async () => {
    await Journey.run(browser, 'session-401', async (j) => {
      // The browser logs the refused /me call itself; that one is the point of this journey.
      j.allowConsoleError(/status of 401/, /\/api\/v1\//);
      const { page } = j;
      await page.goto('/login');
      await signIn(page, 'officer');
      await j.shot('signed-in');

      await page.evaluate((key) => {
        const s = JSON.parse(window.sessionStorage.getItem(key) ?? 'null') as { token: string } | null;
        if (s === null) {
          throw new Error(`no ${key} in sessionStorage after signing in`);
        }
        window.sessionStorage.setItem(key, JSON.stringify({ ...s, token: 'garbage.not-a.jwt' }));
      }, SESSION_KEY);
      await page.goto('/registry/ports');
      await page.waitForURL((u) => u.pathname === '/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/registry/ports');
      await page.getByText(tr('zh-CN', 'login.expired')).waitFor();
      await j.shot('sent-to-login');

      await signIn(page, 'officer');
      await page.waitForURL((u) => u.pathname === '/registry/ports');
      await j.settle();
      expect(await page.locator('.ant-result-403, .ant-result-404').count()).toBe(0);
      await j.shot('back-on-page');
    });
  });

  test('sign out returns to the login page, and Back does not show data', async () => {
    await Journey.run(browser, 'session-signout', async (j) => {
      const { page } = j;
      await page.goto('/login');
      await signIn(page, 'officer');
      await page.getByTestId('main-menu').locator('a[href="/registry/ports"]').click();
      await page.waitForURL((u) => u.pathname === '/registry/ports');
      await j.settle();
      await j.shot('ports');

      await page.getByTestId('user-menu').click();
      await page.getByRole('menuitem', { name: tr('zh-CN', 'header.signOut') }).click();
      await page.waitForURL((u) => u.pathname === '/login');
      await page.getByTestId('login-card').waitFor();
      expect(await page.evaluate((key) => window.sessionStorage.getItem(key), SESSION_KEY)).toBeNull();
      await j.shot('signed-out');

      await page.goBack();
      await j.settle();
      await page.getByTestId('login-card').waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByTestId('main-menu').count(), 'the signed-in frame after Back').toBe(0);
      expect(await page.locator('.ant-table, [data-testid=data-table]').count(), 'a table after Back').toBe(0);
      await j.shot('after-back');
    });
  });
});
