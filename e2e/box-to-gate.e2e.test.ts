import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { containerNumber } from '../src/core/codes.ts';
import { api, apiGet, apiLogin, hook, Journey, launchBrowser, signIn, tr } from './support.ts';

/**
 * Issue 6, one box across the four roles: a ship arrives with a box nobody has released (set up
 * over the API, as the carrier's and terminal's systems would), the trader declares it, the
 * terminal's gate check refuses it, the officer works its channel to release on the declaration
 * page, and the gate check then lets it out; the gate-out that follows raises no alarm.
 */
const RUN = Date.now().toString(36).toUpperCase().slice(-6);
const LANG = 'zh-CN';

/** A valid ISO 6346 number for this run. */
const boxNumber = (): string => containerNumber('PCB', parseInt(RUN, 36) % 1_000_000);
const hoursFromNow = (h: number): string => new Date(Date.now() + h * 3_600_000).toISOString();

type Declaration = { id: string; status: string; version: number; channel?: string | null };
type Gate = { allowed: boolean; reason: string; instruction: { code: string } | null };

const gateCheckInUi = async (page: Page, box: string, expected: Gate): Promise<void> => {
  const input = page.getByTestId('gate-container');
  const field = ['INPUT', 'TEXTAREA'].includes(await input.evaluate((e) => e.tagName)) ? input : input.locator('input').first();
  await field.fill(box);
  await page.getByTestId('gate-submit').click();
  const verdict = page.getByTestId('gate-verdict');
  await expect.poll(() => verdict.getAttribute('data-allowed')).toBe(String(expected.allowed));
  await expect.poll(async () => (await verdict.textContent()) ?? '').toContain(box);
  await expect
    .poll(async () => (await page.getByTestId('gate-verdict-word').textContent()) ?? '')
    .toContain(tr(LANG, expected.allowed ? 'terminal.gate.allowed' : 'terminal.gate.refused'));
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('one box from declaration to gate-out: refused at the gate until the officer releases it, then allowed', async () => {
  const agent = await apiLogin('agent');
  const trader = await apiLogin('trader');
  const officer = await apiLogin('officer');
  const terminal = await apiLogin('terminal');
  const box = boxNumber();
  const bill = `E2E-BL-${RUN}`;

  // the carrier's and terminal's systems: a ship at Qianwan, arrived, with the box on its import manifest
  const call = await api<{ id: string }>(agent, 'POST', '/api/v1/port-calls', {
    portLocode: 'CNTAO',
    declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
    vessel: { imo: '1001037', draftM: 14.5 },
    voyage: `G${RUN}`,
    lastPort: 'KRPUS',
    lastPortDeparture: hoursFromNow(-30),
    eta: hoursFromNow(-2),
    etd: hoursFromNow(30),
    purpose: 'cargo',
    cargoType: 'container',
    crewCount: 20,
    dangerousGoods: false,
  });
  const berths = await apiGet<{ items: { id: string }[] }>(terminal, '/api/v1/berths?q=QQCT-03');
  await api(terminal, 'POST', `/api/v1/port-calls/${call.id}/berth-plan`, {
    berthId: berths.items[0]?.id,
    start: hoursFromNow(-1),
    end: hoursFromNow(29),
  });
  await api(agent, 'POST', '/api/v1/manifests', {
    kind: 'import-original',
    portCallId: call.id,
    documentNumber: `MF-${RUN}`,
    bills: [
      {
        number: bill,
        goods: [{ description: 'Lorry tyres', hsCode: '401120', packages: 400, grossKg: 18_000, netKg: 17_500, equipment: [box] }],
      },
    ],
    equipment: [{ number: box, sizeType: '45G1', fullness: 'full' }],
  });
  await api(agent, 'POST', `/api/v1/port-calls/${call.id}/arrival`, { at: hoursFromNow(-2), place: 'anchorage' });

  // the trader declares it (the form itself is exercised in declarations.e2e.test.ts)
  const declared = await api<Declaration>(trader, 'POST', '/api/v1/declarations', {
    direction: 'import',
    procedure: 'standard',
    enterpriseCode: '3702930001',
    customsCode: '4218',
    transport: { mode: '2', voyage: `G${RUN}`, billNumber: bill, containerNumbers: [box] },
    tradeMode: '0110',
    transactionTerms: 'CIF',
    tradeCountry: 'KR',
    packages: 400,
    packageType: 'PK',
    grossKg: 18_000,
    netKg: 17_500,
    currency: 'USD',
    // far below the tyres' reference value: the demo rules send it to an officer, not straight to release
    items: [{ hsCode: '4011200000', description: 'Lorry tyres', quantity: 400, unit: 'PCS', netKg: 17_500, value: 1_000, origin: 'KR' }],
  });
  expect(declared.status, 'waiting for an officer').toBe('L');
  const before = await api<Gate>(terminal, 'POST', '/api/v1/gate-checks', { containerNumber: box, move: 'gate-out' });
  expect(before.allowed).toBe(false);

  await Journey.run(browser, 'box-to-gate-refused', async (j) => {
    const { page } = j;
    await page.goto('/gate-check');
    await signIn(page, 'terminal');
    await hook(page, '[data-testid=gate-form]', 'the gate-check form');
    await gateCheckInUi(page, box, before);
    await j.shot('refused');
  });

  await Journey.run(browser, 'box-to-gate-officer', async (j) => {
    const { page } = j;
    await page.goto(`/declarations/${declared.id}`);
    await signIn(page, 'officer');
    await hook(page, '[data-testid=declaration-detail]', 'declaration detail');
    for (let step = 0; step < 6; step += 1) {
      const d = await apiGet<Declaration & { channel: string }>(officer, `/api/v1/declarations/${declared.id}`);
      if (d.status === 'P') {
        break;
      }
      const inspect = ['machine-scan', 'manual-inspection', 'machine-then-manual'].includes(d.channel);
      const ordered = (await apiGet<{ type: string }[]>(officer, `/api/v1/declarations/${declared.id}/history`)).some(
        (e) => e.type === 'declaration.inspection-ordered',
      );
      const command =
        d.status === 'L' ? 'review' : d.status === 'C' ? 'record-inspection' : inspect && !ordered ? 'order-inspection' : 'release';
      await expect.poll(() => page.getByTestId(`action-${command}`).count()).toBeGreaterThan(0);
      await page.getByTestId(`action-${command}`).click();
      await page.getByTestId('action-confirm').click();
      await expect
        .poll(async () => (await apiGet<Declaration>(officer, `/api/v1/declarations/${declared.id}`)).version)
        .toBeGreaterThan(d.version);
      await j.shot(`after-${command}`);
    }
    expect((await apiGet<Declaration>(officer, `/api/v1/declarations/${declared.id}`)).status).toBe('P');
  });

  const after = await api<Gate>(terminal, 'POST', '/api/v1/gate-checks', { containerNumber: box, move: 'gate-out' });
  expect(after).toMatchObject({ allowed: true, instruction: { code: '2' } });
  await Journey.run(browser, 'box-to-gate-allowed', async (j) => {
    const { page } = j;
    await page.goto('/gate-check');
    await signIn(page, 'terminal');
    await hook(page, '[data-testid=gate-form]', 'the gate-check form');
    await gateCheckInUi(page, box, after);
    await j.shot('allowed');
  });

  // the truck leaves: a lawful gate-out raises no interlock alarm
  await api(terminal, 'POST', '/api/v1/container-events', {
    events: [{ eventId: `GO-${RUN}`, kind: 'gate-out', containerNumber: box, occurredAt: new Date().toISOString(), portCallId: call.id }],
  });
  const alarms = await apiGet<{ items: { subject: { label: string } }[] }>(officer, '/api/v1/alerts?ruleId=unreleased-box-moved&limit=200');
  expect(alarms.items.map((a) => a.subject.label)).not.toContain(box);
});
