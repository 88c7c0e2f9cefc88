import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiGet, apiLogin, baseUrl, hook, Journey, launchBrowser, signIn } from './support.ts';

type Call = { id: string; plannedBerth: { berthId: string; start: string; end: string } | null };
type Proposal = { id: string; items: { portCallId: string; berthCode: string }[]; objectiveHours: number; solver: { status: string } };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const at = (hours: number): string => new Date(Date.now() + hours * 3_600_000).toISOString();

/** The agent files container calls for Qingdao through the API; the planner does the rest in the browser. */
const fileCalls = async (): Promise<string[]> => {
  const token = await apiLogin('agent');
  const ids: string[] = [];
  for (const [imo, eta, stay] of [
    ['1001049', 6, 14],
    ['1001051', 7, 10],
    ['1001037', 7, 20],
  ] as const) {
    const res = await fetch(`${baseUrl()}/api/v1/port-calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        portLocode: 'CNTAO',
        declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
        vessel: { imo, draftM: 12 },
        voyage: `BP${Date.now()}${imo}`,
        lastPort: 'KRPUS',
        lastPortDeparture: at(-12),
        eta: at(eta),
        etd: at(eta + stay),
        purpose: 'cargo',
        cargoType: 'container',
        crewCount: 20,
        dangerousGoods: false,
      }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    ids.push(((await res.json()) as { id: string }).id);
  }
  return ids;
};

test('the terminal planner proposes a berth plan, sees it beside the current plan, and accepts it', async () => {
  const calls = await fileCalls();
  await Journey.run(browser, 'berth-plan', async (j) => {
    const { page } = j;
    await page.goto('/berth-plan');
    await signIn(page, 'terminal');
    await page.waitForURL((u) => u.pathname === '/berth-plan');
    await hook(page, '[data-testid=berth-plan-propose]', 'the propose button');
    await j.shot('before');

    await page.getByTestId('berth-plan-propose').click();
    await hook(page, '[data-testid=gantt-proposal]', 'the proposal Gantt', 60_000);
    await j.settle();
    const token = await apiLogin('terminal');
    const proposal = (await apiGet<{ items: Proposal[] }>(token, '/api/v1/berth-plans?portLocode=CNTAO')).items[0] as Proposal;
    expect(proposal.items.map((i) => i.portCallId)).toEqual(expect.arrayContaining(calls));
    expect(Number(await page.getByTestId('gantt-proposal').getAttribute('data-bars'))).toBe(proposal.items.length);
    await expect.poll(() => page.getByTestId('berth-plan-objective').innerText()).toContain(String(proposal.objectiveHours));
    await j.shot('proposed');

    await page.getByTestId('berth-plan-accept').click();
    await hook(page, '[data-testid=gantt-current]', 'the current-plan Gantt', 30_000);
    await j.settle();
    await j.shot('accepted');
    for (const id of calls) {
      const call = await apiGet<Call>(token, `/api/v1/port-calls/${id}`);
      const line = proposal.items.find((i) => i.portCallId === id);
      expect(call.plannedBerth?.berthId, `call ${id} planned as proposed`).toBeDefined();
      expect(line).toBeDefined();
    }
    expect(Number(await page.getByTestId('gantt-current').getAttribute('data-bars'))).toBeGreaterThanOrEqual(calls.length);
  });
});
