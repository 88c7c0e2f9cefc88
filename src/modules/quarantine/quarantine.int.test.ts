import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, createTestApp, login, seedTenants, type TestContext } from '../../../test/app.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';
import { HEALTH_QUESTIONS } from './quarantine.rules.ts';

let ctx: TestContext;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);

const no = Object.fromEntries(HEALTH_QUESTIONS.map((q) => [q, false]));
let voyage = 0;
// The test clock stands at 2026-11-01T08:00Z; ETA two days later.
const fileCall = async (over: Record<string, unknown> = {}): Promise<string> => {
  voyage += 1;
  const r = await call('a-agent', 'POST', '/api/v1/port-calls', {
    portLocode: 'CNTAO',
    declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
    vessel: { imo: '1001037', draftM: 14 },
    voyage: `Q${voyage}`,
    lastPort: 'KRPUS',
    lastPortDeparture: '2026-11-02T02:00:00Z',
    eta: '2026-11-03T08:00:00Z',
    etd: '2026-11-04T08:00:00Z',
    purpose: 'cargo',
    cargoType: 'container',
    crewCount: 22,
    dangerousGoods: false,
    ...over,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};
const declaration = (over: Record<string, unknown> = {}) => ({
  healthDeclaration: { master: 'LI Wei', answers: no },
  sanitationCertificate: { number: 'SSCC-QD-2026-0117', issuedOn: '2026-03-01', issuedAt: 'CNTAO' },
  crewHealth: { feverCount: 0, illCount: 0 },
  ...over,
});
const declare = async (callId: string, over: Record<string, unknown> = {}) =>
  call('a-agent', 'POST', `/api/v1/port-calls/${callId}/quarantine`, declaration(over));
const officer = (caseId: string, step: string, body: Record<string, unknown> = {}) =>
  call('a-customs-officer', 'POST', `/api/v1/quarantine-cases/${caseId}/${step}`, body);

beforeAll(async () => {
  ctx = await createTestApp();
  await seedTenants(ctx);
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  for (const u of [
    'a-agent',
    'b-agent',
    'a-customs-officer',
    'b-customs-officer',
    'a-risk-analyst',
    'a-terminal-operator',
    'a-declarant',
  ]) {
    tokens[u] = await login(ctx.app, u);
  }
});
afterAll(async () => ctx.close());

describe('the health declaration and its risk assessment', () => {
  it('assesses a clean ship with a valid certificate for radio pratique; the agent sees the decision, not the reasons', async () => {
    const callId = await fileCall();
    const r = await declare(callId);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      state: 'assessed',
      proposedMode: 'telecom',
      forcedMode: null,
      lateDeclaration: false,
      assessment: null,
    });
    expect(r.body.healthDeclaration).toMatchObject({
      header: { shipName: 'QILU DEMO EXPRESS', imo: '1001037', portOfArrival: 'CNTAO', crewCount: 22, master: 'LI Wei' },
    });
    const seen = await call('a-customs-officer', 'GET', `/api/v1/quarantine-cases/${r.body.id as string}`);
    expect(seen.body.assessment).toEqual({ ruleSetVersion: 1, score: 0, reasons: [] });
    expect((await call('b-customs-officer', 'GET', `/api/v1/quarantine-cases/${r.body.id as string}`)).status).toBe(404);
    expect((await call('b-agent', 'GET', `/api/v1/port-calls/${callId}/quarantine`)).status).toBe(404);
    const byCall = await call('a-agent', 'GET', `/api/v1/quarantine-cases?portCallId=${callId}`);
    expect((byCall.body.items as { id: string }[]).map((c) => c.id)).toEqual([r.body.id]);
    expect((await call('b-agent', 'GET', `/api/v1/quarantine-cases?portCallId=${callId}`)).body.items).toEqual([]);
    expect((await call('a-terminal-operator', 'GET', `/api/v1/quarantine-cases/${r.body.id as string}`)).status).toBe(403);
    const assessed = await ctx.db
      .selectFrom('events')
      .select(['org_ids', 'actor_type', 'actor_id'])
      .where('type', '=', 'quarantine.risk-assessed')
      .where('aggregate_id', '=', r.body.id as string)
      .executeTakeFirstOrThrow();
    expect(assessed).toMatchObject({ org_ids: [], actor_type: 'rule', actor_id: 'quarantine-risk@v1' });
  });

  it('refuses a declaration with an unanswered question or a bad port, storing nothing; and a second declaration', async () => {
    const callId = await fileCall();
    const { stowaways: _omitted, ...eight } = no;
    const missing = await declare(callId, { healthDeclaration: { master: 'LI Wei', answers: eight } });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.error)).toContain('stowaways');
    const badPort = await declare(callId, { sanitationCertificate: { number: 'X', issuedOn: '2026-03-01', issuedAt: 'XX1' } });
    expect(badPort.status).toBe(400);
    expect(badPort.body.error?.details?.[0]?.path).toBe('/sanitationCertificate/issuedAt');
    expect(await ctx.db.selectFrom('quarantine_cases').select('id').where('port_call_id', '=', callId).execute()).toEqual([]);
    expect((await declare(callId)).status).toBe(201);
    expect((await declare(callId)).status).toBe(409);
  });

  it('forces anchorage for a port of call in an affected area within 30 days, and the officer may not choose less', async () => {
    const callId = await fileCall({
      portsOfCall: [
        { locode: 'BRSSZ', departedAt: '2026-10-10T00:00:00Z' },
        { locode: 'KRPUS', departedAt: '2026-11-02T02:00:00Z' },
      ],
    });
    const r = await declare(callId);
    expect(r.body).toMatchObject({ proposedMode: 'anchorage', forcedMode: 'anchorage' });
    const id = r.body.id as string;
    const reasons = (await call('a-customs-officer', 'GET', `/api/v1/quarantine-cases/${id}`)).body.assessment as {
      reasons: { ruleId: string; detail: string }[];
    };
    expect(reasons.reasons).toEqual([expect.objectContaining({ ruleId: 'affected-area', detail: 'BRSSZ (BR: yellow-fever)' })]);
    const lenient = await officer(id, 'mode', { mode: 'telecom' });
    expect(lenient.status).toBe(422);
    expect(lenient.body.error?.details?.[0]?.path).toBe('/mode');
    expect((await officer(id, 'mode', { mode: 'anchorage' })).body.state).toBe('mode-assigned');
    expect((await officer(id, 'remote-session')).status).toBe(409);
    expect((await officer(id, 'boarding', { at: '2026-11-03T07:00:00Z' })).body.state).toBe('boarding');
    const granted = await officer(id, 'pratique', { at: '2026-11-03T08:30:00Z' });
    expect(granted.body).toMatchObject({ state: 'pratique-granted', durationMinutes: 90 });
  });

  it('ignores an affected-area visit older than 30 days before ETA, and an alert that had ended', async () => {
    const old = await declare(await fileCall({ portsOfCall: [{ locode: 'BRSSZ', departedAt: '2026-09-01T00:00:00Z' }] }));
    expect(old.body.forcedMode).toBeNull();
    const ended = await declare(await fileCall({ portsOfCall: [{ locode: 'YEADE', departedAt: '2026-10-20T00:00:00Z' }] }));
    expect(ended.body.forcedMode).toBeNull();
  });

  it('flags a late declaration and an expired certificate into a stricter mode', async () => {
    const callId = await fileCall({ eta: '2026-11-02T06:00:00Z', lastPortDeparture: '2026-11-01T00:00:00Z' });
    const r = await declare(callId, { sanitationCertificate: { number: 'OLD', issuedOn: '2025-10-01', issuedAt: 'CNTAO' } });
    expect(r.body).toMatchObject({ lateDeclaration: true, proposedMode: 'berth' });
  });
});

describe('smart remote quarantine', () => {
  it('runs a session, refuses a pass while findings are missing, then grants pratique that lets cargo work start', async () => {
    const callId = await fileCall({ passengerCount: 12 });
    const id = (await declare(callId)).body.id as string;
    expect((await call('a-agent', 'POST', `/api/v1/quarantine-cases/${id}/mode`, { mode: 'smart-remote' })).status).toBe(403);
    const stale = await officer(id, 'mode', { mode: 'smart-remote', expectedVersion: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('quarantine.stale-version');
    expect((await officer(id, 'mode', { mode: 'smart-remote', expectedVersion: 1 })).body).toMatchObject({
      state: 'mode-assigned',
      mode: 'smart-remote',
    });
    expect((await call('a-agent', 'GET', `/api/v1/port-calls/${callId}`)).body.quarantineMode).toBe('smart-remote');
    expect((await officer(id, 'remote-session', { at: '2026-11-03T06:00:00Z' })).body.state).toBe('remote-session');
    const early = await officer(id, 'pratique', { at: '2026-11-03T06:10:00Z' });
    expect(early.status).toBe(422);
    expect(early.body.error?.message).toContain('no temperature screening recorded');
    const findings = await officer(id, 'remote-findings', {
      temperatures: [
        { person: 'Master', celsius: 36.6 },
        { person: 'Cook', celsius: 36.9 },
      ],
      medicalLog: { fileName: 'medical-log-061E.pdf', sha256: 'a'.repeat(64), pages: 4 },
      video: { satisfactory: true, findings: 'Galley, provision stores and mess clean; no rodent signs' },
    });
    expect(findings.body.remoteSession).toMatchObject({
      temperatures: [{ person: 'Master' }, { person: 'Cook' }],
      medicalLog: { pages: 4 },
    });
    const passed = await officer(id, 'pratique', { at: '2026-11-03T06:14:00Z' });
    expect(passed.body).toMatchObject({
      state: 'pratique-granted',
      durationMinutes: 14,
      certificateNo: expect.stringMatching(/^CNTAO-20261103-/),
    });
    const portCall = (await call('a-agent', 'GET', `/api/v1/port-calls/${callId}`)).body;
    expect(portCall.pratiqueGrantedAt).toBe('2026-11-03T06:14:00.000Z');
    const types = (await ctx.db.selectFrom('events').select('type').where('aggregate_id', '=', id).orderBy('seq').execute()).map(
      (e) => e.type,
    );
    expect(types).toEqual([
      'quarantine.declared',
      'quarantine.risk-assessed',
      'quarantine.mode-assigned',
      'quarantine.remote-session-started',
      'quarantine.remote-findings-recorded',
      'quarantine.certificate-issued',
      'quarantine.pratique-granted',
    ]);
  });

  it('escalates to boarding when a temperature is over the threshold', async () => {
    const id = (await declare(await fileCall({ passengerCount: 40 }))).body.id as string;
    await officer(id, 'mode', { mode: 'smart-remote' });
    await officer(id, 'remote-session', { at: '2026-11-03T06:00:00Z' });
    await officer(id, 'remote-findings', {
      temperatures: [{ person: 'Passenger 17', celsius: 38.2 }],
      medicalLog: { fileName: 'log.pdf', sha256: 'b'.repeat(64) },
      video: { satisfactory: true, findings: 'ok' },
    });
    const refused = await officer(id, 'pratique', { at: '2026-11-03T06:30:00Z' });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.message).toContain('Passenger 17 38.2 °C');
    const escalated = await officer(id, 'escalation', { reason: 'Fever screened at the gangway camera', at: '2026-11-03T06:20:00Z' });
    expect(escalated.body).toMatchObject({ state: 'boarding', escalationReason: 'Fever screened at the gangway camera' });
    expect((await officer(id, 'pratique', { at: '2026-11-03T08:00:00Z' })).body.durationMinutes).toBe(120);
  });
});

describe('quarantine KPIs and rule-set versions', () => {
  it('computes duration, remote share and escalation rate from the recorded times', async () => {
    const k = (await call('a-customs-officer', 'GET', '/api/v1/quarantine/kpis')).body;
    // granted so far: anchorage 90 min (boarding), smart remote 14 min, escalated 120 min
    expect(k).toMatchObject({ granted: 3, medianDurationMinutes: 90, meanDurationMinutes: 74.7, remoteShare: 0.333, escalationRate: 0.5 });
    expect(k.hoursSavedBeforeBerthing).toBeCloseTo((90 + 14 + 120) / 60, 2);
    expect((await call('b-customs-officer', 'GET', '/api/v1/quarantine/kpis')).body).toMatchObject({
      cases: 0,
      granted: 0,
      medianDurationMinutes: null,
    });
    const granted = await call('a-customs-officer', 'GET', '/api/v1/quarantine-cases?state=pratique-granted');
    expect((granted.body.items as { state: string; vessel: { imo: string } }[]).map((c) => [c.state, c.vessel.imo])).toEqual(
      Array.from({ length: 3 }, () => ['pratique-granted', '1001037']),
    );
  });

  it('lets a risk analyst publish a new version that later declarations use; traders may not read rules', async () => {
    const active = (await call('a-risk-analyst', 'GET', '/api/v1/quarantine/rule-sets/active')).body as {
      version: number;
      document: Record<string, unknown>;
    };
    expect(active.version).toBe(1);
    const bad = await call('a-risk-analyst', 'POST', '/api/v1/quarantine/rule-sets', {
      document: { ...active.document, feverCelsius: 50 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error?.details)).toContain('/document/feverCelsius');
    const stricter = { ...active.document, modeByScore: [{ maxScore: null, mode: 'smart-remote' }] };
    const published = await call('a-risk-analyst', 'POST', '/api/v1/quarantine/rule-sets', {
      document: stricter,
      note: 'No radio pratique this week',
    });
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(2);
    const r = await declare(await fileCall());
    const seen = await call('a-customs-officer', 'GET', `/api/v1/quarantine-cases/${r.body.id as string}`);
    expect(seen.body).toMatchObject({ proposedMode: 'smart-remote', assessment: { ruleSetVersion: 2 } });
    expect((await call('a-declarant', 'GET', '/api/v1/quarantine/rule-sets')).status).toBe(403);
    expect((await call('a-agent', 'GET', '/api/v1/quarantine/rule-sets/active')).status).toBe(403);
  });
});
