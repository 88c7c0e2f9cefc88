import crypto from 'node:crypto';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { api, apiGet, apiLogin, hook, Journey, launchBrowser, signIn, tr, waitText, type ApiPage } from './support.ts';
import { HEALTH_QUESTIONS } from '../src/modules/quarantine/index.ts';

/**
 * Issue 4 end to end: the agent files a call for the demo vessel and declares health; the
 * officer clears it by smart remote quarantine; the terminal plans QQCT-01, berths and works
 * the ship; the agent reports departure and departs. On a second call, berthed before pratique,
 * the terminal's start of cargo operations is refused with the clear error and a red alarm.
 */
type PortCall = { id: string; state: string; voyage: string; pratiqueGrantedAt: string | null; berthId: string | null; version: number };
type QuarantineCase = {
  id: string;
  state: string;
  mode: string | null;
  assessment: { reasons: { reasonZh: string }[] } | null;
  remoteSession: { medicalLog: { fileName: string; sha256: string; pages?: number } | null } | null;
};
type Berth = { id: string; code: string };

const IMO = '1001037';
const VESSEL = 'QILU DEMO EXPRESS';
const VOYAGE = `E2E${Date.now().toString(36).toUpperCase().slice(-5)}`;
const HOUR = 3_600_000;

/** 'YYYY-MM-DD HH:mm' on a clock in Asia/Shanghai (the journey's and the app's default zone). */
const shanghai = (d: Date): string => {
  const s = new Date(d.getTime() + 8 * HOUR).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
};

/** A tiny but real two-page PDF for the medical log. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R 4 0 R] /Count 2>> endobj\n' +
    '3 0 obj <</Type /Page /Parent 2 0 R>> endobj\n4 0 obj <</Type /Page /Parent 2 0 R>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/** The <input> (or <textarea>) behind a test id that sits on the input itself or on a wrapper (antd pickers, number inputs). */
const inputOf = async (page: Page, testId: string): Promise<Locator> => {
  const el = page.getByTestId(testId);
  return ['INPUT', 'TEXTAREA'].includes(await el.evaluate((e) => e.tagName)) ? el : el.locator('input, textarea').first();
};

const fill = async (page: Page, testId: string, value: string): Promise<void> => {
  const input = await inputOf(page, testId);
  await input.fill(value);
};

/** Types a date (and time) into an antd picker and confirms it with Enter. */
const pick = async (page: Page, testId: string, value: string): Promise<void> => {
  const input = await inputOf(page, testId);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(value);
};

/** chooseOption, checked: the select must show the choice (a click during the dropdown's opening animation can miss). */
const choose = async (page: Page, testId: string, label: string, search = true): Promise<void> => {
  for (let attempt = 0; ; attempt += 1) {
    await page.getByTestId(testId).click();
    if (search) {
      // Long lists are virtual: only options near the top are in the page until a search narrows them.
      await page.keyboard.type(label);
    }
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: label }).first().click();
    const shown = page.getByTestId(testId);
    try {
      await expect.poll(async () => (await shown.textContent()) ?? '', { timeout: 3_000 }).toContain(label);
      return;
    } catch (e) {
      if (attempt >= 2) {
        throw e;
      }
      await page.keyboard.press('Escape');
    }
  }
};

const radio = async (group: Locator, label: string): Promise<void> => {
  await group.locator('label', { hasText: label }).first().click();
};

/** Runs one of the call page's step actions through its modal. */
const step = async (page: Page, action: string, fillForm?: () => Promise<void>): Promise<void> => {
  await page.getByTestId(`action-${action}`).click();
  await hook(page, '.ant-modal [data-testid=step-submit]', `the ${action} form`);
  await fillForm?.();
  await page.locator('.ant-modal [data-testid=step-submit]').click();
  await page.locator('.ant-modal').waitFor({ state: 'hidden' });
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('a vessel call from pre-arrival report to departure, with smart remote quarantine and the no-pratique interlock', async () => {
  const now = Date.now();
  const agentToken = await apiLogin('agent');
  const officerToken = await apiLogin('officer');
  const terminalToken = await apiLogin('terminal');
  const berths = (await apiGet<ApiPage<Berth>>(officerToken, '/api/v1/berths?q=QQCT-0&limit=500')).items;
  const qqct01 = berths.find((b) => b.code === 'QQCT-01');
  const qqct02 = berths.find((b) => b.code === 'QQCT-02');
  expect(qqct01 && qqct02, 'berths QQCT-01 and QQCT-02 in the demo data').toBeTruthy();
  let callId = '';

  // ---------------------------------------------------------------- the agent files the call and declares health
  await Journey.run(browser, 'port-call-1-agent', async (j) => {
    const { page } = j;
    // Deliberate: a wrong IMO check digit is refused by the server (400), shown at the IMO field.
    j.allowConsoleError(/status of 400/, /\/api\/v1\/port-calls$/);
    await page.goto('/port-calls');
    await signIn(page, 'agent');
    await page.waitForURL((u) => u.pathname === '/port-calls');
    await hook(page, '[data-testid=arrivals-board] [data-testid=data-table]', 'the arrivals board');
    await j.shot('board');

    await page.getByTestId('file-call').click();
    await hook(page, '[data-testid=file-port]', 'the filing form');
    await choose(page, 'file-port', 'CNTAO');
    await choose(page, 'file-declaredCode', 'CNQGD/4218');
    await fill(page, 'file-imo', '1001038');
    await fill(page, 'file-draftM', '14.5');
    await fill(page, 'file-voyage', VOYAGE);
    await fill(page, 'file-lastPort', 'SGSIN');
    await pick(page, 'file-lastPortDeparture', shanghai(new Date(now - 72 * HOUR)));
    await pick(page, 'file-eta', shanghai(new Date(now + 48 * HOUR)));
    await pick(page, 'file-etd', shanghai(new Date(now + 72 * HOUR)));
    await fill(page, 'file-cargoSummary', '1 800 TEU');
    // Dangerous goods: the rules add points (a reason the officer sees) and propose smart remote quarantine.
    await radio(page.getByTestId('file-dangerousGoods'), tr('zh-CN', 'common.yes'));
    await page.getByTestId('file-submit').click();
    // The server's detail for /vessel/imo lands on the IMO field.
    const imoItem = page.locator('.ant-form-item-has-error').filter({ has: page.getByTestId('file-imo') });
    await imoItem.waitFor();
    await j.shot('file-error-at-field');

    await fill(page, 'file-imo', IMO);
    await page.getByTestId('file-lookup').click();
    await hook(page, '[data-testid=file-vessel-found]', 'the vessel found in the registry');
    expect(await (await inputOf(page, 'file-name')).inputValue()).toBe(VESSEL);
    expect(await (await inputOf(page, 'file-loaM')).inputValue()).toBe('334');
    await j.shot('file-form');
    await page.getByTestId('file-submit').click();
    await page.waitForURL((u) => /^\/port-calls\/[^/]+$/.test(u.pathname));
    callId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await hook(page, '[data-testid=port-call-detail]', 'the call page');
    await waitText(page.getByTestId('call-vessel'), VESSEL);
    await waitText(page.getByTestId('call-state'), tr('zh-CN', 'portCalls.state.pre-reported'));
    await hook(page, '[data-testid=event-port-call\\.pre-reported]', 'the pre-report on the timeline');
    await j.shot('call-filed');

    // The Maritime Declaration of Health: nothing preselected, so unanswered questions are caught.
    await page.getByTestId('declare-health').click();
    await hook(page, '[data-testid=mdh-master]', 'the MDH form');
    await fill(page, 'mdh-master', 'Captain Li Wei');
    await page.getByTestId('mdh-submit').click();
    await expect
      .poll(() => page.locator('.ant-form-item-explain-error', { hasText: tr('zh-CN', 'quarantine.declare.answerRequired') }).count())
      .toBe(9);
    await j.shot('mdh-unanswered');
    for (const q of HEALTH_QUESTIONS) {
      await radio(page.getByTestId(`mdh-${q}`), tr('zh-CN', 'common.no'));
    }
    await fill(page, 'mdh-cert-number', 'SSCC-SG-2026-0815');
    await pick(page, 'mdh-cert-issuedOn', new Date(now - 60 * 24 * HOUR).toISOString().slice(0, 10));
    await fill(page, 'mdh-cert-issuedAt', 'SGSIN');
    await j.shot('mdh-form');
    await page.getByTestId('mdh-submit').click();
    await page.getByTestId('mdh-drawer').waitFor({ state: 'hidden' });
    await waitText(page.getByTestId('quarantine-panel'), tr('zh-CN', 'quarantine.state.assessed'));
    await hook(page, '[data-testid=event-quarantine\\.declared]', 'the declaration on the call timeline');
    await j.shot('health-declared');
  });
  expect(callId).not.toBe('');
  const qcase = await apiGet<QuarantineCase>(officerToken, `/api/v1/port-calls/${callId}/quarantine`);

  // ---------------------------------------------------------------- the officer clears the ship by smart remote quarantine
  await Journey.run(browser, 'port-call-2-officer', async (j) => {
    const { page } = j;
    await page.goto('/quarantine');
    await signIn(page, 'officer');
    await page.waitForURL((u) => u.pathname === '/quarantine');
    await hook(page, '[data-testid=quarantine-kpis] [data-testid=kpi-median] .ant-statistic', 'the KPI cards');
    await hook(page, `tr[data-row-key="${qcase.id}"]`, 'the case in the queue');
    await j.shot('queue');
    await page.locator(`tr[data-row-key="${qcase.id}"]`).click();
    await page.waitForURL((u) => u.pathname === `/quarantine/${qcase.id}`);
    await hook(page, '[data-testid=case-reasons]', 'the risk reasons');
    // The reasons shown are the rules' own, in Chinese.
    const reasons = (qcase.assessment?.reasons ?? []).map((r) => r.reasonZh);
    expect(reasons.length, 'the rules give reasons for this call').toBeGreaterThan(0);
    expect(await page.getByTestId('case-reason').allTextContents()).toEqual(reasons);
    await j.shot('case');

    await choose(page, 'case-mode-select', tr('zh-CN', 'quarantine.mode.smart-remote'), false);
    await page.getByTestId('case-assign-mode').click();
    await waitText(page.getByTestId('case-state'), tr('zh-CN', 'quarantine.state.mode-assigned'));
    await page.getByTestId('case-start-session').click();
    await waitText(page.getByTestId('case-state'), tr('zh-CN', 'quarantine.state.remote-session'));
    await hook(page, '[data-testid=case-findings-form]', 'the remote findings form');
    await fill(page, 'temp-person-0', 'Master');
    await fill(page, 'temp-celsius-0', '36.6');
    await page.getByTestId('temp-add').click();
    await fill(page, 'temp-person-1', 'Chief engineer');
    await fill(page, 'temp-celsius-1', '36.8');
    await page.locator('[data-testid=case-findings-form] input[type=file]').setInputFiles({
      name: 'medical-log.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await hook(page, '[data-testid=medical-log-hash]', 'the medical log hashed in the browser');
    await fill(page, 'video-findings', 'Galley, cabins and hospital clean; no signs of illness');
    await j.shot('remote-session');
    await page.getByTestId('case-record-findings').click();
    await hook(page, '[data-testid=case-session] .ant-tag-green', 'the recorded video finding');
    expect(await page.getByTestId('case-gaps').count()).toBe(0);
    await page.getByTestId('case-grant-pratique').click();
    await waitText(page.getByTestId('case-state'), tr('zh-CN', 'quarantine.state.pratique-granted'));
    await j.shot('pratique');

    const done = await apiGet<QuarantineCase>(officerToken, `/api/v1/quarantine-cases/${qcase.id}`);
    expect(done.mode).toBe('smart-remote');
    expect(done.remoteSession?.medicalLog).toEqual({
      fileName: 'medical-log.pdf',
      sha256: crypto.createHash('sha256').update(PDF).digest('hex'),
      pages: 2,
    });

    await page.getByTestId('case-call-link').click();
    await page.waitForURL((u) => u.pathname === `/port-calls/${callId}`);
    await hook(page, '[data-testid=pratique-granted]', 'pratique on the call page');
    await hook(page, '[data-testid=event-quarantine\\.pratique-granted]', 'the case events on the call timeline');
    await j.shot('call-after-pratique');
  });

  // A second call, berthed before any pratique (set up through the API).
  const eta = new Date(now + 30 * HOUR).toISOString();
  const second = await api<PortCall>(agentToken, 'POST', '/api/v1/port-calls', {
    portLocode: 'CNTAO',
    declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
    vessel: { imo: IMO, draftM: 14 },
    voyage: `${VOYAGE}B`,
    lastPort: 'KRPUS',
    lastPortDeparture: new Date(now - 24 * HOUR).toISOString(),
    eta,
    etd: new Date(now + 60 * HOUR).toISOString(),
    purpose: 'cargo',
    cargoType: 'container',
    crewCount: 21,
    dangerousGoods: false,
  });
  await api(terminalToken, 'POST', `/api/v1/port-calls/${second.id}/berth-plan`, {
    berthId: qqct02?.id,
    start: eta,
    end: new Date(now + 50 * HOUR).toISOString(),
  });
  await api(terminalToken, 'POST', `/api/v1/port-calls/${second.id}/arrival`, { place: 'anchorage' });
  await api(terminalToken, 'POST', `/api/v1/port-calls/${second.id}/berthing`, {});

  // ---------------------------------------------------------------- the terminal: refused before pratique; berth, work the ship after it
  await Journey.run(browser, 'port-call-3-terminal', async (j) => {
    const { page } = j;
    // Deliberate: the refused start (409 port-call.no-pratique) is what this part shows.
    j.allowConsoleError(/status of 409/, /cargo-operations\/start/);
    await page.goto(`/port-calls/${second.id}`);
    await signIn(page, 'terminal');
    await page.waitForURL((u) => u.pathname === `/port-calls/${second.id}`);
    await hook(page, '[data-testid=action-cargo-start]', 'the cargo start action');
    await step(page, 'cargo-start');
    await hook(page, '[data-testid=call-refused]', 'the refusal banner');
    await waitText(page.getByTestId('call-refused'), tr('zh-CN', 'portCalls.refused.port-call_no-pratique'));
    await waitText(page.getByTestId('call-refused'), 'port-call.no-pratique');
    await hook(page, '[data-testid=event-port-call\\.cargo-operations-refused][data-tone=alarm]', 'the red alarm on the timeline');
    await j.shot('cargo-refused-no-pratique');

    await page.goto(`/port-calls/${callId}`);
    await hook(page, '[data-testid=action-berth-plan]', 'the berth plan action');
    await step(page, 'berth-plan', () => choose(page, 'step-berthId', 'QQCT-01'));
    await hook(page, '[data-testid=code-ok]', 'the code check of the planned berth');
    await j.shot('berth-planned');
    await step(page, 'arrival', () => radio(page.getByTestId('step-place'), tr('zh-CN', 'portCalls.place.anchorage')));
    await waitText(page.getByTestId('call-state'), tr('zh-CN', 'portCalls.state.arrived'));
    await step(page, 'berthing');
    await waitText(page.getByTestId('call-state'), tr('zh-CN', 'portCalls.state.berthed'));
    await step(page, 'cargo-start');
    await hook(page, '[data-testid=event-port-call\\.cargo-operations-started]', 'cargo operations started');
    await step(page, 'cargo-complete');
    await hook(page, '[data-testid=event-port-call\\.cargo-operations-completed]', 'cargo operations completed');
    expect(await page.getByTestId('call-refused').count()).toBe(0);
    await j.shot('cargo-done');
  });
  const worked = await apiGet<PortCall>(terminalToken, `/api/v1/port-calls/${callId}`);
  expect(worked.berthId).toBe(qqct01?.id);

  // ---------------------------------------------------------------- the agent reports departure and the ship leaves
  await Journey.run(browser, 'port-call-4-agent', async (j) => {
    const { page } = j;
    await page.goto(`/port-calls/${callId}`);
    await signIn(page, 'agent');
    await page.waitForURL((u) => u.pathname === `/port-calls/${callId}`);
    await hook(page, '[data-testid=action-departure-report]', 'the departure report action');
    await step(page, 'departure-report');
    await waitText(page.getByTestId('call-state'), tr('zh-CN', 'portCalls.state.departure-reported'));
    await step(page, 'departure');
    await waitText(page.getByTestId('call-state'), tr('zh-CN', 'portCalls.state.departed'));
    await hook(page, '[data-testid=call-steps] .ant-steps-item-finish', 'the finished step bar');
    await j.shot('departed');
    await page.getByTestId('main-menu').locator('a[href="/port-calls"]').click();
    await page.waitForURL((u) => u.pathname === '/port-calls');
    await hook(page, `tr[data-row-key="${callId}"]`, 'the call on the board');
    await waitText(page.locator(`tr[data-row-key="${callId}"]`), tr('zh-CN', 'portCalls.state.departed'));
    await j.shot('board-after');
  });
  expect((await apiGet<PortCall>(agentToken, `/api/v1/port-calls/${callId}`)).state).toBe('departed');
}, 400_000);
