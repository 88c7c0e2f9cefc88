import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { containerNumber } from '../src/core/codes.ts';
import { api, apiGet, apiLogin, hook, Journey, launchBrowser, signIn, tr, waitText, type ApiPage } from './support.ts';
import { messageStatus } from '../web/src/pages/cargo/model.ts';
import type { EdiMessageResult } from '../web/src/pages/cargo/types.ts';
import { ROOT } from './paths.ts';

/**
 * Issue 5, the cargo pages end to end. Set up through the API: a call with a berth plan, an
 * import manifest (a master and a house bill, three boxes) filed late, an amendment, and the
 * terminal's and customs' events on its boxes. In the browser the agent finds the manifest on
 * the late-filings tab, opens it, looks at an older version, follows a box to its page and sees
 * the seven flags and every event the API has; the terminal uploads an EDIFACT interchange and
 * sees what became of each message.
 */
type PortCall = { id: string };
type Berth = { id: string; code: string };
type Manifest = { id: string; documentNumber: string; late: boolean; deadlineAt: string | null; filedAt: string; version: number };
type Container = { id: string; number: string; manifestId: string | null; flags: Record<string, boolean> };
type ContainerDetail = Container & { timeline: { seq: number; type: string }[] };
type Ingest = { accepted: number; rejected: number; results: { status: string; code?: string; reason?: string }[] };
type Interchange = { id: string; fileName: string; messages?: (EdiMessageResult & { type: string })[] };

const HOUR = 3_600_000;
const RUN = Date.now().toString(36).toUpperCase().slice(-5);
const VOYAGE = `C${RUN}`;
const DOC = `MF-E2E-${RUN}`;
const MASTER = `MEDU${RUN}`;
const HOUSE = `HBL-${RUN}`;

const boxNo = containerNumber;
const seed = Number.parseInt(RUN, 36) % 900_000;
const BOX1 = boxNo('MSC', 100_000 + seed);
const BOX2 = boxNo('MSC', 100_001 + seed);
const BOX3 = boxNo('COS', 100_002 + seed);

const bills = (consignee: string) => [
  {
    number: MASTER,
    shipper: 'Busan Tyre Co',
    consignee,
    placeOfLoading: 'KRPUS',
    placeOfDischarge: 'CNTAO',
    goods: [
      {
        description: 'New pneumatic tyres for lorries',
        hsCode: '4011.20',
        packages: 400,
        packageType: 'PK',
        grossKg: 18_000,
        netKg: 17_500,
        equipment: [BOX1],
      },
      { description: 'Portable computers', hsCode: '847130', packages: 120, packageType: 'CT', grossKg: 2_400, equipment: [BOX2] },
    ],
  },
  {
    number: HOUSE,
    masterNumber: MASTER,
    consignee: 'Jiaozhou Logistics',
    goods: [{ description: 'Smartphones', hsCode: '851713', packages: 50, grossKg: 900, equipment: [BOX3] }],
  },
];
const equipment = [
  { number: BOX1, sizeType: '45G1', fullness: 'full', seals: ['SL001'], grossKg: 21_800 },
  { number: BOX2, sizeType: '22G1', fullness: 'full', seals: ['SL002'] },
  { number: BOX3, sizeType: '22G1', fullness: 'full' },
];

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('a late import manifest, its bills, goods and versions, a box with its flags and every event, and an EDIFACT upload', async () => {
  const now = Date.now();
  const agentToken = await apiLogin('agent');
  const terminalToken = await apiLogin('terminal');
  const officerToken = await apiLogin('officer');
  const berths = (await apiGet<ApiPage<Berth>>(officerToken, '/api/v1/berths?q=QQCT-0&limit=500')).items;
  const qqct01 = berths.find((b) => b.code === 'QQCT-01');
  expect(qqct01, 'berth QQCT-01 in the demo data').toBeTruthy();

  // ---------------------------------------------------------------- set-up through the API
  // Left Busan 18 h ago: an import manifest now is past its deadline (24 h before loading abroad).
  const call = await api<PortCall>(agentToken, 'POST', '/api/v1/port-calls', {
    portLocode: 'CNTAO',
    declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
    vessel: { imo: '1001037', draftM: 14 },
    voyage: VOYAGE,
    lastPort: 'KRPUS',
    lastPortDeparture: new Date(now - 18 * HOUR).toISOString(),
    eta: new Date(now + 2 * HOUR).toISOString(),
    etd: new Date(now + 30 * HOUR).toISOString(),
    purpose: 'cargo',
    cargoType: 'container',
    crewCount: 22,
    dangerousGoods: false,
  });
  await api(terminalToken, 'POST', `/api/v1/port-calls/${call.id}/berth-plan`, {
    berthId: qqct01?.id,
    start: new Date(now + 2 * HOUR).toISOString(),
    end: new Date(now + 26 * HOUR).toISOString(),
  });
  const filed = await api<Manifest>(agentToken, 'POST', '/api/v1/manifests', {
    kind: 'import-original',
    portCallId: call.id,
    documentNumber: DOC,
    bills: bills('Qingdao Rubber Trading Co'),
    equipment,
  });
  expect(filed.late, 'filed after the deadline').toBe(true);
  const manifest = await api<Manifest>(agentToken, 'POST', `/api/v1/manifests/${filed.id}/amendments`, {
    expectedVersion: 1,
    reason: 'consignee name corrected',
    documentNumber: DOC,
    bills: bills('Qingdao Rubber Trading Co Ltd'),
    equipment,
  });
  expect(manifest.version).toBe(2);

  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();
  const ev = (eventId: string, kind: string, containerNumber: string, occurredAt: string, extra: Record<string, string> = {}) => ({
    eventId: `${eventId}-${RUN}`,
    kind,
    containerNumber,
    occurredAt,
    portCallId: call.id,
    ...extra,
  });
  const terminalEvents = await api<Ingest>(terminalToken, 'POST', '/api/v1/container-events', {
    events: [
      ev('D1', 'discharge', BOX1, at(5), { location: 'QQCT-01' }),
      ev('Y1', 'yard-move', BOX1, at(4.5), { location: 'A01-03-2' }),
      ev('T1', 'terminal-release', BOX1, at(3)),
      ev('G1', 'gate-out', BOX1, at(2), { location: 'GATE-3', vehicle: '鲁B12345' }),
      ev('D2', 'discharge', BOX2, at(5), { location: 'QQCT-01' }),
    ],
  });
  expect(terminalEvents, JSON.stringify(terminalEvents.results)).toMatchObject({ accepted: 5, rejected: 0 });
  const customsEvents = await api<Ingest>(officerToken, 'POST', '/api/v1/container-events', {
    events: [ev('C1', 'customs-release', BOX1, at(3.5)), ev('C2', 'customs-hold', BOX2, at(4))],
  });
  expect(customsEvents, JSON.stringify(customsEvents.results)).toMatchObject({ accepted: 2, rejected: 0 });

  const visits = (await apiGet<ApiPage<Container>>(agentToken, `/api/v1/containers?portCallId=${call.id}&limit=100`)).items;
  const visit1 = visits.find((v) => v.number === BOX1);
  expect(visit1, `a visit for ${BOX1}`).toBeTruthy();
  const box1 = await apiGet<ContainerDetail>(agentToken, `/api/v1/containers/${visit1?.id ?? ''}`);
  expect(box1.flags).toEqual({
    discharged: true,
    customsReleased: true,
    terminalReleased: true,
    gatedOut: true,
    gatedIn: false,
    loaded: false,
    onHold: false,
  });
  const lateMinutes = Math.round((Date.parse(manifest.filedAt) - Date.parse(manifest.deadlineAt ?? '')) / 60_000);

  // ---------------------------------------------------------------- the agent: manifests, the manifest, a box
  await Journey.run(browser, 'cargo-1-agent', async (j) => {
    const { page } = j;
    await page.goto('/manifests');
    await signIn(page, 'agent');
    await page.waitForURL((u) => u.pathname === '/manifests');
    await hook(page, `[data-testid=manifests-page] tr[data-row-key="${manifest.id}"]`, 'the manifest in the list');
    const row = page.locator(`tr[data-row-key="${manifest.id}"]`);
    await waitText(row, DOC);
    await waitText(row, 'MT1101');
    await waitText(row, tr('zh-CN', 'cargo.late'));
    await j.shot('manifests');

    await page.getByTestId('manifests-tab-late').click();
    await page.waitForURL((u) => u.pathname === '/manifests/late');
    await hook(page, `tr[data-row-key="${manifest.id}"] [data-testid=minutes-late]`, 'the late filing with its delay');
    // 42 h late: "1天 18小时 …" (days and hours of filedAt − deadlineAt)
    const lateText = tr('zh-CN', 'cargo.duration.days').replace('{{count}}', String(Math.floor(lateMinutes / 1440)));
    await waitText(page.locator(`tr[data-row-key="${manifest.id}"] [data-testid=minutes-late]`), lateText);
    await j.shot('late-filings');

    await page.locator(`tr[data-row-key="${manifest.id}"]`).click();
    await page.waitForURL((u) => u.pathname === `/manifests/${manifest.id}`);
    await hook(page, '[data-testid=manifest-detail]', 'the manifest page');
    await waitText(page.getByTestId('manifest-number'), DOC);
    await hook(page, `[data-testid=manifest-bills] [data-testid="bill-${HOUSE}"]`, 'the house bill under its master');
    await waitText(page.getByTestId('manifest-bills'), 'Qingdao Rubber Trading Co Ltd');
    await waitText(page.getByTestId('manifest-goods'), '851713');
    await hook(page, `[data-testid=manifest-boxes] [data-testid="box-link-${BOX1}"]`, 'the link to the box');
    await j.shot('manifest');

    // Version 1, before the amendment, still has the old consignee.
    await page.getByTestId('manifest-version-select').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
        hasText: tr('zh-CN', 'cargo.detail.versionN').replace('{{n}}', '1'),
      })
      .click();
    await hook(page, '[data-testid=manifest-older-version]', 'the older version notice');
    await expect.poll(async () => (await page.getByTestId('manifest-bills').textContent()) ?? '').not.toContain('Co Ltd');
    await waitText(page.getByTestId('manifest-bills'), 'Qingdao Rubber Trading Co');
    await j.shot('manifest-version-1');

    await page.locator(`[data-testid=manifest-boxes] [data-testid="box-link-${BOX1}"]`).click();
    await page.waitForURL((u) => u.pathname === `/containers/${box1.id}`);
    await hook(page, '[data-testid=container-timeline]', 'the box timeline');
    await waitText(page.getByTestId('container-number'), BOX1);
    for (const [flag, on] of Object.entries(box1.flags)) {
      expect(await page.getByTestId(`flag-${flag}`).getAttribute('data-on'), `flag ${flag}`).toBe(on ? 'true' : 'false');
    }
    // Every event the API has for the box, in its order.
    await expect
      .poll(() => page.locator('[data-testid=container-timeline] [data-testid^=box-event-]').evaluateAll((els) => els.length))
      .toBe(box1.timeline.length);
    const shown = await page
      .locator('[data-testid=container-timeline] [data-testid^=box-event-]')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('data-testid') ?? '').replace(/^box-event-/, '')));
    expect(shown).toEqual(box1.timeline.map((e) => e.type));
    expect(shown).toEqual(
      expect.arrayContaining([
        'container.manifested',
        'container.discharged',
        'container.yard-moved',
        'container.customs-released',
        'container.terminal-released',
        'container.gated-out',
      ]),
    );
    await waitText(page.getByTestId('container-timeline'), '鲁B12345');
    await j.shot('container');

    // The box list: search by number prefix; the held box shows its hold in red.
    await page.getByTestId('main-menu').locator('a[href="/containers"]').click();
    await page.waitForURL((u) => u.pathname === '/containers');
    await page.getByTestId('table-search').fill(BOX2.slice(0, 9));
    const visit2 = visits.find((v) => v.number === BOX2);
    await hook(page, `tr[data-row-key="${visit2?.id ?? ''}"] [data-testid=flag-tag-onHold]`, 'the held box with its hold flag');
    await j.shot('containers');
  });

  // ---------------------------------------------------------------- the terminal uploads an EDIFACT interchange
  const fixture = path.join(ROOT, 'src', 'edi', 'fixtures', 'mixed-interchange.edi');
  await Journey.run(browser, 'cargo-2-terminal', async (j) => {
    const { page } = j;
    await page.goto('/edifact');
    await signIn(page, 'terminal');
    await page.waitForURL((u) => u.pathname === '/edifact');
    await hook(page, '[data-testid=edi-upload]', 'the upload area');
    // The call the stowage plan belongs to (its vessel and voyage name no call of this terminal's).
    await page.getByTestId('edi-port-call').click();
    await page.keyboard.type(VOYAGE);
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: VOYAGE }).click();
    await waitText(page.getByTestId('edi-port-call'), VOYAGE);
    await j.shot('edifact');
    await page.locator('[data-testid=edi-upload] input[type=file]').setInputFiles({
      name: 'mixed-interchange.edi',
      mimeType: 'application/edifact',
      buffer: fs.readFileSync(fixture),
    });
    await hook(page, '[data-testid=edi-result] [data-testid=edi-messages] [data-testid=edi-message-status]', 'the per-message result');
    await waitText(page.getByTestId('edi-result-file'), 'mixed-interchange.edi');

    // The oracle: the upload as the server recorded it.
    const list = await apiGet<ApiPage<Interchange>>(terminalToken, '/api/v1/edifact/interchanges?limit=5');
    const mine = list.items.find((x) => x.fileName === 'mixed-interchange.edi');
    expect(mine, 'the upload in the list').toBeTruthy();
    const stored = await apiGet<Interchange>(terminalToken, `/api/v1/edifact/interchanges/${mine?.id ?? ''}`);
    const statuses = await page
      .locator('[data-testid=edi-result] [data-testid=edi-message-status]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses).toEqual((stored.messages ?? []).map((m) => messageStatus(m)));
    expect(await page.getByTestId('edi-message-type').allTextContents()).toEqual((stored.messages ?? []).map((m) => m.type));
    await hook(page, `[data-testid=data-table] tr[data-row-key="${stored.id}"]`, 'the upload among the earlier ones');
    await j.shot('edifact-result');

    // A message with problems opens to show each one: segment number, tag and code, or the refused event's reason.
    const messages = stored.messages ?? [];
    const i = messages.findIndex((m) => m.errors.length > 0 || (m.outcome?.events?.rejections ?? []).length > 0);
    expect(i, 'the mixed interchange has a message with problems').toBeGreaterThanOrEqual(0);
    const bad = messages[i];
    await page.locator('[data-testid=edi-messages] tbody tr.ant-table-row').nth(i).locator('.ant-table-row-expand-icon').click();
    const firstError = bad?.errors[0];
    if (firstError !== undefined) {
      await waitText(page.getByTestId('edi-errors').first(), firstError.code);
      if (firstError.segment !== null) {
        await waitText(page.getByTestId('edi-errors').first(), String(firstError.segment));
      }
    } else {
      await waitText(page.getByTestId('edi-rejections').first(), bad?.outcome?.events?.rejections?.[0]?.code ?? '?');
    }
    await j.shot('edifact-problems');
  });
}, 300_000);
