import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, createTestApp, login, seedTenants, type TestContext } from '../../../test/app.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';

let ctx: TestContext;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);
type Item = { portCallId: string; berthId: string; berthCode: string; start: string; end: string };
type ProposalBody = {
  id: string;
  items: Item[];
  unfit: { callId: string; reasons: { code: string; message: string }[] }[];
  objectiveHours: number;
  lowerBoundHours: number;
  solver: { status: string };
};

let voyage = 0;
// Test clock: 2026-11-01T08:00Z.
const file = async (imo: string, eta: string, stayHours: number, over: Record<string, unknown> = {}): Promise<string> => {
  voyage += 1;
  const etaMs = Date.parse(eta);
  const r = await call('a-agent', 'POST', '/api/v1/port-calls', {
    portLocode: 'CNTAO',
    declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
    vessel: { imo, draftM: 12 },
    voyage: `P${voyage}`,
    lastPort: 'KRPUS',
    lastPortDeparture: '2026-11-01T00:00:00Z',
    eta,
    etd: new Date(etaMs + stayHours * 3_600_000).toISOString(),
    purpose: 'cargo',
    cargoType: 'container',
    crewCount: 20,
    dangerousGoods: false,
    ...over,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};

const ids: Record<string, string> = {};
beforeAll(async () => {
  ctx = await createTestApp();
  const { orgs } = await seedTenants(ctx);
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  await ctx.db.updateTable('terminals').set({ operator_org_id: orgs.A.terminal.id }).where('code', 'in', ['QQCT', 'QQCTN']).execute();
  for (const u of ['a-agent', 'a-terminal-operator', 'b-terminal-operator', 'a-customs-officer']) {
    tokens[u] = await login(ctx.app, u);
  }
  ids.qilu = await file('1001037', '2026-11-02T06:00:00Z', 20); // 334 m
  ids.shuttle = await file('1001049', '2026-11-02T07:00:00Z', 12); // 200 m
  ids.feeder = await file('1001051', '2026-11-02T07:00:00Z', 8); // 147 m
  ids.giant = await file('1001013', '2026-11-02T08:00:00Z', 24); // 399.9 m: longer than any QQCT/QQCTN berth
  ids.otherCode = await file('1001025', '2026-11-02T09:00:00Z', 10, { declaredCode: { portCode: 'CNQDG', customsCode: '4202' } });
});
afterAll(async () => ctx.close());

describe('a berth plan proposed by the optimiser', () => {
  let proposal: ProposalBody;

  it('places every call that fits on a berth of the planner under the declared code, and lists the others with reasons', async () => {
    const r = await call('a-terminal-operator', 'POST', '/api/v1/berth-plans', { portLocode: 'CNTAO', timeLimitSeconds: 5 });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    proposal = r.body as unknown as ProposalBody;
    expect(proposal.solver.status).toBe('optimal');
    expect(proposal.items.map((i) => i.portCallId).sort()).toEqual([ids.qilu, ids.shuttle, ids.feeder].sort());
    for (const item of proposal.items) {
      expect(item.berthCode).toMatch(/^QQCTN?-0\d$/);
    }
    // Ten free berths for three ships: nobody waits, so the optimum is the sum of the declared stays.
    expect(proposal.objectiveHours).toBe(20 + 12 + 8);
    expect(proposal.lowerBoundHours).toBe(40);
    const unfit = new Map(proposal.unfit.map((u) => [u.callId, u.reasons.map((r) => `${r.code}: ${r.message}`).join(' ')]));
    expect(unfit.get(ids.giant ?? '')).toContain('too-big: no berth long and deep enough (LOA 399.9 m, draft 12 m)');
    expect(unfit.get(ids.otherCode ?? '')).toContain('other-code: no berth under the declared code CNQDG/4202');
  });

  it('is deterministic for its seed', async () => {
    const again = (await call('a-terminal-operator', 'POST', '/api/v1/berth-plans', { portLocode: 'CNTAO', timeLimitSeconds: 5 }))
      .body as unknown as ProposalBody;
    expect(again.items.map(({ portCallId, berthId, start }) => [portCallId, berthId, start])).toEqual(
      proposal.items.map(({ portCallId, berthId, start }) => [portCallId, berthId, start]),
    );
  });

  it("is the planner organisation's own", async () => {
    expect((await call('b-terminal-operator', 'GET', `/api/v1/berth-plans/${proposal.id}`)).status).toBe(404);
    expect((await call('a-customs-officer', 'GET', `/api/v1/berth-plans/${proposal.id}`)).status).toBe(403);
  });

  it("moves each call's planned berth when accepted, with the port-call event, once", async () => {
    const r = await call('a-terminal-operator', 'POST', `/api/v1/berth-plans/${proposal.id}/acceptance`, {});
    expect(r.status).toBe(200);
    expect((r.body.outcomes as { ok: boolean }[]).every((o) => o.ok)).toBe(true);
    for (const item of proposal.items) {
      const c = (await call('a-agent', 'GET', `/api/v1/port-calls/${item.portCallId}`)).body;
      expect(c.plannedBerth).toEqual({ berthId: item.berthId, start: item.start, end: item.end });
    }
    const planned = await ctx.db.selectFrom('events').select('aggregate_id').where('type', '=', 'port-call.berth-planned').execute();
    expect(planned.map((e) => e.aggregate_id).sort()).toEqual(proposal.items.map((i) => i.portCallId).sort());
    expect((await call('a-terminal-operator', 'POST', `/api/v1/berth-plans/${proposal.id}/acceptance`, {})).status).toBe(409);
  });

  it('accepts adjusted lines, checking each again: a berth of another terminal is refused for that line only', async () => {
    const fresh = (await call('a-terminal-operator', 'POST', '/api/v1/berth-plans', { portLocode: 'CNTAO' }))
      .body as unknown as ProposalBody;
    const cruise = (await ctx.db.selectFrom('berths').select('id').where('code', '=', 'QDCR-01').executeTakeFirstOrThrow()).id;
    const [first, ...rest] = fresh.items;
    const lines = [{ ...(first as Item), berthId: cruise }, ...rest].map(({ portCallId, berthId, start, end }) => ({
      portCallId,
      berthId,
      start,
      end,
    }));
    const r = await call('a-terminal-operator', 'POST', `/api/v1/berth-plans/${fresh.id}/acceptance`, { items: lines });
    const outcomes = r.body.outcomes as { portCallId: string; ok: boolean; error?: { code: string } }[];
    expect(outcomes[0]).toMatchObject({ ok: false, error: { code: 'port-call.not-your-berth' } });
    expect(outcomes.slice(1).every((o) => o.ok)).toBe(true);
  });

  it('makes ships wait when berths run short, and still proves the optimum', async () => {
    // The Dagang cruise terminal's two berths are tenant-less; give them to A and send three cruise ships at once.
    await ctx.db
      .updateTable('terminals')
      .set({
        operator_org_id: (await ctx.db.selectFrom('organisations').select('id').where('code', '=', 'A-TERMINAL').executeTakeFirstOrThrow())
          .id,
      })
      .where('code', '=', 'QD-CRUISE')
      .execute();
    const cruise = {
      declaredCode: { portCode: 'CNQDG', customsCode: '4202' },
      cargoType: 'cruise',
      purpose: 'passengers',
      passengerCount: 2000,
    };
    for (const eta of ['2026-11-03T00:00:00Z', '2026-11-03T00:00:00Z', '2026-11-03T00:00:00Z']) {
      await file('1004015', eta, 10, { ...cruise, vessel: { imo: '1004015', draftM: 8 } });
    }
    const r = (await call('a-terminal-operator', 'POST', '/api/v1/berth-plans', { portLocode: 'CNTAO' })).body as unknown as ProposalBody;
    const cruiseItems = r.items.filter((i) => i.berthCode.startsWith('QDCR'));
    expect(cruiseItems).toHaveLength(3);
    expect(r.solver.status).toBe('optimal');
    // two berths, three 10 h stays from the same hour: one waits 10 h
    expect(r.objectiveHours).toBe(40 + 30 + 10);
    expect(r.lowerBoundHours).toBe(r.objectiveHours);
  });

  it("waits for a carrier's requested berth time (DCSA JIT REQ) when it is later than the ETA", async () => {
    const jit = async (path: string, body: Record<string, unknown>) => {
      const res = await ctx.app.inject({
        method: 'PUT',
        url: `/api/dcsa/jit/v2${path}`,
        headers: { authorization: `Bearer ${tokens['a-agent']}` },
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(204);
    };
    const [P, T, S, R] = [
      '8b2f4c1e-1d7a-4e5b-9c3d-2a6f8e9b0c11',
      '8b2f4c1e-1d7a-4e5b-9c3d-2a6f8e9b0c12',
      '8b2f4c1e-1d7a-4e5b-9c3d-2a6f8e9b0c13',
      '8b2f4c1e-1d7a-4e5b-9c3d-2a6f8e9b0c14',
    ];
    await jit(`/port-calls/${P}`, {
      portCallID: P,
      UNLocationCode: 'CNTAO',
      vessel: { vesselIMONumber: '1001051', name: 'JIAOZHOU BAY DEMO FEEDER' },
    });
    await jit(`/terminal-calls/${T}`, {
      terminalCallID: T,
      portCallID: P,
      terminalCallSequenceNumber: 1,
      carrierServiceName: 'Bay Feeder',
      carrierServiceCode: 'JBF',
      carrierImportVoyageNumber: '045N',
    });
    await jit(`/port-call-services/${S}`, {
      terminalCallID: T,
      portCallServiceID: S,
      portCallServiceTypeCode: 'BERTH',
      portCallServiceEventTypeCode: 'ARRI',
      portCallServiceLocation: { UNLocationCode: 'CNTAO', facility: { facilityCode: 'QQCT', facilityCodeListProvider: 'SMDG' } },
    });
    await jit(`/timestamps/${R}`, { timestampID: R, portCallServiceID: S, classifierCode: 'REQ', dateTime: '2026-11-03T12:00:00Z' });
    const r = (await call('a-terminal-operator', 'POST', '/api/v1/berth-plans', { portLocode: 'CNTAO' })).body as unknown as ProposalBody;
    const feeder = r.items.find((i) => i.portCallId === ids.feeder);
    expect(feeder?.start).toBe('2026-11-03T12:00:00.000Z');
  });

  it('keeps ships off berths closed for maintenance, and plans them again once the closure is removed', async () => {
    const own = await ctx.db
      .selectFrom('berths')
      .select(['id', 'code'])
      .where((eb) => eb.or([eb('code', 'like', 'QQCT-%'), eb('code', 'like', 'QQCTN-%')]))
      .execute();
    const window = { startsAt: '2026-11-01T12:00:00Z', endsAt: '2026-11-03T00:00:00Z', reason: 'Crane rail maintenance' };
    const cruise = (await ctx.db.selectFrom('berths').select('id').where('code', '=', 'RZ-CT-01').executeTakeFirst())?.id;
    if (cruise !== undefined) {
      expect((await call('a-terminal-operator', 'POST', '/api/v1/berth-closures', { berthId: cruise, ...window })).status).toBe(403);
    }
    const bad = await call('a-terminal-operator', 'POST', '/api/v1/berth-closures', {
      berthId: own[0]?.id ?? '',
      ...window,
      endsAt: window.startsAt,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details?.[0]?.path).toBe('/endsAt');
    const closureIds: string[] = [];
    for (const b of own) {
      const r = await call('a-terminal-operator', 'POST', '/api/v1/berth-closures', { berthId: b.id, ...window });
      expect(r.status).toBe(201);
      closureIds.push(r.body.id as string);
    }
    expect(((await call('a-terminal-operator', 'GET', '/api/v1/berth-closures?portLocode=CNTAO')).body.items as unknown[]).length).toBe(
      own.length,
    );
    expect(((await call('b-terminal-operator', 'GET', '/api/v1/berth-closures')).body.items as unknown[]).length).toBe(0);
    const closed = (await call('a-terminal-operator', 'POST', '/api/v1/berth-plans', { portLocode: 'CNTAO' }))
      .body as unknown as ProposalBody;
    const onQianwan = closed.items.filter((i) => i.berthCode.startsWith('QQCT'));
    expect(onQianwan.length).toBeGreaterThan(0);
    for (const i of onQianwan) {
      expect(Date.parse(i.start), `${i.berthCode} ${i.start}`).toBeGreaterThanOrEqual(Date.parse(window.endsAt));
    }
    for (const id of closureIds) {
      const res = await ctx.app.inject({
        method: 'DELETE',
        url: `/api/v1/berth-closures/${id}`,
        headers: { authorization: `Bearer ${tokens['a-terminal-operator']}` },
      });
      expect(res.statusCode).toBe(204);
    }
    const events = await ctx.db
      .selectFrom('events')
      .select('type')
      .where('type', 'in', ['berth.closure-added', 'berth.closure-removed'])
      .execute();
    expect(events).toHaveLength(own.length * 2);
    const open = (await call('a-terminal-operator', 'POST', '/api/v1/berth-plans', { portLocode: 'CNTAO' }))
      .body as unknown as ProposalBody;
    expect(open.items.some((i) => Date.parse(i.start) < Date.parse(window.endsAt))).toBe(true);
  });
});
