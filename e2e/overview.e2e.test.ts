import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiGet, apiLogin, hook, Journey, launchBrowser, signIn, type ApiPage } from './support.ts';

type Port = { id: string; locode: string; nameZh: string; nameEn: string };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('open the overview and see every seeded port on the map; a port card opens its page', async () => {
  const ports = (await apiGet<ApiPage<Port>>(await apiLogin('officer'), '/api/v1/ports?limit=500')).items;
  expect(ports.length, 'seeded ports').toBeGreaterThan(0);
  const locodes = ports.map((p) => p.locode).sort();
  await Journey.run(browser, 'overview', async (j) => {
    const { page } = j;
    await page.goto('/');
    await signIn(page, 'officer');
    await page.waitForURL((u) => u.pathname === '/');

    await hook(page, '[data-testid=cluster-map]', 'the cluster map of the overview');
    const onMap = async (): Promise<string[]> =>
      ((await page.getByTestId('cluster-map').getAttribute('data-ports')) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
        .sort();
    await expect.poll(onMap, { timeout: 20_000, message: 'LOCODEs in data-ports of the cluster map' }).toEqual(locodes);
    await j.settle();
    await j.shot('map');

    for (const p of ports) {
      await hook(page, `[data-testid=port-card-${p.locode}]`, `the card of ${p.locode}`, 5_000);
    }
    const target = ports.find((p) => p.locode === 'CNTAO') ?? ports[0];
    if (target === undefined) {
      throw new Error('no port to open');
    }
    await page.getByTestId(`port-card-${target.locode}`).click();
    await page.waitForURL((u) => u.pathname === `/ports/${target.id}`);
    await j.settle();
    expect(await page.locator('.ant-result-403, .ant-result-404').count()).toBe(0);
    await j.shot(`port-${target.locode}`);
  });
});
