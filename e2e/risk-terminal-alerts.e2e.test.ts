import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiGet, apiLogin, apiSend, hook, Journey, launchBrowser, signIn, tr, waitText, type ApiPage, type Me } from './support.ts';
import type { Alert } from '../web/src/pages/alerts/types.ts';
import type { DryRunResult, RiskPolicy, RiskRuleSet } from '../web/src/pages/risk/types.ts';
import type { GateCheck, Instruction } from '../web/src/pages/terminal/types.ts';

/**
 * Issue 6, the risk rule editor, the terminal's instructions and gate check, and the alert centre
 * end to end on the demo data. The analyst adds a rule whose condition does not parse and sees
 * the parser's message on that row, fixes it, dry-runs it (the counts and the changed list are the
 * API's answer for the same draft) and publishes it for a later date (so the demo's channels stay
 * as they are for the other journeys). The terminal gate-checks an unreleased box (refused) and a
 * released one (allowed), each as the API answers, and sees only its own instructions. The
 * officer runs the alert evaluation and acknowledges, then resolves, an interlock alarm.
 */
type Container = {
  id: string;
  number: string;
  direction: string;
  portCallId: string;
  flags: Record<string, boolean>;
};

const RUN = Date.now().toString(36).slice(-5);
const RULE_ID = `e2e-all-items-${RUN}`;
const BAD_CONDITION = 'itemCount >= 1 and and rebate';
// fires on every declaration with an item: the strictest channel, so every other one changes
const GOOD_CONDITION = 'itemCount >= 1';
const LANG = 'zh-CN';

/** The <input> or <textarea> behind a test id on the input itself or on an antd wrapper. */
const inputOf = async (page: Page, testId: string): Promise<Locator> => {
  const el = page.getByTestId(testId);
  return ['INPUT', 'TEXTAREA'].includes(await el.evaluate((e) => e.tagName)) ? el : el.locator('input, textarea').first();
};
const fill = async (page: Page, testId: string, value: string): Promise<void> => {
  await (await inputOf(page, testId)).fill(value);
};

/** Types an instant into a date-time picker as Shanghai wall time, as the UI shows it, and checks the picker took it. */
const pickTime = async (page: Page, testId: string, at: Date, seconds: boolean): Promise<void> => {
  const wall = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' as const } : {}),
  }).format(at);
  const picker = await inputOf(page, testId);
  await picker.click();
  await picker.fill(wall);
  await picker.press('Enter');
  await expect.poll(() => picker.inputValue()).toBe(wall);
};
const choose = async (page: Page, testId: string, label: string): Promise<void> => {
  for (let attempt = 0; ; attempt += 1) {
    await page.getByTestId(testId).click();
    const option = page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: label })
      .first();
    try {
      await option.click({ timeout: 5_000 });
      await waitText(page.getByTestId(testId), label);
      return;
    } catch (e) {
      if (attempt >= 2) {
        throw e;
      }
    }
  }
};

/** Row keys of an antd table, in order. */
const rowKeys = (table: Locator): Promise<string[]> =>
  table.locator('tbody tr[data-row-key]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-key') ?? ''));

const cellText = async (row: Locator, index: number): Promise<string> => ((await row.locator('td').nth(index).textContent()) ?? '').trim();

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('risk rules: a parse error on its row, a dry run equal to the API, publishing a dated version', async () => {
  const token = await apiLogin('analyst');
  const current = await apiGet<RiskPolicy>(token, '/api/v1/risk/rule-sets/current');
  const before = await apiGet<{ items: RiskPolicy[] }>(token, '/api/v1/risk/rule-sets');
  const newRule = { id: RULE_ID, channel: 'machine-then-manual' as const, reasonZh: '端到端测试规则', reasonEn: 'end-to-end test rule' };
  const draftWith = (condition: string): RiskRuleSet => ({
    ...current.document,
    rules: [...current.document.rules, { ...newRule, condition }],
  });
  const index = current.document.rules.length;

  // The API's answers for the same drafts: the parse error, then the dry run.
  const bad = await apiSend<{ error: { details: { path: string; message: string }[] } }>(token, 'POST', '/api/v1/risk/rule-sets/dry-run', {
    document: draftWith(BAD_CONDITION),
  });
  expect(bad.status).toBe(400);
  const parseError = bad.json.error.details.find((d) => d.path === `/document/rules/${index}/condition`);
  expect(parseError?.message).toMatch(/^at character 19: /);
  const dry = await apiSend<DryRunResult>(token, 'POST', '/api/v1/risk/rule-sets/dry-run', { document: draftWith(GOOD_CONDITION) });
  expect(dry.status).toBe(200);
  // the demo declarations are there and the rule moves those not already at the strictest channel
  expect(dry.json.total).toBeGreaterThan(0);
  expect(dry.json.draft['machine-then-manual']).toBe(dry.json.total);
  expect(dry.json.changedCount).toBe(dry.json.total - dry.json.current['machine-then-manual']);
  expect(dry.json.changedCount).toBeGreaterThan(0);

  await Journey.run(browser, 'risk-1-analyst', async (j) => {
    const { page } = j;
    // the refused dry run of the unparsable draft is this journey's own doing
    j.allowConsoleError(/status of 400/, /\/api\/v1\/risk\/rule-sets\/dry-run/);
    await page.goto('/risk-rules');
    await signIn(page, 'analyst');
    await page.waitForURL((u) => u.pathname === '/risk-rules');
    await hook(page, '[data-testid=risk-rules-page] [data-testid=rules-table]', 'the rules table');
    await waitText(page.getByTestId('risk-current-version'), `v${current.version}`);
    expect(await rowKeys(page.getByTestId('risk-versions'))).toEqual(
      [...before.items].sort((a, b) => b.version - a.version).map((p) => String(p.version)),
    );
    await j.shot('rule-set');

    // A rule whose condition does not parse: the dry run is refused and the row says where.
    await page.getByTestId('rule-add').click();
    await hook(page, '.ant-modal [data-testid=rule-form]', 'the rule form');
    await fill(page, 'rule-id', RULE_ID);
    await fill(page, 'rule-condition', BAD_CONDITION);
    await choose(page, 'rule-channel', tr(LANG, 'risk.channel.machine-then-manual'));
    await fill(page, 'rule-reason-zh', newRule.reasonZh);
    await fill(page, 'rule-reason-en', newRule.reasonEn);
    await page.getByTestId('rule-save').click();
    const row = page.locator(`[data-testid=rules-table] tr[data-row-key="rule-${index}"]`);
    await waitText(row, RULE_ID);
    await page.getByTestId('dry-run-button').click();
    await hook(page, `[data-testid=rule-error-${index}]`, 'the parse error on the new rule');
    await waitText(row.getByTestId(`rule-error-${index}`), parseError?.message ?? '?');
    expect(await page.getByTestId('dry-run-result').count()).toBe(0);
    expect(await page.getByTestId('publish-button').isDisabled()).toBe(true);
    await j.shot('parse-error');

    // Fixed: the error goes, the dry run shows the API's numbers.
    await page.getByTestId(`rule-edit-${index}`).click();
    await fill(page, 'rule-condition', GOOD_CONDITION);
    await page.getByTestId('rule-save').click();
    await expect.poll(() => page.getByTestId(`rule-error-${index}`).count()).toBe(0);
    await page.getByTestId('dry-run-button').click();
    await hook(page, '[data-testid=dry-run-result]', 'the dry-run result');
    await hook(page, '[data-testid=dry-run-chart] canvas', 'the channel chart');
    await waitText(page.getByTestId('dry-run-total'), String(dry.json.total));
    await waitText(page.getByTestId('dry-run-changed-count'), String(dry.json.changedCount));
    const counts = page.getByTestId('dry-run-counts');
    for (const [channel, n] of Object.entries(dry.json.current)) {
      const r = counts.locator(`tr[data-row-key="${channel}"]`);
      expect(await cellText(r, 1), `current ${channel}`).toBe(String(n));
      expect(await cellText(r, 2), `draft ${channel}`).toBe(String(dry.json.draft[channel as keyof DryRunResult['draft']]));
    }
    const changed = page.getByTestId('dry-run-changed');
    expect(await rowKeys(changed)).toEqual(dry.json.changed.slice(0, 20).map((c) => c.declarationId));
    const first = dry.json.changed[0];
    if (first !== undefined) {
      const r = changed.locator(`tr[data-row-key="${first.declarationId}"]`);
      await waitText(r, tr(LANG, `risk.channel.${first.from}`));
      await waitText(r, tr(LANG, `risk.channel.${first.to}`));
      await waitText(r, RULE_ID);
    }
    await j.shot('dry-run');

    // Publish, in force from a later date: listed as a new, scheduled version.
    await page.getByTestId('publish-button').click();
    await hook(page, '.ant-modal [data-testid=publish-note]', 'the publish form');
    const effective = new Date(Date.now() + 60 * 86_400_000);
    await pickTime(page, 'publish-effective-from', effective, false);
    await fill(page, 'publish-note', `e2e ${RUN}`);
    await page.getByTestId('publish-confirm').click();
    const version = dry.json.draftVersion;
    await hook(page, `[data-testid=risk-versions] tr[data-row-key="${version}"]`, 'the new version in the history');
    await waitText(page.locator(`[data-testid=risk-versions] tr[data-row-key="${version}"]`), tr(LANG, 'risk.version.scheduled'));
    await j.shot('published');
  });

  const after = await apiGet<{ items: RiskPolicy[] }>(token, '/api/v1/risk/rule-sets');
  const published = after.items.find((p) => p.version === dry.json.draftVersion);
  expect(published?.note).toBe(`e2e ${RUN}`);
  expect(published?.document.rules.at(-1)).toEqual({ ...newRule, condition: GOOD_CONDITION });
  expect(new Date(published?.effectiveFrom ?? 0).getTime()).toBeGreaterThan(Date.now() + 59 * 86_400_000);
  // still the old version in force
  expect((await apiGet<RiskPolicy>(token, '/api/v1/risk/rule-sets/current')).version).toBe(current.version);
});

test('terminal: an unreleased box refused, a released one allowed, and only its own instructions', async () => {
  const token = await apiLogin('terminal');
  const me = await apiGet<Me>(token, '/api/v1/me');
  const boxes = (await apiGet<ApiPage<Container>>(token, '/api/v1/containers?limit=500')).items.filter(
    (b) => b.direction === 'import' && b.flags.discharged && !b.flags.gatedOut,
  );
  const gate = async (b: Container) =>
    (
      await apiSend<GateCheck>(token, 'POST', '/api/v1/gate-checks', {
        containerNumber: b.number,
        move: 'gate-out',
        portCallId: b.portCallId,
      })
    ).json;
  const pickBox = async (candidates: Container[], allowed: boolean) => {
    for (const b of candidates) {
      const answer = await gate(b);
      if (answer.allowed === allowed) {
        return { box: b, answer };
      }
    }
    throw new Error(`no demo import box the API ${allowed ? 'allows' : 'refuses'} out of the gate`);
  };
  const refused = await pickBox(
    boxes.filter((b) => !b.flags.customsReleased),
    false,
  );
  const allowed = await pickBox(
    boxes.filter((b) => b.flags.customsReleased && !b.flags.onHold),
    true,
  );
  const instructions = await apiGet<ApiPage<Instruction>>(token, '/api/v1/customs-instructions?limit=200');
  expect(instructions.items.length).toBeGreaterThan(0);
  expect(instructions.items.every((i) => i.terminalOrgIds.includes(me.organisation.id))).toBe(true);

  await Journey.run(browser, 'risk-2-terminal', async (j) => {
    const { page } = j;
    await page.goto('/gate-check');
    await signIn(page, 'terminal');
    await page.waitForURL((u) => u.pathname === '/gate-check');
    await hook(page, '[data-testid=gate-form]', 'the gate-check form');

    for (const { box, answer } of [refused, allowed]) {
      await fill(page, 'gate-container', box.number.toLowerCase());
      await page.getByTestId('gate-submit').click();
      const verdict = page.getByTestId('gate-verdict');
      await expect.poll(() => verdict.getAttribute('data-allowed')).toBe(String(answer.allowed));
      await waitText(verdict, box.number);
      await waitText(page.getByTestId('gate-verdict-word'), tr(LANG, answer.allowed ? 'terminal.gate.allowed' : 'terminal.gate.refused'));
      await waitText(page.getByTestId('gate-reason'), tr(LANG, `terminal.reason.${answer.reason}`));
      if (answer.instruction !== null) {
        await waitText(page.getByTestId('gate-instruction'), answer.instruction.code);
      }
      await j.shot(answer.allowed ? 'allowed' : 'refused');
    }
    expect(refused.answer.reason).not.toBe('customs-released');
    expect(allowed.answer.allowed).toBe(true);
    // both checks in this session's list, newest first
    const history = page.getByTestId('gate-history');
    await expect.poll(() => history.locator('tbody tr[data-row-key]').count()).toBe(2);
    await waitText(history.locator('tbody tr[data-row-key]').first(), allowed.box.number);
    await waitText(history.locator('tbody tr[data-row-key]').nth(1), refused.box.number);

    // The instruction list: the same rows as the API gives this terminal.
    await page.goto('/customs-instructions');
    await hook(page, '[data-testid=instructions-page] tbody tr[data-row-key]', 'the instruction rows');
    const shown = await rowKeys(page.locator('[data-testid=instructions-page] [data-testid=data-table]'));
    expect(shown).toEqual(instructions.items.slice(0, 20).map((i) => i.id));
    const firstRow = page.locator(`tr[data-row-key="${instructions.items[0]?.id ?? '?'}"]`);
    await waitText(firstRow, instructions.items[0]?.subject ?? '?');
    await waitText(firstRow, instructions.items[0]?.meaning.zh ?? '?');
    await j.shot('instructions');
  });
});

test('alert centre: the officer runs the evaluation, acknowledges then resolves an interlock alarm; an older instruction is refused on its send time', async () => {
  const terminal = await apiLogin('terminal');
  const officer = await apiLogin('officer');
  // The terminal lets an unreleased box out anyway: the interlock raises an alarm on it.
  const boxes = (await apiGet<ApiPage<Container>>(terminal, '/api/v1/containers?limit=500')).items.filter(
    (b) => b.direction === 'import' && b.flags.discharged && !b.flags.gatedOut && !b.flags.customsReleased,
  );
  const box = boxes[0];
  if (box === undefined) {
    throw new Error('no unreleased import box left in the demo');
  }
  const ingest = await apiSend<{ accepted: number }>(terminal, 'POST', '/api/v1/container-events', {
    events: [
      {
        eventId: `E2E-GO-${RUN}`,
        kind: 'gate-out',
        containerNumber: box.number,
        occurredAt: new Date().toISOString(),
        vehicle: '鲁B99999',
      },
    ],
  });
  expect(ingest.json.accepted).toBe(1);
  const found = await apiGet<ApiPage<Alert>>(officer, `/api/v1/alerts?ruleId=unreleased-box-moved&subjectId=${encodeURIComponent(box.id)}`);
  const alarm = found.items[0];
  expect(alarm?.state).toBe('open');
  if (alarm === undefined) {
    return;
  }

  // An instruction in force that the officer will try to overtake with an older send time.
  const inForce = (await apiGet<ApiPage<Instruction>>(officer, '/api/v1/customs-instructions?inForce=true&scope=container&limit=1'))
    .items[0];
  if (inForce === undefined) {
    throw new Error('no instruction in force in the demo');
  }
  const call = await apiGet<{ vessel: { name: string }; voyage: string; portLocode: string }>(
    officer,
    `/api/v1/port-calls/${encodeURIComponent(inForce.portCallId)}`,
  );
  const countBefore = (await apiGet<ApiPage<Instruction>>(officer, `/api/v1/customs-instructions?subject=${inForce.subject}&limit=100`))
    .items.length;

  await Journey.run(browser, 'risk-3-officer', async (j) => {
    const { page } = j;
    // the refused instruction is this journey's own doing
    j.allowConsoleError(/status of 409/, /\/api\/v1\/customs-instructions$/);
    await page.goto('/alerts');
    await signIn(page, 'officer');
    await page.waitForURL((u) => u.pathname === '/alerts');
    await hook(page, '[data-testid=alert-centre] [data-testid=data-table]', 'the alert list');
    const openAlarms = await apiGet<ApiPage<Alert>>(officer, '/api/v1/alerts?state=open&severity=alarm&limit=1');
    await waitText(page.getByTestId('alert-count-alarm'), String(openAlarms.total));

    await page.getByTestId('alert-evaluate').click();
    await hook(page, '[data-testid=alert-evaluation-result]', 'the evaluation result');
    await j.shot('evaluated');

    const row = page.locator(`tr[data-row-key="${alarm.id}"]`);
    await waitText(row, box.number);
    await waitText(row.getByTestId('alert-state'), tr(LANG, 'alerts.state.open'));
    await page.getByTestId(`alert-ack-${alarm.id}`).click();
    await fill(page, 'alert-text', `e2e ${RUN}: driver called back`);
    await page.getByTestId('alert-confirm').click();
    // acknowledged alerts leave the open list; show them
    await page.getByTestId('alert-filter-state').getByText(tr(LANG, 'alerts.state.acknowledged')).click();
    await waitText(row.getByTestId('alert-state'), tr(LANG, 'alerts.state.acknowledged'));
    await j.shot('acknowledged');

    await page.getByTestId(`alert-resolve-${alarm.id}`).click();
    await fill(page, 'alert-text', `e2e ${RUN}: box returned to the yard`);
    await page.getByTestId('alert-confirm').click();
    await page.getByTestId('alert-filter-state').getByText(tr(LANG, 'alerts.state.resolved')).click();
    await waitText(row.getByTestId('alert-state'), tr(LANG, 'alerts.state.resolved'));
    await waitText(row, 'box returned to the yard');
    await j.shot('resolved');

    // Must-copy: an instruction sent before the one in force is refused, and the form says why on the send time.
    await page.goto('/customs-instructions');
    await hook(page, '[data-testid=instructions-page] tbody tr[data-row-key]', 'the instruction rows');
    await page.getByTestId('issue-open').click();
    await hook(page, '.ant-modal [data-testid=issue-form]', 'the instruction form');
    await fill(page, 'issue-subject', inForce.subject);
    await choose(page, 'issue-port-call', `${call.vessel.name} · ${call.voyage}`);
    await choose(page, 'issue-code', `2 — ${tr(LANG, 'terminal.code.2')}`);
    const older = new Date(new Date(inForce.sendTime).getTime() - 3_600_000);
    await pickTime(page, 'issue-send-time', older, true);
    await page.getByTestId('issue-send').click();
    const fieldError = page.locator('.ant-modal .ant-form-item-has-error', { has: page.getByTestId('issue-send-time') });
    await hook(page, '.ant-modal .ant-form-item-has-error [data-testid=issue-send-time]', 'the refusal on the send time');
    await waitText(fieldError, `must be later than ${new Date(inForce.sendTime).toISOString()}`);
    await j.shot('instruction-refused');
  });
  // nothing was stored
  expect(
    (await apiGet<ApiPage<Instruction>>(officer, `/api/v1/customs-instructions?subject=${inForce.subject}&limit=100`)).items.length,
  ).toBe(countBefore);

  const after = await apiGet<Alert>(officer, `/api/v1/alerts/${encodeURIComponent(alarm.id)}`);
  expect(after.state).toBe('resolved');
  expect(after.acknowledgedAt).not.toBeNull();
  expect(after.resolution).toBe(`e2e ${RUN}: box returned to the yard`);
});
