import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, createTestApp, login, seedTenants, type TenantOrgs, type TestContext } from '../../../test/app.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';

let ctx: TestContext;
let orgs: TenantOrgs;
const tokens: Record<string, string> = {};
const berth: Record<string, string> = {};

const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);

// The test clock stands at 2026-11-01T08:00Z.
const filing = (over: Record<string, unknown> = {}) => ({
  portLocode: 'CNTAO',
  declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
  vessel: { imo: '1001037', draftM: 14.5 },
  voyage: '061E',
  lastPort: 'KRPUS',
  lastPortDeparture: '2026-11-02T02:00:00Z',
  nextPort: 'JPTYO',
  portsOfCall: [{ locode: 'KRPUS', departedAt: '2026-11-02T02:00:00Z' }],
  eta: '2026-11-03T06:00:00Z',
  etd: '2026-11-04T06:00:00Z',
  purpose: 'cargo',
  cargoType: 'container',
  cargoSummary: '1,800 TEU discharge, 1,650 TEU load',
  crewCount: 24,
  dangerousGoods: false,
  ...over,
});

beforeAll(async () => {
  ctx = await createTestApp();
  ({ orgs } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  // Tenant A's terminal company operates the Qianwan container terminals in this test.
  await ctx.db.updateTable('terminals').set({ operator_org_id: orgs.A.terminal.id }).where('code', 'in', ['QQCT', 'QQCTN']).execute();
  for (const code of ['QQCT-01', 'QQCT-02', 'QQCTN-01', 'QDCR-01', 'RZ-CT-01']) {
    const row = await ctx.db.selectFrom('berths').select('id').where('code', '=', code).executeTakeFirst();
    if (row !== undefined) {
      berth[code] = row.id;
    }
  }
  for (const u of [
    'a-agent',
    'b-agent',
    'a-terminal-operator',
    'b-terminal-operator',
    'a-customs-officer',
    'b-customs-officer',
    'a-declarant',
  ]) {
    tokens[u] = await login(ctx.app, u);
  }
});
afterAll(async () => ctx.close());

describe('filing a port call (CSM002)', () => {
  it('takes the vessel from the registry by IMO, is on time 46 h ahead, and writes its event', async () => {
    const r = await call('a-agent', 'POST', '/api/v1/port-calls', filing());
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      state: 'pre-reported',
      lateReport: false,
      portLocode: 'CNTAO',
      districtCode: '4200',
      vessel: { imo: '1001037', name: 'QILU DEMO EXPRESS', loaM: 334, draftM: 14.5, flag: 'SG' },
      version: 1,
    });
    const events = await ctx.db
      .selectFrom('events')
      .select(['type'])
      .where('aggregate_id', '=', r.body.id as string)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['port-call.pre-reported']);
  });

  it('flags a report less than 24 h before ETA as late, with its own event', async () => {
    const r = await call(
      'a-agent',
      'POST',
      '/api/v1/port-calls',
      filing({ voyage: 'LATE1', eta: '2026-11-02T07:00:00Z', lastPortDeparture: '2026-11-01T00:00:00Z', portsOfCall: [] }),
    );
    expect(r.status).toBe(201);
    expect(r.body.lateReport).toBe(true);
    const events = await ctx.db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('aggregate_id', '=', r.body.id as string)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['port-call.pre-reported', 'port-call.late-report-flagged']);
    expect(events[1]?.payload).toMatchObject({ hoursBeforeEta: 23 });
  });

  it('refuses bad input naming the field, and stores nothing', async () => {
    const before = await ctx.db
      .selectFrom('port_calls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const cases: [Record<string, unknown>, string][] = [
      [{ vessel: { imo: '1001038', draftM: 14.5 } }, '/vessel/imo'],
      [{ eta: '2026-11-02T01:00:00Z' }, '/eta'],
      [{ etd: '2026-11-03T05:00:00Z' }, '/etd'],
      [{ lastPort: 'XX1' }, '/lastPort'],
      [{ portLocode: 'CNXXX' }, '/portLocode'],
      [{ declaredCode: { portCode: 'CNQGD', customsCode: '9999' } }, '/declaredCode'],
      [{ vessel: { imo: '9074729', draftM: 10 } }, '/vessel/name'],
      [{ portsOfCall: [{ locode: 'KRPUS', departedAt: '2026-11-05T00:00:00Z' }] }, '/portsOfCall/0/departedAt'],
      [{ crewCount: -1 }, '/crewCount'],
    ];
    for (const [over, path] of cases) {
      const r = await call('a-agent', 'POST', '/api/v1/port-calls', filing({ voyage: 'BAD', ...over }));
      expect(r.status, JSON.stringify(over)).toBe(400);
      expect(r.body.error?.details?.map((d) => d.path).join(' '), JSON.stringify(over)).toContain(path);
    }
    const dup = await call('a-agent', 'POST', '/api/v1/port-calls', filing());
    expect(dup.status).toBe(409);
    const after = await ctx.db
      .selectFrom('port_calls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('may be filed by agents only', async () => {
    for (const who of ['a-terminal-operator', 'a-customs-officer', 'a-declarant']) {
      expect((await call(who, 'POST', '/api/v1/port-calls', filing({ voyage: `X-${who}` }))).status).toBe(403);
    }
  });
});

describe('a call through its machine, with the one-code rule and the pratique interlock', () => {
  let id: string;
  const step = (who: string, path: string, body: Record<string, unknown> = {}) =>
    call(who, 'POST', `/api/v1/port-calls/${id}/${path}`, body);
  beforeAll(async () => {
    id = (await call('a-agent', 'POST', '/api/v1/port-calls', filing({ voyage: 'FLOW1' }))).body.id as string;
  });

  it('is seen by its agent, the district customs and the terminals that can serve it; nobody else', async () => {
    for (const who of ['a-agent', 'a-customs-officer', 'a-terminal-operator']) {
      expect((await call(who, 'GET', `/api/v1/port-calls/${id}`)).status, who).toBe(200);
    }
    for (const who of ['b-agent', 'b-customs-officer', 'b-terminal-operator']) {
      expect((await call(who, 'GET', `/api/v1/port-calls/${id}`)).status, who).toBe(404);
      const board = await call(who, 'GET', '/api/v1/port-calls');
      expect(
        (board.body.items as { id: string }[]).map((c) => c.id),
        who,
      ).not.toContain(id);
    }
    expect((await call('a-declarant', 'GET', `/api/v1/port-calls/${id}`)).status).toBe(403);
  });

  it('refuses transitions the machine does not allow, changing nothing', async () => {
    const dep = await step('a-agent', 'departure-report', { etd: '2026-11-04T06:00:00Z' });
    expect(dep.status).toBe(409);
    expect(dep.body.error?.code).toBe('port-call.invalid-transition');
    const ops = await step('a-terminal-operator', 'cargo-operations/start');
    expect(ops.status).toBe(409);
    expect((await call('a-agent', 'GET', `/api/v1/port-calls/${id}`)).body.version).toBe(1);
  });

  it("plans only a berth of the planner's own terminal that fits the ship", async () => {
    const other = await step('a-terminal-operator', 'berth-plan', {
      berthId: berth['QDCR-01'],
      start: '2026-11-03T08:00:00Z',
      end: '2026-11-04T04:00:00Z',
    });
    expect(other.status).toBe(403);
    expect(other.body.error?.code).toBe('port-call.not-your-berth');
    const deep = (await call('a-agent', 'POST', '/api/v1/port-calls', filing({ voyage: 'DEEP1', vessel: { imo: '1001037', draftM: 19 } })))
      .body.id as string;
    const shallow = await call('a-terminal-operator', 'POST', `/api/v1/port-calls/${deep}/berth-plan`, {
      berthId: berth['QQCT-01'],
      start: '2026-11-03T08:00:00Z',
      end: '2026-11-04T04:00:00Z',
    });
    expect(shallow.status).toBe(422);
    expect(shallow.body.error?.details?.[0]).toMatchObject({ path: '/berthId' });
    expect(JSON.stringify(shallow.body)).toContain('too shallow');
  });

  it('counts a berth under an alias of the declared code as a re-declaration avoided (Qianwan), not as a re-declaration', async () => {
    const plan = await step('a-terminal-operator', 'berth-plan', {
      berthId: berth['QQCTN-01'],
      start: '2026-11-03T08:00:00Z',
      end: '2026-11-04T04:00:00Z',
    });
    expect(plan.status).toBe(200);
    expect(plan.body.plannedBerth).toMatchObject({ berthId: berth['QQCTN-01'], start: '2026-11-03T08:00:00.000Z' });
    expect((await step('a-agent', 'confirmation')).body.state).toBe('confirmed');
    expect((await step('a-agent', 'arrival', { at: '2026-11-03T05:30:00Z', place: 'anchorage' })).body.state).toBe('arrived');
    const berthed = await step('a-terminal-operator', 'berthing', { at: '2026-11-03T08:10:00Z' });
    expect(berthed.body).toMatchObject({ state: 'berthed', berthId: berth['QQCTN-01'], redeclarations: 0, redeclarationsAvoided: 1 });
    const shifted = await step('a-terminal-operator', 'berth-shifts', { at: '2026-11-03T12:00:00Z', berthId: berth['QQCT-01'] });
    expect(shifted.body).toMatchObject({ state: 'berthed', berthId: berth['QQCT-01'], redeclarations: 0, redeclarationsAvoided: 1 });
    const types = (await ctx.db.selectFrom('events').select('type').where('aggregate_id', '=', id).orderBy('seq').execute()).map(
      (e) => e.type,
    );
    expect(types).not.toContain('port-call.code-mismatch-flagged');
  });

  it('refuses cargo operations before pratique, records the alarm, and allows them after', async () => {
    const refused = await step('a-terminal-operator', 'cargo-operations/start', { at: '2026-11-03T12:30:00Z' });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('port-call.no-pratique');
    const alarm = await ctx.db
      .selectFrom('events')
      .select(['payload', 'district_code'])
      .where('aggregate_id', '=', id)
      .where('type', '=', 'port-call.cargo-operations-refused')
      .executeTakeFirst();
    expect(alarm?.payload).toMatchObject({ alarm: true });
    expect(alarm?.district_code).toBe('4200');
    const seen = await call('a-customs-officer', 'GET', `/api/v1/events?aggregateId=${id}&type=port-call.cargo-operations-refused`);
    expect((seen.body.items as unknown[]).length).toBe(1);
    expect((await call('a-agent', 'GET', `/api/v1/port-calls/${id}`)).body.cargoOpsStartedAt).toBeNull();

    const { recordQuarantineOutcome } = await import('./port-call.commands.ts');
    const { inTransaction } = await import('../../db/tx.ts');
    await inTransaction(ctx.db, (trx) =>
      recordQuarantineOutcome(
        trx,
        ctx.clock,
        id,
        { type: 'system', id: null },
        { mode: 'telecom', pratiqueGrantedAt: new Date('2026-11-03T12:40:00Z') },
      ),
    );
    const early = await step('a-terminal-operator', 'cargo-operations/start', { at: '2026-11-03T12:35:00Z' });
    expect(early.status).toBe(409); // still before the pratique time
    const ok = await step('a-terminal-operator', 'cargo-operations/start', { at: '2026-11-03T12:45:00Z' });
    expect(ok.status).toBe(200);
    expect(ok.body.cargoOpsStartedAt).toBe('2026-11-03T12:45:00.000Z');
  });

  it('departs: cargo complete, departure pre-report, departure; every transition an event', async () => {
    expect((await step('a-terminal-operator', 'cargo-operations/complete', { at: '2026-11-04T03:00:00Z' })).status).toBe(200);
    expect((await step('a-agent', 'departure-report', { etd: '2026-11-04T05:00:00Z' })).body.state).toBe('departure-reported');
    const gone = await step('a-agent', 'departure', { at: '2026-11-04T05:20:00Z' });
    expect(gone.body).toMatchObject({ state: 'departed', departedAt: '2026-11-04T05:20:00.000Z' });
    const types = (await ctx.db.selectFrom('events').select('type').where('aggregate_id', '=', id).orderBy('seq').execute()).map(
      (e) => e.type,
    );
    expect(types).toEqual([
      'port-call.pre-reported',
      'port-call.berth-planned',
      'port-call.confirmed',
      'port-call.arrived',
      'port-call.berthed',
      'port-call.berth-shifted',
      'port-call.cargo-operations-refused',
      'port-call.pratique-granted',
      'port-call.cargo-operations-refused',
      'port-call.cargo-operations-started',
      'port-call.cargo-operations-completed',
      'port-call.departure-reported',
      'port-call.departed',
    ]);
  });
});

describe('a berth under another regulatory code', () => {
  it('is flagged at planning, before berthing, and counted as a re-declaration at berthing', async () => {
    const id = (
      await call(
        'a-agent',
        'POST',
        '/api/v1/port-calls',
        filing({ voyage: 'CROSS1', declaredCode: { portCode: 'CNQDG', customsCode: '4202' } }),
      )
    ).body.id as string;
    const plan = await call('a-terminal-operator', 'POST', `/api/v1/port-calls/${id}/berth-plan`, {
      berthId: berth['QQCT-02'],
      start: '2026-11-03T08:00:00Z',
      end: '2026-11-04T04:00:00Z',
    });
    expect(plan.status).toBe(200);
    const flag = await ctx.db
      .selectFrom('events')
      .select('payload')
      .where('aggregate_id', '=', id)
      .where('type', '=', 'port-call.code-mismatch-flagged')
      .executeTakeFirst();
    expect(flag?.payload).toMatchObject({
      code: { declared: { portCode: 'CNQDG', customsCode: '4202' }, canonical: { portCode: 'CNQGD', customsCode: '4218' } },
    });
    await call('a-agent', 'POST', `/api/v1/port-calls/${id}/arrival`, { at: '2026-11-03T06:00:00Z', place: 'berth' });
    const berthed = await call('a-terminal-operator', 'POST', `/api/v1/port-calls/${id}/berthing`, { at: '2026-11-03T08:00:00Z' });
    expect(berthed.body).toMatchObject({ redeclarations: 1, redeclarationsAvoided: 0 });
  });
});

describe('port-call KPIs', () => {
  it('count waiting at anchorage, late reports and re-declarations over the calls the caller sees', async () => {
    const k = (await call('a-customs-officer', 'GET', '/api/v1/port-calls/kpis?portLocode=CNTAO')).body;
    // FLOW1 arrived at the anchorage 05:30 and was all fast 08:10; CROSS1 arrived at the berth
    expect(k).toMatchObject({
      lateReports: 1,
      redeclarations: 1,
      redeclarationsAvoided: 1,
      waiting: { count: 1, meanHours: 2.67, totalHours: 2.67 },
    });
    expect((await call('b-customs-officer', 'GET', '/api/v1/port-calls/kpis')).body).toMatchObject({ calls: 0, redeclarationsAvoided: 0 });
  });
});
