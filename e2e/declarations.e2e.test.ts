import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { api, apiGet, apiLogin, DOWNLOADS, hook, Journey, launchBrowser, signIn, tr, type ApiPage } from './support.ts';

/**
 * Issue 6, the declarations pages end to end. The declarant files an import declaration through
 * the form for one line of a bill on the demo ship's import manifest (found through the API):
 * the form refuses a net weight the items do not add up to, then the server refuses a bill that
 * is on no manifest (its message on the bill field), then it is received. The officer finds it in
 * its risk channel's queue on the workbench, reads the risk explanation and the manifest match,
 * and acts on it through the actions the status offers until it is released; the history shows
 * every event. The declarant then sees it released, with no risk data anywhere.
 */
type Manifest = { id: string; documentNumber: string; kind: string };
type Goods = { description: string; hsCode: string; packages: number; grossKg: number; netKg?: number | null; equipment?: string[] };
type ManifestDetail = Manifest & { document: { bills: { number: string; goods: Goods[] }[] } };
type Fired = { ruleId: string; channel: string; reasonZh: string; reasonEn: string; detail: string };
type Declaration = {
  id: string;
  entryId: string | null;
  status: string;
  version: number;
  channel?: string | null;
  risk?: { channel: string; fired: Fired[]; random: { selected: boolean } } | null;
};
type History = { seq: number; type: string }[];
type Match = { agrees: boolean; problems: { path: string }[] };

const RUN = Date.now().toString(36).toUpperCase().slice(-5);
/** CNY per kg inside the demo rule set's reference range for each heading, so no value rule fires. */
const CNY_PER_KG: Record<string, number> = { '4011': 30, '8471': 1_000, '8517': 5_000, '1201': 4 };
const USD_RATE = 7.1;

const inputOf = async (page: Page, testId: string): Promise<Locator> => {
  const el = page.getByTestId(testId);
  return ['INPUT', 'TEXTAREA'].includes(await el.evaluate((e) => e.tagName)) ? el : el.locator('input, textarea').first();
};
const fill = async (page: Page, testId: string, value: string): Promise<void> => {
  await (await inputOf(page, testId)).fill(value);
};

/** Picks an antd Select option after typing to narrow it, and checks that the select shows it. */
const choose = async (page: Page, testId: string, text: string): Promise<void> => {
  for (let attempt = 0; ; attempt += 1) {
    await page.getByTestId(testId).click();
    await page.keyboard.type(text);
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first().click();
    try {
      await expect.poll(async () => (await page.getByTestId(testId).textContent()) ?? '', { timeout: 3_000 }).toContain(text);
      return;
    } catch (e) {
      if (attempt >= 2) {
        throw e;
      }
      await page.keyboard.press('Escape');
    }
  }
};

/** The error text under the form item holding a control. */
const fieldError = (page: Page, testId: string): Locator =>
  page.locator('.ant-form-item', { has: page.getByTestId(testId) }).locator('.ant-form-item-explain-error');

const statusShown = (page: Page): Promise<string | null> =>
  page.getByTestId('declaration-detail').getByTestId('declaration-status').first().getAttribute('data-status');

/** One goods line of a bill of the demo ship's import manifest, found through the API, with a value inside its reference range. */
const demoLine = async (officerToken: string) => {
  const manifests = await apiGet<ApiPage<Manifest>>(officerToken, '/api/v1/manifests?kind=import-original&q=059E&limit=50');
  const manifest = manifests.items.find((m) => m.kind === 'import-original');
  expect(manifest, 'the demo import manifest of voyage 059E').toBeTruthy();
  const detail = await apiGet<ManifestDetail>(officerToken, `/api/v1/manifests/${manifest?.id ?? ''}`);
  // One line of a bill with several: its gross weight is far from the bill's, so the rules send it to an inspection channel.
  const known = (g: Goods) => CNY_PER_KG[g.hsCode.slice(0, 4)] !== undefined && (g.equipment ?? []).length > 0;
  const bill = detail.document.bills.find((b) => b.goods.length > 1 && b.goods.some(known));
  expect(bill, 'a demo bill with several goods lines').toBeTruthy();
  const goods = bill?.goods.find(known) as Goods;
  const hs = goods.hsCode.replace(/\D/g, '').padEnd(10, '0');
  const netKg = Math.round(goods.netKg ?? goods.grossKg * 0.95);
  return {
    billNumber: bill?.number ?? '',
    box: (goods.equipment ?? [])[0] ?? '',
    goods,
    hs,
    netKg,
    valueUsd: Math.round((netKg * (CNY_PER_KG[hs.slice(0, 4)] ?? 1)) / USD_RATE),
  };
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('a declaration filed through the form, worked through the officer workbench to release, and seen by its declarant', async () => {
  const officerToken = await apiLogin('officer');
  const traderToken = await apiLogin('trader');

  const { billNumber, box, goods, hs, netKg, valueUsd } = await demoLine(officerToken);
  const mineBefore = await apiGet<ApiPage<Declaration>>(traderToken, `/api/v1/declarations?q=${billNumber}&limit=100`);

  let id = '';
  let entryId = '';

  // ---------------------------------------------------------------- the declarant files it
  await Journey.run(browser, 'declarations-file', async (j) => {
    const { page } = j;
    await page.goto('/declarations');
    await signIn(page, 'trader');
    await hook(page, '[data-testid=declarations-page]', 'declarations list');
    await page.getByTestId('declaration-new').click();
    await hook(page, '[data-testid=declaration-drawer]', 'declaration form');
    await choose(page, 'decl-enterpriseCode', '3702930001');
    await choose(page, 'decl-customsCode', '4218');
    await fill(page, 'decl-billNumber', `NOBILL-${RUN}`);
    await fill(page, 'decl-vesselName', 'ZHONG GU JI NAN');
    await fill(page, 'decl-voyage', '059E');
    await page.getByTestId('decl-containerNumbers').click();
    await page.keyboard.type(box);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await fill(page, 'decl-tradeCountry', 'KR');
    await fill(page, 'decl-packages', String(goods.packages));
    await fill(page, 'decl-grossKg', String(goods.grossKg));
    // 100 kg more than the items add up to
    await fill(page, 'decl-netKg', String(netKg + 100));
    await fill(page, 'decl-item-0-hsCode', hs);
    await fill(page, 'decl-item-0-description', goods.description);
    await fill(page, 'decl-item-0-quantity', String(netKg));
    await fill(page, 'decl-item-0-netKg', String(netKg));
    await fill(page, 'decl-item-0-value', String(valueUsd));
    await fill(page, 'decl-item-0-origin', 'KR');
    await j.shot('form-filled');

    // the form's own check: the items' net weights against the header's, nothing sent
    await page.getByTestId('decl-submit').click();
    await expect.poll(async () => (await fieldError(page, 'decl-netKg').allTextContents()).join(' ')).toContain(`${netKg}`);
    expect((await fieldError(page, 'decl-netKg').allTextContents()).join(' ')).toContain(`${netKg + 100}`);
    await j.shot('net-weight-refused');

    // the server's refusal, on the field its path names: the bill is on no manifest (a 400 on purpose)
    j.allowConsoleError(/status of 400/, /\/api\/v1\/declarations$/);
    await fill(page, 'decl-netKg', String(netKg));
    await page.getByTestId('decl-submit').click();
    await expect.poll(async () => (await fieldError(page, 'decl-billNumber').allTextContents()).join(' ')).toContain(`NOBILL-${RUN}`);
    await expect.poll(async () => await fieldError(page, 'decl-netKg').count()).toBe(0);
    const mineNow = await apiGet<ApiPage<Declaration>>(traderToken, `/api/v1/declarations?q=${billNumber}&limit=100`);
    expect(mineNow.items.length, 'nothing stored after the refusals').toBe(mineBefore.items.length);
    await j.shot('bill-refused');

    await fill(page, 'decl-billNumber', billNumber);
    await page.getByTestId('decl-submit').click();
    await page.waitForURL(/\/declarations\/[^/]+$/);
    id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await hook(page, '[data-testid=declaration-detail]', 'declaration detail');
    const stored = await apiGet<Declaration>(traderToken, `/api/v1/declarations/${id}`);
    entryId = stored.entryId ?? '';
    expect(stored.status, 'received, waiting for customs').toBe('L');
    await expect.poll(() => statusShown(page)).toBe(stored.status);
    await expect.poll(async () => (await page.getByTestId('declaration-entry-id').textContent()) ?? '').toBe(entryId);
    expect(await page.getByTestId('risk-panel').count()).toBe(0);
    await j.shot('received');
  });

  // ---------------------------------------------------------------- the officer works it
  const seen = await apiGet<Declaration>(officerToken, `/api/v1/declarations/${id}`);
  const channel = seen.channel ?? '';
  expect(channel, 'the weight far from the bill sends it past the release channel').not.toBe('release');
  await Journey.run(browser, 'declarations-officer', async (j) => {
    const { page } = j;
    await page.goto('/workbench');
    await signIn(page, 'officer');
    await hook(page, `[data-testid=queue-channel-${channel}]`, 'queue card of the channel');
    const queues = await apiGet<{ status: string; channel: string | null; count: number }[]>(officerToken, '/api/v1/declarations/queues');
    const expected = queues.filter((q) => q.channel === channel).reduce((s, q) => s + q.count, 0);
    expect(expected).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId(`queue-channel-${channel}`).getAttribute('data-count')).toBe(String(expected));
    await page.getByTestId(`queue-channel-${channel}`).click();
    const row = page.getByTestId('workbench-list').locator(`tr[data-row-key="${id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('declaration-entry').textContent()).toBe(entryId);
    await j.shot('queue');
    await row.click();
    await hook(page, '[data-testid=risk-panel]', 'risk explanation');

    // the risk explanation: every fired rule with its reason in the UI's language (zh-CN)
    for (const f of seen.risk?.fired ?? []) {
      expect(await page.getByTestId(`risk-reason-${f.ruleId}`).textContent()).toBe(f.reasonZh);
    }
    expect(seen.risk?.fired.length ?? 0).toBeGreaterThan(0);
    expect(await page.getByTestId('risk-random').getAttribute('data-selected')).toBe(seen.risk?.random.selected ? 'true' : 'false');
    // the manifest match as the API has it
    const match = await apiGet<Match>(officerToken, `/api/v1/declarations/${id}/manifest-match`);
    await hook(page, `[data-testid=${match.agrees ? 'match-agrees' : 'match-disagrees'}]`, 'manifest match verdict');
    await j.shot('risk-and-match');

    // another officer reviews it first: the version on screen is stale, the server answers 409, the page says so and reloads
    const before = await apiGet<Declaration>(officerToken, `/api/v1/declarations/${id}`);
    expect(before.status).toBe('L');
    await api(officerToken, 'POST', `/api/v1/declarations/${id}/actions/review`, { expectedVersion: before.version });
    j.allowConsoleError(/status of 409/, /\/actions\/review$/);
    await page.getByTestId('action-review').click();
    await page.getByTestId('action-confirm').click();
    await hook(page, '[data-testid=action-error]', 'the notice that someone else acted');
    expect(await page.getByTestId('action-error').textContent()).toContain(tr('zh-CN', 'declarations.conflict'));
    await expect.poll(() => statusShown(page)).toBe('J');
    await j.shot('someone-else-reviewed');

    // act until released, with what the status offers: review, an inspection where the channel wants one, release
    let inspected = channel === 'document-review';
    for (let step = 0; step < 6; step += 1) {
      const d = await apiGet<Declaration>(officerToken, `/api/v1/declarations/${id}`);
      await expect.poll(() => statusShown(page)).toBe(d.status);
      if (d.status === 'P') {
        break;
      }
      const command =
        d.status === 'L' || d.status === 'M'
          ? 'review'
          : d.status === 'C'
            ? 'record-inspection'
            : d.status === 'J' && !inspected
              ? 'order-inspection'
              : 'release';
      if (command === 'record-inspection') {
        inspected = true;
      }
      await page.getByTestId(`action-${command}`).click();
      await page.getByTestId('action-confirm').click();
      await expect
        .poll(async () => (await apiGet<Declaration>(officerToken, `/api/v1/declarations/${id}`)).version)
        .toBeGreaterThan(d.version);
      await j.shot(`after-${command}`);
    }
    const released = await apiGet<Declaration>(officerToken, `/api/v1/declarations/${id}`);
    expect(released.status).toBe('P');
    await expect.poll(() => statusShown(page)).toBe('P');

    // the history: every event the API has for customs, the release among them
    const history = await apiGet<History>(officerToken, `/api/v1/declarations/${id}/history`);
    await expect.poll(() => page.getByTestId('declaration-history').locator('[data-testid^="history-"]').count()).toBe(history.length);
    expect(history.map((e) => e.type)).toContain('declaration.released');
    expect(await page.getByTestId('history-declaration.released').count()).toBe(1);
    await j.shot('released');
  });

  // ---------------------------------------------------------------- the declarant sees it released, without risk data
  await Journey.run(browser, 'declarations-declarant', async (j) => {
    const { page } = j;
    await page.goto('/declarations');
    await signIn(page, 'trader');
    const row = page.getByTestId('declarations-page').locator(`tr[data-row-key="${id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('declaration-status').getAttribute('data-status')).toBe('P');
    await j.shot('list');
    await row.click();
    await hook(page, '[data-testid=declaration-detail]', 'declaration detail');
    await expect.poll(() => statusShown(page)).toBe('P');
    const history = await apiGet<History>(traderToken, `/api/v1/declarations/${id}/history`);
    await expect.poll(() => page.getByTestId('declaration-history').locator('[data-testid^="history-"]').count()).toBe(history.length);
    expect(history.map((e) => e.type)).not.toContain('declaration.risk-assessed');
    expect(await page.getByTestId('risk-panel').count()).toBe(0);
    expect(await page.getByTestId('manifest-match').count()).toBe(0);
    expect(await page.getByTestId('declaration-channel').count()).toBe(0);
    await j.shot('released');
  });

  const mine = await api<Declaration>(traderToken, 'GET', `/api/v1/declarations/${id}`);
  expect(mine).not.toHaveProperty('risk');
});

test('the declarant amends a received declaration through the prefilled form, downloads its CUSRES and withdraws it', async () => {
  const officerToken = await apiLogin('officer');
  const traderToken = await apiLogin('trader');
  const line = await demoLine(officerToken);
  const filed = await api<Declaration>(traderToken, 'POST', '/api/v1/declarations', {
    direction: 'import',
    procedure: 'standard',
    enterpriseCode: '3702930001',
    customsCode: '4218',
    transport: { mode: '2', voyage: '059E', billNumber: line.billNumber, containerNumbers: [line.box] },
    tradeMode: '0110',
    transactionTerms: 'CIF',
    tradeCountry: 'KR',
    packages: line.goods.packages,
    packageType: 'CT',
    grossKg: line.goods.grossKg,
    netKg: line.netKg,
    currency: 'USD',
    items: [
      {
        hsCode: line.hs,
        description: line.goods.description,
        quantity: line.netKg,
        unit: 'KG',
        netKg: line.netKg,
        value: line.valueUsd,
        origin: 'KR',
      },
    ],
  });
  expect(filed.status).toBe('L');
  const renamed = `${line.goods.description} (${RUN})`;

  await Journey.run(browser, 'declarations-amend', async (j) => {
    const { page } = j;
    await page.goto(`/declarations/${filed.id}`);
    await signIn(page, 'trader');
    await hook(page, '[data-testid=declarant-actions]', "declarant's actions");
    await expect.poll(() => statusShown(page)).toBe('L');

    // amend: the form opens with the stored document
    await page.getByTestId('action-amend').click();
    await hook(page, '[data-testid=declaration-drawer]', 'amendment form');
    expect(await (await inputOf(page, 'decl-billNumber')).inputValue()).toBe(line.billNumber);
    expect(await (await inputOf(page, 'decl-item-0-hsCode')).inputValue()).toBe(line.hs);
    expect(await (await inputOf(page, 'decl-item-0-description')).inputValue()).toBe(line.goods.description);
    await fill(page, 'decl-item-0-description', renamed);
    await j.shot('amend-form');
    await page.getByTestId('decl-submit').click();
    await expect.poll(async () => (await apiGet<Declaration>(traderToken, `/api/v1/declarations/${filed.id}`)).status).toBe('M');
    await expect.poll(() => statusShown(page)).toBe('M');
    const amended = await apiGet<Declaration & { document: { items: { description: string }[] } }>(
      traderToken,
      `/api/v1/declarations/${filed.id}`,
    );
    expect(amended.document.items[0]?.description).toBe(renamed);
    await expect.poll(async () => (await page.getByTestId('declaration-items').textContent()) ?? '').toContain(renamed);

    // the customs responses so far, as the file the declarant's system reads
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('action-cusres').click()]);
    expect(download.suggestedFilename()).toBe(`CUSRES-${filed.entryId ?? filed.id}.edi`);
    fs.mkdirSync(DOWNLOADS, { recursive: true });
    const file = path.join(DOWNLOADS, download.suggestedFilename());
    await download.saveAs(file);
    const edifact = fs.readFileSync(file, 'utf8');
    expect(edifact).toMatch(/^UN[AB]/);
    expect(edifact).toContain('UNH+');
    expect(edifact).toContain(filed.entryId ?? filed.id);

    // withdraw, with a reason
    await page.getByTestId('action-withdraw').click();
    await fill(page, 'withdraw-reason', 'declared on the wrong line');
    await page.getByTestId('withdraw-confirm').click();
    await expect.poll(async () => (await apiGet<Declaration>(traderToken, `/api/v1/declarations/${filed.id}`)).status).toBe('D');
    await expect.poll(() => statusShown(page)).toBe('D');
    // nothing is left to do on a withdrawn declaration but read it
    await expect.poll(() => page.getByTestId('action-withdraw').count()).toBe(0);
    expect(await page.getByTestId('action-amend').count()).toBe(0);
    const history = await apiGet<{ type: string; payload: { reason?: string } }[]>(traderToken, `/api/v1/declarations/${filed.id}/history`);
    expect(history.map((e) => e.type)).toEqual([
      'declaration.received',
      'declaration.goods-arrived',
      'declaration.amended',
      'declaration.withdrawn',
    ]);
    await expect.poll(() => page.getByTestId('declaration-history').locator('[data-testid^="history-"]').count()).toBe(history.length);
    await j.shot('withdrawn');
  });
});
