import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, seedTenants, type TenantOrgs, type TestContext } from '../../../test/app.ts';
import { inTransaction } from '../../db/tx.ts';
import { SYSTEM_ACTOR } from '../../events/event-log.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';
import { recordQuarantineOutcome } from '../port-calls/index.ts';
import { SPEC_PATH, SpecValidator, specPresent } from './dcsa-spec.test-helper.ts';
import { requestedBerthTimes } from './index.ts';

const PREFIX = '/api/dcsa/jit/v2';
const present = specPresent();
if (!present) {
  console.warn(`DCSA JIT tests skipped: the spec is not at ${SPEC_PATH} (../shared/data/standards/dcsa-jit-2.0.0.yaml)`);
}

let ctx: TestContext;
let orgs: TenantOrgs;
let spec: SpecValidator;
const tokens: Record<string, string> = {};
const berth: Record<string, string> = {};

type Res = { status: number; body: unknown; headers: Record<string, unknown> };

/** Maps a concrete path back to the spec's template: `/port-calls/<uuid>/omit` → `/port-calls/{portCallID}/omit`. */
const ID_NAMES: Record<string, string> = {
  'port-calls': 'portCallID',
  'terminal-calls': 'terminalCallID',
  'port-call-services': 'portCallServiceID',
  timestamps: 'timestampID',
  'vessel-statuses': 'portCallServiceID',
};
const template = (path: string): string => {
  const segs = (path.split('?')[0] as string).split('/').slice(1);
  const head = segs[0] as string;
  return segs.length === 1 ? `/${head}` : [`/${head}`, `{${ID_NAMES[head] as string}}`, ...segs.slice(2)].join('/');
};

/**
 * One JIT exchange: the request body must match the spec (unless `raw`), the answer must be a
 * status the spec declares with a body that matches it, and carry API-Version 2.0.0.
 */
const jit = async (
  who: string,
  method: 'GET' | 'PUT' | 'POST',
  path: string,
  body?: unknown,
  opts: { raw?: boolean; headers?: Record<string, string> } = {},
): Promise<Res> => {
  const tpl = template(path);
  if (body !== undefined && opts.raw !== true) {
    const errs = spec.requestErrors(method, tpl, body);
    expect(errs, `request ${method} ${path} does not match the spec`).toEqual([]);
  }
  const res = await ctx.app.inject({
    method,
    url: `${PREFIX}${path}`,
    headers: { authorization: `Bearer ${tokens[who] as string}`, ...(opts.headers ?? {}) },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  const parsed: unknown = res.body === '' ? undefined : JSON.parse(res.body);
  expect(spec.responseErrors(method, tpl, res.statusCode, parsed), `response ${res.statusCode} ${method} ${path}: ${res.body}`).toEqual([]);
  expect(res.headers['api-version']).toBe('2.0.0');
  return { status: res.statusCode, body: parsed, headers: res.headers };
};

const count = async (table: 'dcsa_port_calls' | 'dcsa_terminal_calls' | 'dcsa_port_call_services' | 'dcsa_timestamps' | 'events') =>
  Number(
    (
      await ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const snapshot = async () =>
  Promise.all((['dcsa_port_calls', 'dcsa_terminal_calls', 'dcsa_port_call_services', 'dcsa_timestamps', 'events'] as const).map(count));

const portCall = (id: string, over: Record<string, unknown> = {}) => ({
  portCallID: id,
  UNLocationCode: 'CNTAO',
  vessel: {
    vesselIMONumber: '1001037',
    MMSINumber: '563012300',
    name: 'QILU DEMO EXPRESS',
    lengthOverall: 334,
    dimensionUnit: 'MTR',
    typeCode: 'CONT',
  },
  ...over,
});
const terminalCall = (id: string, portCallID: string, over: Record<string, unknown> = {}) => ({
  terminalCallID: id,
  portCallID,
  terminalCallReference: 'QQCT-2611-01',
  terminalCallSequenceNumber: 1,
  carrierServiceName: 'Qilu Express',
  carrierServiceCode: 'QLX',
  carrierImportVoyageNumber: 'JIT1W',
  universalImportVoyageReference: '2611W',
  ...over,
});
const service = (id: string, terminalCallID: string, type: string, event: string, over: Record<string, unknown> = {}) => ({
  terminalCallID,
  portCallServiceID: id,
  portCallServiceTypeCode: type,
  portCallServiceEventTypeCode: event,
  portCallServiceLocation: { UNLocationCode: 'CNTAO', facility: { facilityCode: 'QQCT', facilityCodeListProvider: 'SMDG' } },
  ...over,
});
const timestamp = (id: string, serviceId: string, classifierCode: string, dateTime: string, over: Record<string, unknown> = {}) => ({
  timestampID: id,
  portCallServiceID: serviceId,
  classifierCode,
  dateTime,
  ...over,
});
const filing = (voyage: string) => ({
  portLocode: 'CNTAO',
  declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
  vessel: { imo: '1001037', draftM: 14.5 },
  voyage,
  lastPort: 'KRPUS',
  lastPortDeparture: '2026-11-02T02:00:00Z',
  eta: '2026-11-03T06:00:00Z',
  etd: '2026-11-04T06:00:00Z',
  purpose: 'cargo',
  cargoType: 'container',
  crewCount: 24,
  dangerousGoods: false,
});
const v1 = async (who: string, path: string, payload: Record<string, unknown>) => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1${path}`,
    headers: { authorization: `Bearer ${tokens[who] as string}` },
    payload,
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json() as Record<string, unknown>;
};
const timestampsOf = async (who: string, serviceId: string, extra = '') =>
  (await jit(who, 'GET', `/timestamps?portCallServiceID=${serviceId}${extra}`)).body as Record<string, string>[];
const eventTypes = async (aggregateId: string) =>
  (await ctx.db.selectFrom('events').select('type').where('aggregate_id', '=', aggregateId).orderBy('seq').execute()).map((e) => e.type);

beforeAll(async () => {
  if (!present) {
    return;
  }
  spec = new SpecValidator();
  ctx = await createTestApp();
  ({ orgs } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  await ctx.db.updateTable('terminals').set({ operator_org_id: orgs.A.terminal.id }).where('code', 'in', ['QQCT', 'QQCTN']).execute();
  for (const code of ['QQCT-01', 'QQCT-02']) {
    berth[code] = (await ctx.db.selectFrom('berths').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  }
  for (const u of [
    'a-agent',
    'b-agent',
    'a-terminal-operator',
    'b-terminal-operator',
    'a-customs-officer',
    'b-customs-officer',
    'a-risk-analyst',
    'a-declarant',
  ]) {
    tokens[u] = await login(ctx.app, u);
  }
});
afterAll(async () => ctx?.close());

describe.skipIf(!present)('DCSA Port Call (JIT) 2.0: PortCluster as the Service Provider', () => {
  const P1 = randomUUID();
  const T1 = randomUUID();
  const S = {
    berth: randomUUID(),
    berthDepa: randomUUID(),
    cargo: randomUUID(),
    allFast: randomUUID(),
    sea: randomUUID(),
    pilotage: randomUUID(),
    towage: randomUUID(),
  };
  const R1 = randomUUID();
  let callId: string;

  it('keeps a JIT port call filed before its PortCluster call unlinked, then links it', async () => {
    const put = await jit('a-agent', 'PUT', `/port-calls/${P1}`, portCall(P1, { isFYI: false }), {
      headers: { 'API-Version': '2', 'Request-Sending-Party': 'Carrier-123', 'Request-Receiving-Party': 'PortCluster' },
    });
    expect(put.status).toBe(204);
    expect(put.headers['response-receiving-party']).toBe('Carrier-123');
    expect(put.headers['response-sending-party']).toBe('PortCluster');
    const row = await ctx.db.selectFrom('dcsa_port_calls').selectAll().where('id', '=', P1).executeTakeFirstOrThrow();
    expect(row.port_call_id).toBeNull();
    const events = await count('events');
    expect((await jit('a-agent', 'PUT', `/port-calls/${P1}`, portCall(P1))).status).toBe(204);
    expect(await count('events')).toBe(events); // the same body again changes nothing
    const list = await jit('a-agent', 'GET', `/port-calls?portCallID=${P1}`);
    expect(list.body).toEqual([{ ...portCall(P1), omitted: false }]);

    callId = (await v1('a-agent', '/port-calls', filing('JIT1'))).id as string;
    expect((await jit('a-agent', 'PUT', `/terminal-calls/${T1}`, terminalCall(T1, P1))).status).toBe(204);
    const linked = await ctx.db.selectFrom('dcsa_port_calls').selectAll().where('id', '=', P1).executeTakeFirstOrThrow();
    expect(linked.port_call_id).toBe(callId);
    expect(await eventTypes(P1)).toEqual(['dcsa-jit.port-call-received', 'dcsa-jit.port-call-linked']);
    expect(await eventTypes(T1)).toEqual(['dcsa-jit.terminal-call-received']);
  });

  it('takes services, and the REQ on the berth is the requested berth time', async () => {
    const specs: [string, string, string][] = [
      [S.berth, 'BERTH', 'ARRI'],
      [S.berthDepa, 'BERTH', 'DEPA'],
      [S.cargo, 'CARGO_OPERATIONS', 'STRT'],
      [S.allFast, 'ALL_FAST', 'ARRI'],
      [S.sea, 'SEA_PASSAGE', 'STRT'],
      [S.pilotage, 'PILOTAGE', 'STRT'],
      [S.towage, 'TOWAGE', 'STRT'],
    ];
    for (const [id, type, event] of specs) {
      const phase = type === 'SEA_PASSAGE' ? 'OUTB' : 'INBD';
      expect(
        (await jit('a-agent', 'PUT', `/port-call-services/${id}`, service(id, T1, type, event, { portCallPhaseTypeCode: phase }))).status,
      ).toBe(204);
    }
    const listed = await jit('a-agent', 'GET', `/port-call-services?terminalCallID=${T1}`);
    expect((listed.body as { portCallServiceID: string; cancelled: boolean }[]).map((s) => s.portCallServiceID).sort()).toEqual(
      Object.values(S).sort(),
    );

    ctx.clock.advance(60_000);
    const req = timestamp(R1, S.berth, 'REQ', '2026-11-03T14:00:00+08:00', { remark: 'Arrive on the high tide', isFYI: false });
    expect((await jit('a-agent', 'PUT', `/timestamps/${R1}`, req)).status).toBe(204);
    const times = await requestedBerthTimes(ctx.db, [callId]);
    expect(times.get(callId)?.toISOString()).toBe('2026-11-03T06:00:00.000Z');

    // Immutable and idempotent: the same body again changes nothing; another body under the id is a 409.
    const before = await snapshot();
    expect((await jit('a-agent', 'PUT', `/timestamps/${R1}`, req)).status).toBe(204);
    expect(await snapshot()).toEqual(before);
    const changed = await jit('a-agent', 'PUT', `/timestamps/${R1}`, { ...req, dateTime: '2026-11-03T15:00:00+08:00' });
    expect(changed.status).toBe(409);
    expect(await snapshot()).toEqual(before);
    // A consumer sends REQ only.
    const pln = await jit(
      'a-agent',
      'PUT',
      `/timestamps/${randomUUID()}`,
      timestamp(randomUUID(), S.berth, 'PLN', '2026-11-03T14:00:00+08:00'),
      {
        raw: true,
      },
    );
    expect(pln.status).toBe(400); // timestampID differs from the path
    const id = randomUUID();
    expect((await jit('a-agent', 'PUT', `/timestamps/${id}`, timestamp(id, S.berth, 'PLN', '2026-11-03T14:00:00+08:00'))).status).toBe(403);
  });

  it('answers the REQ with a PLN when the platform plans the berth, the same on every read', async () => {
    ctx.clock.advance(60_000);
    await v1('a-terminal-operator', `/port-calls/${callId}/berth-plan`, {
      berthId: berth['QQCT-01'],
      start: '2026-11-03T07:00:00Z',
      end: '2026-11-04T05:00:00Z',
    });
    const first = await timestampsOf('a-agent', S.berth);
    expect(first).toHaveLength(2);
    expect(first[0]).toMatchObject({ timestampID: R1, classifierCode: 'REQ', dateTime: '2026-11-03T14:00:00+08:00' });
    expect(first[1]).toMatchObject({ classifierCode: 'PLN', replyToTimestampID: R1, dateTime: '2026-11-03T07:00:00.000Z' });
    expect(await timestampsOf('a-terminal-operator', S.berth)).toEqual(first);
    const pln = first[1] as Record<string, string>;
    expect((await jit('a-customs-officer', 'GET', `/timestamps?timestampID=${pln.timestampID}`)).body).toEqual([pln]);
    const depa = await timestampsOf('a-agent', S.berthDepa, '&classifierCode=PLN');
    expect(depa).toEqual([expect.objectContaining({ dateTime: '2026-11-04T05:00:00.000Z' })]);
    expect(depa[0]).not.toHaveProperty('replyToTimestampID');
    // The consumer may answer the plan with a new request.
    const R2 = randomUUID();
    const answer = timestamp(R2, S.berth, 'REQ', '2026-11-03T15:00:00+08:00', { replyToTimestampID: pln.timestampID });
    expect((await jit('a-agent', 'PUT', `/timestamps/${R2}`, answer)).status).toBe(204);
    expect((await requestedBerthTimes(ctx.db, [callId])).get(callId)?.toISOString()).toBe('2026-11-03T07:00:00.000Z');
    const R3 = randomUUID();
    const dangling = timestamp(R3, S.berth, 'REQ', '2026-11-03T15:00:00+08:00', { replyToTimestampID: randomUUID() });
    expect((await jit('a-agent', 'PUT', `/timestamps/${R3}`, dangling)).status).toBe(400);
  });

  it('publishes actuals from berthing (BERTH and ALL_FAST)', async () => {
    await v1('a-agent', `/port-calls/${callId}/arrival`, { at: '2026-11-03T05:30:00Z', place: 'anchorage' });
    await v1('a-terminal-operator', `/port-calls/${callId}/berthing`, { at: '2026-11-03T07:10:00Z' });
    expect(await timestampsOf('a-agent', S.berth, '&classifierCode=ACT')).toEqual([
      expect.objectContaining({ classifierCode: 'ACT', dateTime: '2026-11-03T07:10:00.000Z', portCallServiceID: S.berth }),
    ]);
    expect(await timestampsOf('a-agent', S.allFast)).toEqual([
      expect.objectContaining({ classifierCode: 'ACT', dateTime: '2026-11-03T07:10:00.000Z' }),
    ]);
  });

  it('refuses the cargo-operations ACT before pratique (with the alarm) and accepts it after', async () => {
    const ACT = randomUUID();
    const act = timestamp(ACT, S.cargo, 'ACT', '2026-11-03T07:40:00Z');
    const refused = await jit('a-terminal-operator', 'PUT', `/timestamps/${ACT}`, act);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('pratique');
    expect(await eventTypes(callId)).toContain('port-call.cargo-operations-refused');
    expect(await timestampsOf('a-agent', S.cargo)).toEqual([]);

    await inTransaction(ctx.db, (trx) =>
      recordQuarantineOutcome(trx, ctx.clock, callId, SYSTEM_ACTOR, {
        mode: 'telecom',
        pratiqueGrantedAt: new Date('2026-11-03T07:30:00Z'),
      }),
    );
    expect((await jit('a-terminal-operator', 'PUT', `/timestamps/${ACT}`, act)).status).toBe(204);
    const call = await ctx.db.selectFrom('port_calls').select('cargo_ops_started_at').where('id', '=', callId).executeTakeFirstOrThrow();
    expect(call.cargo_ops_started_at?.toISOString()).toBe('2026-11-03T07:40:00.000Z');
    // The terminal's own ACT stands for the event: it is not derived a second time.
    expect(await timestampsOf('a-agent', S.cargo)).toEqual([
      { timestampID: ACT, portCallServiceID: S.cargo, classifierCode: 'ACT', dateTime: '2026-11-03T07:40:00Z' },
    ]);
    expect((await jit('a-terminal-operator', 'PUT', `/timestamps/${ACT}`, act)).status).toBe(204);
  });

  it('stores vessel statuses and returns them newest first', async () => {
    const first = { portCallServiceID: S.berth, draft: 14.5, dimensionUnit: 'MTR', milesToDestinationPort: 12.5, isFYI: false };
    const second = {
      portCallServiceID: S.berth,
      draft: 14.2,
      airDraft: 55,
      dimensionUnit: 'MTR',
      vesselPosition: { UNLocationCode: 'CNTAO', geoCoordinate: { latitude: '35.97', longitude: '120.23' } },
    };
    expect((await jit('a-agent', 'PUT', `/vessel-statuses/${S.berth}`, first)).status).toBe(204);
    expect((await jit('a-agent', 'PUT', `/vessel-statuses/${S.berth}`, second)).status).toBe(204);
    const { isFYI: _fyi, ...shown } = first;
    expect((await jit('a-customs-officer', 'GET', `/vessel-statuses?portCallServiceID=${S.berth}`)).body).toEqual([second, shown]);
    expect((await jit('a-agent', 'PUT', `/vessel-statuses/${S.berth}`, { portCallServiceID: S.berth, draft: 14 })).status).toBe(400);
    // Moves forecasts travel on a MOVES service and come back as sent.
    const M = randomUUID();
    const moves = [
      { carrierCode: 'QLX', carrierCodeListProvider: 'SMDG', totalUnits: 3450, restows: { totalRestows: 40 } },
      {
        loadUnits: { ladenContainerUnits: { _20_units: 600, _40_units: 700, _45_units: 10 }, oogUnits: 4 },
        dischargeUnits: { emptyContainerUnits: { totalUnits: 120 } },
      },
    ];
    const bad = randomUUID();
    const noProvider = service(bad, T1, 'MOVES', 'ARRI', { moves: [{ carrierCode: 'QLX', totalUnits: 1 }] });
    expect((await jit('a-agent', 'PUT', `/port-call-services/${bad}`, noProvider, { raw: true })).status).toBe(400);
    expect((await jit('a-agent', 'PUT', `/port-call-services/${M}`, service(M, T1, 'MOVES', 'ARRI', { moves }))).status).toBe(204);
    expect((await jit('a-agent', 'GET', `/port-call-services?portCallServiceID=${M}`)).body).toEqual([expect.objectContaining({ moves })]);
    const nowhere = await ctx.app.inject({
      url: `${PREFIX}/no-such-thing`,
      headers: { authorization: `Bearer ${tokens['a-agent'] as string}` },
    });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json()).toMatchObject({ statusCode: 404, statusCodeText: 'Not Found' });
    expect(nowhere.headers['api-version']).toBe('2.0.0');
  });

  it('cancels (provider) and declines (consumer) services, each final and an event', async () => {
    expect(
      (await jit('a-terminal-operator', 'POST', `/port-call-services/${S.pilotage}/cancel`, { reason: 'No pilot available' })).status,
    ).toBe(204);
    expect((await jit('a-terminal-operator', 'POST', `/port-call-services/${S.pilotage}/cancel`, { reason: 'again' })).status).toBe(204);
    expect((await jit('a-agent', 'POST', `/port-call-services/${S.towage}/decline`, { reason: 'Own tugs' })).status).toBe(204);
    expect((await jit('a-terminal-operator', 'POST', `/port-call-services/${S.towage}/cancel`, {})).status).toBe(409);
    expect((await jit('a-agent', 'POST', `/port-call-services/${S.pilotage}/decline`, {})).status).toBe(409);
    expect((await jit('a-agent', 'POST', `/port-call-services/${S.cargo}/cancel`, {})).status).toBe(403);
    const id = randomUUID();
    expect((await jit('a-agent', 'PUT', `/timestamps/${id}`, timestamp(id, S.pilotage, 'REQ', '2026-11-03T05:00:00Z'))).status).toBe(409);
    const pilotage = (await jit('a-agent', 'GET', `/port-call-services?portCallServiceID=${S.pilotage}`)).body as Record<string, unknown>[];
    expect(pilotage[0]).toMatchObject({ cancelled: true, declined: false });
    expect(await eventTypes(S.pilotage)).toEqual(['dcsa-jit.service-received', 'dcsa-jit.service-cancelled']);
    expect(await eventTypes(S.towage)).toEqual(['dcsa-jit.service-received', 'dcsa-jit.service-declined']);
  });

  it('publishes the departure (BERTH DEPA and the outbound SEA_PASSAGE start)', async () => {
    await v1('a-terminal-operator', `/port-calls/${callId}/cargo-operations/complete`, { at: '2026-11-04T03:00:00Z' });
    await v1('a-agent', `/port-calls/${callId}/departure-report`, { etd: '2026-11-04T05:00:00Z' });
    await v1('a-agent', `/port-calls/${callId}/departure`, { at: '2026-11-04T05:20:00Z' });
    expect(await timestampsOf('a-agent', S.berthDepa, '&classifierCode=ACT')).toEqual([
      expect.objectContaining({ dateTime: '2026-11-04T05:20:00.000Z' }),
    ]);
    expect(await timestampsOf('a-agent', S.sea)).toEqual([
      expect.objectContaining({ classifierCode: 'ACT', dateTime: '2026-11-04T05:20:00.000Z' }),
    ]);
  });

  it('omits a terminal call and a port call: their services are cancelled, they no longer change', async () => {
    const P2 = randomUUID();
    const T2 = randomUUID();
    const T3 = randomUUID();
    const S2 = randomUUID();
    const S3 = randomUUID();
    expect((await jit('a-agent', 'PUT', `/port-calls/${P2}`, portCall(P2, { portVisitReference: 'CNTAO-2026-0002' }))).status).toBe(204);
    expect((await jit('a-agent', 'PUT', `/terminal-calls/${T2}`, terminalCall(T2, P2))).status).toBe(204);
    expect((await jit('a-agent', 'PUT', `/terminal-calls/${T3}`, terminalCall(T3, P2, { terminalCallSequenceNumber: 2 }))).status).toBe(
      204,
    );
    expect((await jit('a-agent', 'PUT', `/port-call-services/${S2}`, service(S2, T2, 'BERTH', 'ARRI'))).status).toBe(204);
    expect((await jit('a-agent', 'PUT', `/port-call-services/${S3}`, service(S3, T3, 'MOORING', 'STRT'))).status).toBe(204);

    expect((await jit('a-agent', 'POST', `/terminal-calls/${T2}/omit`, { reason: 'Berth window lost', isFYI: false })).status).toBe(204);
    expect((await jit('a-agent', 'GET', `/terminal-calls?terminalCallID=${T2}`)).body).toEqual([
      expect.objectContaining({ omitted: true }),
    ]);
    expect((await jit('a-agent', 'GET', `/port-call-services?portCallServiceID=${S2}`)).body).toEqual([
      expect.objectContaining({ cancelled: true }),
    ]);
    expect((await jit('a-agent', 'PUT', `/terminal-calls/${T2}`, terminalCall(T2, P2, { terminalCallReference: 'X' }))).status).toBe(409);

    expect((await jit('a-terminal-operator', 'POST', `/port-calls/${P2}/omit`, { reason: 'Engine failure' })).status).toBe(204);
    expect((await jit('a-agent', 'GET', `/port-calls?portVisitReference=CNTAO-2026-0002`)).body).toEqual([
      expect.objectContaining({ omitted: true }),
    ]);
    expect((await jit('a-agent', 'GET', `/terminal-calls?portCallID=${P2}`)).body).toEqual([
      expect.objectContaining({ omitted: true }),
      expect.objectContaining({ omitted: true }),
    ]);
    expect((await jit('a-agent', 'GET', `/port-call-services?portCallServiceID=${S3}`)).body).toEqual([
      expect.objectContaining({ cancelled: true }),
    ]);
    expect((await jit('a-agent', 'PUT', `/port-calls/${P2}`, portCall(P2))).status).toBe(409);
    const T4 = randomUUID();
    expect((await jit('a-agent', 'PUT', `/terminal-calls/${T4}`, terminalCall(T4, P2))).status).toBe(409);
    expect(await eventTypes(P2)).toEqual(['dcsa-jit.port-call-received', 'dcsa-jit.port-call-omitted']);
    expect(await eventTypes(T2)).toEqual(['dcsa-jit.terminal-call-received', 'dcsa-jit.terminal-call-omitted']);
  });

  it('answers a request that does not match the schema with a 400 ErrorResponse, changing nothing', async () => {
    const before = await snapshot();
    const P = randomUUID();
    const T = randomUUID();
    const id = randomUUID();
    const bad: [string, string, unknown, string][] = [
      ['PUT', `/port-calls/${P}`, portCall(P, { UNLocationCode: 'cntao' }), 'UNLocationCode'],
      ['PUT', `/port-calls/${P}`, { portCallID: P, UNLocationCode: 'CNTAO' }, 'vessel'],
      ['PUT', `/terminal-calls/${T}`, { ...terminalCall(T, P1), carrierServiceCode: undefined }, 'carrierServiceCode'],
      ['PUT', `/timestamps/${id}`, timestamp(id, S.berth, 'XXX', '2026-11-03T14:00:00+08:00'), 'classifierCode'],
      ['PUT', `/timestamps/${id}`, timestamp(id, S.berth, 'REQ', 'tomorrow'), 'dateTime'],
    ];
    for (const [method, path, body, property] of bad) {
      expect(spec.requestErrors(method, template(path), body), `the spec refuses it too: ${property}`).not.toEqual([]);
      const res = await jit('a-agent', method as 'PUT', path, body, { raw: true });
      expect(res.status, property).toBe(400);
      const err = res.body as { statusCode: number; errors: { property?: string; errorCode: number }[] };
      expect(err.statusCode).toBe(400);
      expect(
        err.errors.map((e) => e.property),
        property,
      ).toContain(property);
      expect(err.errors[0]?.errorCode).toBe(7003);
    }
    // Not in the schema but in the spec's prose: unknown service types, event codes that do not fit.
    const s = randomUUID();
    expect((await jit('a-agent', 'PUT', `/port-call-services/${s}`, service(s, T1, 'BERTH', 'STRT'))).status).toBe(400);
    expect((await jit('a-agent', 'PUT', `/port-call-services/${s}`, service(s, T1, 'TELEPORT', 'STRT'))).status).toBe(400);
    // API-Version carries the major version only.
    const v = await jit('a-agent', 'PUT', `/port-calls/${P}`, portCall(P), { headers: { 'API-Version': '2.0.0' } });
    expect(v.status).toBe(400);
    expect((await jit('a-agent', 'GET', '/port-calls')).status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('keeps every record to its tenant: another agent can neither read nor write them', async () => {
    const before = await snapshot();
    expect((await jit('b-agent', 'GET', `/port-calls?portCallID=${P1}`)).body).toEqual([]);
    expect((await jit('b-agent', 'GET', `/terminal-calls?portCallID=${P1}`)).body).toEqual([]);
    expect((await jit('b-agent', 'GET', `/port-call-services?terminalCallID=${T1}`)).body).toEqual([]);
    expect((await jit('b-agent', 'GET', `/timestamps?portCallServiceID=${S.berth}`)).body).toEqual([]);
    expect((await jit('b-agent', 'GET', `/timestamps?timestampID=${R1}`)).body).toEqual([]);
    expect((await jit('b-agent', 'GET', `/vessel-statuses?portCallServiceID=${S.berth}`)).body).toEqual([]);
    expect((await jit('b-customs-officer', 'GET', `/port-calls?portCallID=${P1}`)).body).toEqual([]);
    expect((await jit('a-risk-analyst', 'GET', `/port-calls?portCallID=${P1}`)).body).toEqual([
      expect.objectContaining({ portCallID: P1 }),
    ]);

    expect((await jit('b-agent', 'PUT', `/port-calls/${P1}`, portCall(P1))).status).toBe(404);
    expect((await jit('b-agent', 'POST', `/port-calls/${P1}/omit`, {})).status).toBe(404);
    expect((await jit('b-agent', 'PUT', `/terminal-calls/${T1}`, terminalCall(T1, P1))).status).toBe(404);
    const T9 = randomUUID();
    expect((await jit('b-agent', 'PUT', `/terminal-calls/${T9}`, terminalCall(T9, P1))).status).toBe(400); // the spec: unknown portCallID
    expect((await jit('b-agent', 'POST', `/port-call-services/${S.berth}/decline`, {})).status).toBe(404);
    expect((await jit('b-terminal-operator', 'POST', `/port-call-services/${S.berth}/cancel`, {})).status).toBe(404);
    expect((await jit('b-agent', 'PUT', `/vessel-statuses/${S.berth}`, { portCallServiceID: S.berth })).status).toBe(404);
    expect((await jit('b-agent', 'PUT', `/timestamps/${R1}`, timestamp(R1, S.berth, 'REQ', '2026-11-03T14:00:00+08:00'))).status).toBe(404);
    expect((await jit('a-customs-officer', 'PUT', `/port-calls/${P1}`, portCall(P1))).status).toBe(403);
    expect((await jit('a-declarant', 'GET', `/port-calls?portCallID=${P1}`)).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});
