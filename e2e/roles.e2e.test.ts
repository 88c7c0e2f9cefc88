import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_USERS } from '../src/seed/demo-users.ts';
import {
  apiGet,
  apiLogin,
  apiStatus,
  expectedMenu,
  Journey,
  launchBrowser,
  menuLinks,
  probeablePages,
  signIn,
  tr,
  type Me,
} from './support.ts';

/** The brief's fixed points, on top of the computed expectation: they keep the demo data from going degenerate. */
const MUST: Record<string, { has?: string[]; lacks?: string[] }> = {
  trader: { has: ['/registry/enterprises'] },
  terminal: { lacks: ['/registry/enterprises'] },
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('sign in as each role and see exactly that role’s menu', () => {
  for (const user of DEMO_USERS) {
    test(`${user.username} (${user.role})`, async () => {
      // What the server says this user may do, with a token of the user's own.
      const token = await apiLogin(user.username);
      const me = await apiGet<Me>(token, '/api/v1/me');
      expect(me.role).toBe(user.role);
      const expected = expectedMenu(me.allowedRoutes);

      // The server really answers each list page's route exactly when /me says it is allowed.
      for (const p of probeablePages()) {
        const status = await apiStatus(token, p.requires.replace(/^GET /, ''));
        expect([200, 403], `${p.requires} as ${user.username}`).toContain(status);
        expect(status === 200, `${p.requires} answered ${status} to ${user.username}`).toBe(me.allowedRoutes.includes(p.requires));
      }

      await Journey.run(browser, `roles-${user.username}`, async (j) => {
        const { page } = j;
        await page.goto('/');
        await page.waitForURL((u) => u.pathname === '/login');
        await j.shot('login');
        await signIn(page, user.username);
        await page.waitForURL((u) => u.pathname === '/');
        await j.shot('menu');

        const links = await menuLinks(page);
        expect(new Set(links.map((l) => l.href)), 'menu links').toEqual(new Set(expected.map((p) => p.path)));
        expect(
          links.map((l) => l.text),
          'menu labels, in order, in Chinese',
        ).toEqual(expected.map((p) => tr('zh-CN', p.labelKey)));
        for (const href of MUST[user.username]?.has ?? []) {
          expect(links.map((l) => l.href)).toContain(href);
        }
        for (const href of MUST[user.username]?.lacks ?? []) {
          expect(links.map((l) => l.href)).not.toContain(href);
        }

        await expect.poll(() => page.getByTestId('role-tag').textContent()).toBe(tr('zh-CN', `role.${me.role}`));
        expect(await page.getByTestId('who').textContent()).toContain(me.organisation.nameZh);

        // Every entry of the menu opens its page, not a 403 or 404.
        for (const { href } of links.filter((l) => l.href !== '/')) {
          await page.getByTestId('main-menu').locator(`a[href="${href}"]`).click();
          await page.waitForURL((u) => u.pathname === href);
          await j.settle();
          expect(await page.locator('.ant-result-403, .ant-result-404').count(), `${href} shows an error page`).toBe(0);
          await j.shot(href.slice(1).replaceAll('/', '-'));
        }
      });
    });
  }
});
