import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, createTestApp, login, seedTenants, type TenantOrgs, type TestContext } from '../../../test/app.ts';
import { ROLES } from '../../auth/roles.ts';
import { newId } from '../../core/ids.ts';
import { DEFAULT_DATASET, loadReferenceData } from '../../seed/load-reference-data.ts';
import { openAlert } from './alerts.store.ts';

let ctx: TestContext;
let orgs: TenantOrgs;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// The test clock starts at 2026-11-01T08:00Z; T0 is when the boxes below are discharged.
const T0 = new Date('2026-11-01T08:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

let voyage = 0;
/** A port call row in a tenant's district, its terminal named on it (what the call module keeps). */
const insertCall = async (tenant: 'A' | 'B', over: Record<string, unknown> = {}): Promise<string> => {
  voyage += 1;
  const id = newId('portCall', T0);
  await ctx.db
    .insertInto('port_calls')
    .values({
      id,
      agent_org_id: orgs[tenant].agency.id,
      terminal_org_ids: [orgs[tenant].terminal.id],
      district_code: tenant === 'A' ? '4200' : '8800',
      port_id: 'port_test',
      port_locode: 'CNTAO',
      declared_port_code: 'CNQGD',
      declared_customs_code: '4218',
      vessel_imo: '1001037',
      vessel_name: 'QILU DEMO EXPRESS',
      loa_m: 300,
      draft_m: 14,
      voyage: `AL${voyage}`,
      last_port: 'KRPUS',
      last_port_departure: new Date(T0.getTime() - 2 * DAY),
      eta: T0,
      etd: at(1),
      purpose: 'cargo',
      cargo_type: 'container',
      crew_count: 22,
      dangerous_goods: false,
      state: 'berthed',
      pre_reported_at: new Date(T0.getTime() - 3 * DAY),
      late_report: false,
      ports_of_call: JSON.stringify([]),
      ...over,
    })
    .execute();
  return id;
};

let serial = 0;
const insertBox = async (callId: string, district: string, direction: 'import' | 'export'): Promise<{ id: string; number: string }> => {
  serial += 1;
  const id = newId('container', T0);
  const number = `TSTU${String(serial).padStart(7, '0')}`;
  await ctx.db
    .insertInto('containers')
    .values({ id, number, port_call_id: callId, district_code: district, direction, created_at: T0, seals: [], bill_numbers: [] })
    .execute();
  return { id, number };
};

let eventNo = 0;
const boxEvent = async (containerId: string, kind: string, occurredAt: Date, sender: string) => {
  eventNo += 1;
  await ctx.db
    .insertInto('container_events')
    .values({
      id: newId('containerEvent', occurredAt),
      container_id: containerId,
      sender_org_id: sender,
      sender_event_id: `t-${eventNo}`,
      content_hash: String(eventNo).padStart(64, '0'),
      kind,
      occurred_at: occurredAt,
      recorded_at: occurredAt,
      source: 'api',
      details: JSON.stringify({}),
    })
    .execute();
};

const insertDeclaration = async (over: Record<string, unknown>): Promise<string> => {
  const id = newId('declaration', ctx.clock.now());
  await ctx.db
    .insertInto('declarations')
    .values({
      id,
      direction: 'import',
      procedure: 'two-step',
      stage: 'summary',
      status: 'P',
      declarant_org_id: orgs.A.enterprise.id,
      enterprise_code: '3702000001',
      credit_class: 'general',
      customs_code: '4218',
      district_code: '4200',
      packages: 10,
      gross_kg: 1000,
      net_kg: 950,
      total_value: 10_000,
      currency: 'USD',
      document: JSON.stringify({}),
      declared_at: ctx.clock.now(),
      updated_at: ctx.clock.now(),
      ...over,
    })
    .execute();
  return id;
};

const nth = <T>(xs: readonly T[], i: number): T => {
  const x = xs[i];
  if (x === undefined) {
    throw new Error(`no item ${i} in ${JSON.stringify(xs)}`);
  }
  return x;
};
const first = <T>(xs: readonly T[]): T => nth(xs, 0);

type AlertView = {
  id: string;
  ruleId: string;
  ruleVersion: number | null;
  severity: string;
  state: string;
  subject: { type: string; id: string; label: string };
  orgIds: string[];
  detail: Record<string, unknown>;
  resolution: string | null;
  resolvedBy: string | null;
  acknowledgedBy: string | null;
};

const evaluate = async (who = 'a-admin') => {
  const r = await call(who, 'POST', '/api/v1/alerts/evaluation');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { opened: number; resolved: number; open: number; ruleSetVersion: number };
};
const alertsOf = async (subjectId: string, who = 'a-admin', state?: string): Promise<AlertView[]> => {
  const r = await call(who, 'GET', `/api/v1/alerts?subjectId=${subjectId}${state === undefined ? '' : `&state=${state}`}`);
  expect(r.status).toBe(200);
  return (r.body.items as AlertView[]).sort((a, b) => a.ruleId.localeCompare(b.ruleId));
};
const eventsOf = (alertId: string) =>
  ctx.db
    .selectFrom('events')
    .select(['type', 'actor_type', 'actor_id', 'org_ids', 'district_code', 'payload'])
    .where('aggregate_type', '=', 'alert')
    .where('aggregate_id', '=', alertId)
    .orderBy('seq')
    .execute();

const USERS = [
  'a-admin',
  'a-customs-officer',
  'b-customs-officer',
  'a-risk-analyst',
  'a-terminal-operator',
  'b-terminal-operator',
  'a-declarant',
  'b-declarant',
  'a-agent',
];
const signIn = async () => {
  for (const u of USERS) {
    tokens[u] = await login(ctx.app, u);
  }
};
// Tokens live 15 minutes on the test clock: sign in again whenever it moves.
const setClock = async (to: Date) => {
  ctx.clock.set(to);
  await signIn();
};
const advanceClock = async (ms: number) => setClock(new Date(ctx.clock.now().getTime() + ms));

let callA: string;
let callB: string;

beforeAll(async () => {
  ctx = await createTestApp();
  ({ orgs } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  await signIn();
  callA = await insertCall('A');
  callB = await insertCall('B');
});
afterAll(async () => ctx.close());

describe('alert rules as a versioned policy', () => {
  it('seeds the default rules of domain.md §2.5 from reference data as version 1', async () => {
    const r = await call('a-customs-officer', 'GET', '/api/v1/alerts/rules');
    expect(r.status).toBe(200);
    const items = r.body.items as { version: number; document: { rules: { id: string; thresholdHours: number; severity: string }[] } }[];
    expect(items.map((v) => v.version)).toEqual([1]);
    const byId = Object.fromEntries(first(items).document.rules.map((x) => [x.id, [x.thresholdHours, x.severity]]));
    expect(byId).toEqual({
      'import-not-released-7d': [168, 'warning'],
      'import-not-released-14d': [336, 'warning'],
      'import-not-released-90d': [2160, 'warning'],
      'import-released-not-gated-out': [168, 'warning'],
      'export-gated-in-not-released': [168, 'warning'],
      'export-released-not-loaded': [168, 'warning'],
      'export-advance-not-arrived': [72, 'alarm'],
      'two-step-complete-due-soon': [48, 'warning'],
      'two-step-complete-overdue': [0, 'alarm'],
      'tally-missing-after-departure': [24, 'alarm'],
    });
    const file = JSON.parse(fs.readFileSync(path.join(DEFAULT_DATASET, 'alert-rules.json'), 'utf8')) as { document: unknown };
    expect(first(items).document).toEqual(file.document);
  });

  it('refuses a rule document with duplicate ids or an unknown kind with the field path, and stores nothing', async () => {
    const listed = await call('a-risk-analyst', 'GET', '/api/v1/alerts/rules');
    const rules = first(listed.body.items as { document: { rules: Record<string, unknown>[] } }[]).document.rules;
    const dup = await call('a-risk-analyst', 'POST', '/api/v1/alerts/rules', { document: { rules: [rules[0], rules[0]] } });
    expect(dup.status).toBe(400);
    expect(dup.body.error?.code).toBe('alerts.invalid-rules');
    expect(dup.body.error?.details).toEqual([{ path: '/document/rules/1/id', message: `duplicate rule id ${String(first(rules).id)}` }]);
    const badKind = await call('a-risk-analyst', 'POST', '/api/v1/alerts/rules', {
      document: { rules: [{ ...rules[0], kind: 'box-is-blue' }] },
    });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error?.details?.some((d) => d.path.startsWith('/document/rules/0/kind'))).toBe(true);
    const negative = await call('a-risk-analyst', 'POST', '/api/v1/alerts/rules', {
      document: { rules: [{ ...rules[0], thresholdHours: -1 }] },
    });
    expect(negative.status).toBe(400);
    expect(negative.body.error?.details?.some((d) => d.path === '/document/rules/0/thresholdHours')).toBe(true);
    expect((await call('a-customs-officer', 'POST', '/api/v1/alerts/rules', { document: { rules } })).status).toBe(403);
    const versions = await ctx.db.selectFrom('policy_versions').select('version').where('kind', '=', 'alert-rules').execute();
    expect(versions).toHaveLength(1);
  });
});

describe('scheduled evaluation of box rules', () => {
  let boxA: { id: string; number: string };
  let boxB: { id: string; number: string };

  it('opens exactly one warning on the 7-day rule for an import box discharged 8 days ago and not released', async () => {
    boxA = await insertBox(callA, '4200', 'import');
    boxB = await insertBox(callB, '8800', 'import');
    await boxEvent(boxA.id, 'discharge', T0, orgs.A.terminal.id);
    await boxEvent(boxB.id, 'discharge', T0, orgs.B.terminal.id);
    await setClock(at(6.9));
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 0, open: 0, ruleSetVersion: 1 });
    await setClock(at(8));
    expect(await evaluate()).toMatchObject({ opened: 2, resolved: 0, open: 2 });
    const alerts = await alertsOf(boxA.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      ruleId: 'import-not-released-7d',
      ruleVersion: 1,
      severity: 'warning',
      state: 'open',
      subject: { type: 'container', id: boxA.id, label: boxA.number },
      orgIds: [orgs.A.terminal.id],
      detail: {
        kind: 'import-not-released',
        thresholdHours: 168,
        since: T0.toISOString(),
        hoursSince: 192,
        portCallId: callA,
        titleEn: 'Import container not released 7 days after arrival',
      },
    });
    const events = await eventsOf(first(alerts).id);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'alert.opened',
        actor_type: 'rule',
        actor_id: 'import-not-released-7d',
        org_ids: [orgs.A.terminal.id],
        district_code: '4200',
      }),
    ]);
  });

  it('running again opens nothing new', async () => {
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 0, open: 2 });
    expect(await alertsOf(boxA.id)).toHaveLength(1);
  });

  it('after 15 days the 14-day rule opens its own warning beside the 7-day one', async () => {
    await setClock(at(15));
    expect(await evaluate()).toMatchObject({ opened: 2, resolved: 0, open: 4 });
    const alerts = await alertsOf(boxA.id);
    expect(alerts.map((a) => [a.ruleId, a.state])).toEqual([
      ['import-not-released-14d', 'open'],
      ['import-not-released-7d', 'open'],
    ]);
  });

  it('a terminal sees only the alerts of boxes at its terminal; customs only their district', async () => {
    const mine = await call('a-terminal-operator', 'GET', '/api/v1/alerts');
    expect((mine.body.items as AlertView[]).map((a) => a.subject.id)).toEqual([boxA.id, boxA.id]);
    expect(mine.body.total).toBe(2);
    const theirs = await call('b-terminal-operator', 'GET', '/api/v1/alerts');
    expect((theirs.body.items as AlertView[]).map((a) => a.subject.id)).toEqual([boxB.id, boxB.id]);
    const aId = first(mine.body.items as AlertView[]).id;
    expect((await call('b-terminal-operator', 'GET', `/api/v1/alerts/${aId}`)).status).toBe(404);
    expect((await call('b-customs-officer', 'GET', `/api/v1/alerts/${aId}`)).status).toBe(404);
    expect((await call('a-customs-officer', 'GET', `/api/v1/alerts/${aId}`)).status).toBe(200);
    expect((await call('a-declarant', 'GET', '/api/v1/alerts')).body.total).toBe(0);
    const page = await call('a-customs-officer', 'GET', '/api/v1/alerts?limit=1&severity=warning&subjectType=container');
    expect(page.body.total).toBe(2);
    const next = await call(
      'a-customs-officer',
      'GET',
      `/api/v1/alerts?limit=1&severity=warning&subjectType=container&cursor=${String(page.body.nextCursor)}`,
    );
    expect((next.body.items as AlertView[]).map((a) => a.id)).not.toContain(first(page.body.items as AlertView[]).id);
    expect(next.body.nextCursor).toBeNull();
    expect((await call('a-customs-officer', 'GET', '/api/v1/alerts?severity=alarm')).body.total).toBe(0);
  });

  it("an officer's evaluation covers the district only", async () => {
    await boxEvent(boxB.id, 'customs-release', at(15), orgs.B.customs.id);
    expect(await evaluate('a-customs-officer')).toMatchObject({ opened: 0, resolved: 0, open: 2 });
    expect((await alertsOf(boxB.id, 'a-admin', 'open')).length).toBe(2);
    expect(await evaluate('b-customs-officer')).toMatchObject({ opened: 0, resolved: 2, open: 0 });
  });

  it('releasing the box auto-resolves both with "condition cleared" and an alert.resolved event by the rule', async () => {
    await boxEvent(boxA.id, 'customs-release', at(15), orgs.A.customs.id);
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 2, open: 0 });
    const alerts = await alertsOf(boxA.id);
    expect(alerts.map((a) => [a.state, a.resolution, a.resolvedBy])).toEqual([
      ['resolved', 'condition cleared', null],
      ['resolved', 'condition cleared', null],
    ]);
    const events = await eventsOf(first(alerts).id);
    expect(events.map((e) => [e.type, e.actor_type, e.actor_id])).toEqual([
      ['alert.opened', 'rule', 'import-not-released-14d'],
      ['alert.resolved', 'rule', 'import-not-released-14d'],
    ]);
    expect(nth(events, 1).payload).toMatchObject({ resolution: 'condition cleared' });
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 0, open: 0 });
  });

  it('a box released but not gated out for more than 7 days raises the next warning, and gate-out clears it', async () => {
    await setClock(at(22.5));
    expect(await evaluate()).toMatchObject({ opened: 2, resolved: 0 });
    expect((await alertsOf(boxA.id, 'a-admin', 'open')).map((a) => a.ruleId)).toEqual(['import-released-not-gated-out']);
    await boxEvent(boxA.id, 'gate-out', at(22.5), orgs.A.terminal.id);
    await boxEvent(boxB.id, 'gate-out', at(22.5), orgs.B.terminal.id);
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 2, open: 0 });
  });
  it('leaves alerts raised by code (no rule version) to people, even under a rule id it knows', async () => {
    const raised = await ctx.db.transaction().execute((trx) =>
      openAlert(trx, ctx.clock, {
        ruleId: 'import-not-released-7d',
        ruleVersion: null,
        severity: 'alarm',
        subjectType: 'container',
        subjectId: boxA.id,
        subjectLabel: boxA.number,
        districtCode: '4200',
        orgIds: [orgs.A.terminal.id],
        detail: { by: 'an interlock' },
      }),
    );
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 0, open: 0 });
    expect(first(await alertsOf(boxA.id, 'a-admin', 'open')).id).toBe(raised.id);
    expect((await call('a-customs-officer', 'POST', `/api/v1/alerts/${raised.id}/resolution`, { resolution: 'checked' })).status).toBe(200);
  });
});

describe('acknowledging and resolving', () => {
  let alertId: string;
  let box: { id: string; number: string };

  it('the terminal acknowledges its open alert, then resolves it; each step is an event by the user', async () => {
    box = await insertBox(callA, '4200', 'import');
    await boxEvent(box.id, 'discharge', ctx.clock.now(), orgs.A.terminal.id);
    await advanceClock(8 * DAY);
    expect(await evaluate()).toMatchObject({ opened: 1 });
    alertId = first(await alertsOf(box.id)).id;
    const ack = await call('a-terminal-operator', 'POST', `/api/v1/alerts/${alertId}/acknowledgement`, { note: 'inspection booked' });
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    const terminalUser = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'a-terminal-operator')
      .executeTakeFirstOrThrow();
    expect(ack.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: terminalUser.id });
    const again = await call('a-terminal-operator', 'POST', `/api/v1/alerts/${alertId}/acknowledgement`, {});
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('alerts.invalid-transition');
    expect((await call('a-terminal-operator', 'POST', `/api/v1/alerts/${alertId}/resolution`, {})).status).toBe(400);
    expect((await call('a-terminal-operator', 'POST', `/api/v1/alerts/${alertId}/resolution`, { resolution: '' })).status).toBe(400);
    expect(
      (await call('a-terminal-operator', 'POST', `/api/v1/alerts/${alertId}/resolution`, { resolution: 'x'.repeat(501) })).status,
    ).toBe(400);
    expect((await call('b-terminal-operator', 'POST', `/api/v1/alerts/${alertId}/resolution`, { resolution: 'not mine' })).status).toBe(
      404,
    );
    expect((await call('a-declarant', 'POST', `/api/v1/alerts/${alertId}/resolution`, { resolution: 'not mine' })).status).toBe(404);
    expect((await call('a-risk-analyst', 'POST', `/api/v1/alerts/${alertId}/resolution`, { resolution: 'no role' })).status).toBe(403);
    const res = await call('a-terminal-operator', 'POST', `/api/v1/alerts/${alertId}/resolution`, {
      resolution: 'held for inspection: known',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'resolved', resolution: 'held for inspection: known', resolvedBy: terminalUser.id });
    const twice = await call('a-customs-officer', 'POST', `/api/v1/alerts/${alertId}/resolution`, { resolution: 'again' });
    expect(twice.status).toBe(409);
    expect((await call('a-customs-officer', 'POST', `/api/v1/alerts/${alertId}/acknowledgement`, {})).status).toBe(409);
    const events = await eventsOf(alertId);
    expect(events.map((e) => [e.type, e.actor_type, e.actor_id])).toEqual([
      ['alert.opened', 'rule', 'import-not-released-7d'],
      ['alert.acknowledged', 'user', terminalUser.id],
      ['alert.resolved', 'user', terminalUser.id],
    ]);
    expect(nth(events, 1).payload).toMatchObject({ note: 'inspection booked' });
    expect(nth(events, 2).payload).toMatchObject({ resolution: 'held for inspection: known' });
  });

  it('the rule does not reopen what a person resolved while the condition lasts; the escalation still fires', async () => {
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 0 });
    expect((await alertsOf(box.id)).map((a) => [a.ruleId, a.state])).toEqual([['import-not-released-7d', 'resolved']]);
    await advanceClock(7 * DAY);
    expect(await evaluate()).toMatchObject({ opened: 1, resolved: 0 });
    expect((await alertsOf(box.id, 'a-admin', 'open')).map((a) => a.ruleId)).toEqual(['import-not-released-14d']);
  });

  it('a customs officer acknowledges without a note; an unknown id is 404', async () => {
    const open = first(await alertsOf(box.id, 'a-admin', 'open'));
    const ack = await call('a-customs-officer', 'POST', `/api/v1/alerts/${open.id}/acknowledgement`, {});
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body.state).toBe('acknowledged');
    expect((await call('a-customs-officer', 'POST', `/api/v1/alerts/${open.id}/acknowledgement`, { note: 'x', extra: 1 })).status).toBe(
      400,
    );
    expect((await call('a-customs-officer', 'GET', '/api/v1/alerts/alrt_01aaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
    // an acknowledged alert still auto-resolves when its condition clears
    await boxEvent(box.id, 'gate-out', ctx.clock.now(), orgs.A.terminal.id);
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 1, open: 0 });
  });
});

describe('declaration and call rules', () => {
  it('a two-step declaration at the summary stage warns 2 days before complete_due_at, then raises the overdue alarm', async () => {
    const due = new Date(ctx.clock.now().getTime() + 3 * DAY);
    const decl = await insertDeclaration({ complete_due_at: due, entry_id: '420020261000000123' });
    const other = await insertDeclaration({ complete_due_at: due, declarant_org_id: orgs.B.enterprise.id, district_code: '8800' });
    expect(await evaluate()).toMatchObject({ opened: 0 });
    await setClock(new Date(due.getTime() - 47 * HOUR));
    expect(await evaluate()).toMatchObject({ opened: 2, resolved: 0 });
    expect((await alertsOf(decl, 'a-declarant')).map((a) => [a.ruleId, a.severity, a.subject.label])).toEqual([
      ['two-step-complete-due-soon', 'warning', '420020261000000123'],
    ]);
    expect((await call('a-declarant', 'GET', '/api/v1/alerts')).body.total).toBe(1);
    expect((await call('b-declarant', 'GET', '/api/v1/alerts')).body.total).toBe(1);
    expect((await call('a-declarant', 'GET', `/api/v1/alerts?subjectId=${other}`)).body.total).toBe(0);
    expect((await call('a-terminal-operator', 'GET', `/api/v1/alerts?subjectType=declaration`)).body.total).toBe(0);

    await setClock(new Date(due.getTime() + HOUR));
    expect(await evaluate()).toMatchObject({ opened: 2, resolved: 2 });
    const alerts = await alertsOf(decl, 'a-declarant');
    expect(alerts.map((a) => [a.ruleId, a.severity, a.state])).toEqual([
      ['two-step-complete-due-soon', 'warning', 'resolved'],
      ['two-step-complete-overdue', 'alarm', 'open'],
    ]);
    expect(alerts[1]).toMatchObject({
      orgIds: [orgs.A.enterprise.id],
      detail: { since: due.toISOString(), completeDueAt: due.toISOString() },
    });

    await ctx.db.updateTable('declarations').set({ stage: 'complete' }).where('id', 'in', [decl, other]).execute();
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 2 });
    expect((await alertsOf(decl)).map((a) => a.state)).toEqual(['resolved', 'resolved']);
  });

  it('an export advance declaration whose goods have not arrived after 3 days is an alarm to the declarant', async () => {
    const decl = await insertDeclaration({ direction: 'export', procedure: 'advance', stage: null, status: 'L' });
    await advanceClock(3 * DAY - HOUR);
    expect(await evaluate()).toMatchObject({ opened: 0 });
    await advanceClock(2 * HOUR);
    expect(await evaluate()).toMatchObject({ opened: 1 });
    expect((await alertsOf(decl, 'a-declarant')).map((a) => [a.ruleId, a.severity])).toEqual([['export-advance-not-arrived', 'alarm']]);
    await ctx.db.updateTable('declarations').set({ goods_arrived_at: ctx.clock.now() }).where('id', '=', decl).execute();
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 1 });
  });

  it('no tally report more than 24 h after departure is an alarm to the agent until the tally is filed', async () => {
    const departed = ctx.clock.now();
    const callId = await insertCall('A', { state: 'departed', departed_at: departed });
    const box = await insertBox(callId, '4200', 'import');
    await boxEvent(box.id, 'discharge', departed, orgs.A.terminal.id);
    await boxEvent(box.id, 'customs-release', departed, orgs.A.customs.id);
    await boxEvent(box.id, 'gate-out', departed, orgs.A.terminal.id);
    await advanceClock(25 * HOUR);
    expect(await evaluate()).toMatchObject({ opened: 1 });
    const [alarm] = await alertsOf(callId, 'a-agent');
    expect(alarm).toMatchObject({
      ruleId: 'tally-missing-after-departure',
      severity: 'alarm',
      subject: { type: 'port-call', id: callId },
      orgIds: [orgs.A.agency.id],
      detail: { missingTallies: ['import-tally'], hoursSince: 25 },
    });
    await ctx.db
      .insertInto('manifests')
      .values({
        id: newId('manifest', ctx.clock.now()),
        kind: 'import-tally',
        port_call_id: callId,
        filer_org_id: orgs.A.terminal.id,
        district_code: '4200',
        document_number: 'TALLY-1',
        late: false,
        filed_at: ctx.clock.now(),
        document: JSON.stringify({ bills: [], equipment: [] }),
      })
      .execute();
    expect(await evaluate()).toMatchObject({ opened: 0, resolved: 1, open: 0 });
  });

  it('a new rules version that disables a rule resolves its open alerts as "rule disabled"', async () => {
    const decl = await insertDeclaration({ direction: 'export', procedure: 'advance', stage: null, status: 'L' });
    await advanceClock(4 * DAY);
    expect(await evaluate()).toMatchObject({ opened: 1 });
    const listed = await call('a-risk-analyst', 'GET', '/api/v1/alerts/rules');
    const current = first(listed.body.items as { document: { rules: { id: string; enabled: boolean }[] } }[]);
    const rules = current.document.rules.map((r) => (r.id === 'export-advance-not-arrived' ? { ...r, enabled: false } : r));
    const pub = await call('a-risk-analyst', 'POST', '/api/v1/alerts/rules', { document: { rules }, note: 'pause advance alarm' });
    expect(pub.status, JSON.stringify(pub.body)).toBe(201);
    expect(pub.body.version).toBe(2);
    expect(await evaluate()).toMatchObject({ ruleSetVersion: 2, opened: 0, resolved: 1 });
    expect((await alertsOf(decl)).map((a) => [a.state, a.resolution])).toEqual([['resolved', 'rule disabled']]);
  });
});

describe('who may act on an alert', () => {
  // The fixture the access-policy walk can use: an open alert naming every organisation of the owner.
  let n = 0;
  const alertOf = async (owner: 'A' | 'B'): Promise<string> => {
    n += 1;
    const r = await ctx.db.transaction().execute((trx) =>
      openAlert(trx, ctx.clock, {
        ruleId: `fixture-${n}`,
        ruleVersion: null,
        severity: 'warning',
        subjectType: 'container',
        subjectId: `fixture-${n}`,
        subjectLabel: 'FIXTURE',
        districtCode: owner === 'A' ? '4200' : '8800',
        orgIds: [orgs[owner].terminal.id, orgs[owner].enterprise.id, orgs[owner].agency.id],
        detail: {},
      }),
    );
    return r.id;
  };
  const ACTING = new Set(['customs-officer', 'terminal-operator', 'declarant', 'agent', 'admin']);

  it('customs, admins and the named organisations act on their own; others get 403, another tenant 404', async () => {
    const outcomes: string[] = [];
    for (const role of ROLES) {
      for (const caller of ['A', 'B'] as const) {
        const token = await login(ctx.app, `${caller.toLowerCase()}-${role}`);
        tokens[`${caller}:${role}`] = token;
        for (const owner of ['A', 'B'] as const) {
          const expected = !ACTING.has(role) ? 403 : owner !== caller && role !== 'admin' ? 404 : 200;
          const ack = await call(`${caller}:${role}`, 'POST', `/api/v1/alerts/${await alertOf(owner)}/acknowledgement`, { note: 'on it' });
          const res = await call(`${caller}:${role}`, 'POST', `/api/v1/alerts/${await alertOf(owner)}/resolution`, { resolution: 'done' });
          const get = await call(`${caller}:${role}`, 'GET', `/api/v1/alerts/${await alertOf(owner)}`);
          const seen = owner === caller || role === 'admin' ? (ACTING.has(role) || role === 'risk-analyst' ? 200 : 404) : 404;
          if (ack.status !== expected || res.status !== expected || get.status !== seen) {
            outcomes.push(`${role}@${caller} on ${owner}: ack ${ack.status} resolve ${res.status} get ${get.status}`);
          }
        }
      }
    }
    expect(outcomes).toEqual([]);
  });
});
