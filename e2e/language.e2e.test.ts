import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  apiGet,
  apiLogin,
  chooseOption,
  expectedMenu,
  Journey,
  launchBrowser,
  menuLinks,
  signIn,
  tr,
  type Lang,
  type Me,
} from './support.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('switch language and see both: Chinese by default, English persisted across a reload, and back', async () => {
  const me = await apiGet<Me>(await apiLogin('officer'), '/api/v1/me');
  const menu = expectedMenu(me.allowedRoutes);

  /** The whole menu, the role and the organisation are in `lang`. */
  const expectIn = async (page: Page, lang: Lang): Promise<void> => {
    await expect
      .poll(async () => (await menuLinks(page)).map((l) => l.text), { timeout: 10_000 })
      .toEqual(menu.map((p) => tr(lang, p.labelKey)));
    expect(await page.getByTestId('role-tag').textContent()).toBe(tr(lang, `role.${me.role}`));
    expect(await page.getByTestId('who').textContent()).toContain(lang === 'zh-CN' ? me.organisation.nameZh : me.organisation.nameEn);
  };
  const overviewLabel = async (page: Page): Promise<string | undefined> => (await menuLinks(page)).find((l) => l.href === '/')?.text;

  await Journey.run(browser, 'language', async (j) => {
    const { page } = j;
    await page.goto('/');
    await signIn(page, 'officer');
    await expectIn(page, 'zh-CN');
    expect(await overviewLabel(page)).toBe('港口群总览');
    await j.shot('chinese');

    await chooseOption(page, 'lang-select', 'English');
    await expectIn(page, 'en-US');
    expect(await overviewLabel(page)).toBe('Cluster overview');
    await j.shot('english');

    await page.reload();
    await page.getByTestId('main-menu').waitFor();
    await expectIn(page, 'en-US');
    await j.shot('english-after-reload');

    await chooseOption(page, 'lang-select', '中文');
    await expectIn(page, 'zh-CN');
    await j.shot('chinese-again');
  });
});
