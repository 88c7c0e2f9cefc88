import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, createTestApp, login, seedTenants, type TenantOrgs, type TestContext } from '../../../test/app.ts';
import { containerNumber } from '../../core/codes.ts';
import { SYSTEM_ACTOR } from '../../events/event-log.ts';
import { fanOut } from '../../events/webhooks.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';
import { publishPolicy } from '../policies/index.ts';
import { CUSTOMS_RISK_POLICY, type RiskRuleSet } from '../risk/index.ts';
import { observeArrivals } from './declarations.commands.ts';

let ctx: TestContext;
let orgs: TenantOrgs;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);

const box = containerNumber;
const BOX = {
  release: box('MSC', 100001),
  doc: box('MSC', 100002),
  scan: box('MSC', 100003),
  manual: box('MSC', 100004),
  two: box('MSC', 100005),
  cars: box('MSC', 100006),
};
const EXPORT_BOX = box('COS', 200001);
// Enterprises of the demo set, given to tenant A's declarant below.
const ADVANCED = '3702930001';
const GENERAL_CERTIFIED = '3702940002';

// One rule per HS heading, and no random selection: each bill's channel is known in advance.
const TEST_RULES: RiskRuleSet = {
  rules: [
    { id: 'computers', condition: 'hs startsWith "8471"', channel: 'document-review', reasonZh: '单证审核', reasonEn: 'documents' },
    { id: 'tyres', condition: 'hs startsWith "4011"', channel: 'machine-scan', reasonZh: '机检', reasonEn: 'scan' },
    { id: 'phones', condition: 'hs startsWith "8517"', channel: 'manual-inspection', reasonZh: '人工查验', reasonEn: 'manual' },
    { id: 'cars', condition: 'hs startsWith "8703"', channel: 'machine-then-manual', reasonZh: '机检后人工', reasonEn: 'scan then manual' },
  ],
  referenceValues: [],
  sensitiveWords: [],
  randomSelection: {
    seed: 'test',
    channel: 'machine-scan',
    rates: { 'advanced-certified': 0, 'general-certified': 0, general: 0, discredited: 0 },
  },
};

const goods = (hsCode: string, description: string, kg: number, equipment: string) => ({
  description,
  hsCode: hsCode.slice(0, 6),
  packages: 10,
  grossKg: kg + 500,
  netKg: kg,
  equipment: [equipment],
});
const bill = (number: string, g: ReturnType<typeof goods>) => ({ number, consignee: 'Demo Import & Export', goods: [g] });

const declaration = (billNumber: string, containers: string[], hsCode: string, over: Record<string, unknown> = {}) => ({
  direction: 'import',
  procedure: 'standard',
  enterpriseCode: ADVANCED,
  customsCode: '4218',
  transport: { mode: '2', vesselName: 'TEST VESSEL', voyage: '301E', billNumber, containerNumbers: containers },
  tradeMode: '0110',
  transactionTerms: 'CIF',
  tradeCountry: 'KR',
  packages: 10,
  packageType: 'CT',
  grossKg: 10_500,
  netKg: 10_000,
  currency: 'USD',
  items: [
    { hsCode, description: 'goods as declared', quantity: 6_000, unit: 'KG', netKg: 6_000, value: 60_000, origin: 'KR' },
    { hsCode, description: 'more of the same', quantity: 4_000, unit: 'KG', netKg: 4_000, value: 40_000, origin: 'KR' },
  ],
  ...over,
});

let callId: string;
const hooks: Record<string, string> = {};
const ARRIVED_AT = '2026-11-02T00:00:00.000Z';

const USERS = ['a-agent', 'a-terminal-operator', 'a-customs-officer', 'b-customs-officer', 'a-declarant', 'b-declarant', 'a-risk-analyst'];
/** Moves the clock and signs everyone in again (tokens live 15 minutes of clock time). */
const setClock = async (at: string): Promise<void> => {
  ctx.clock.set(new Date(at));
  for (const u of USERS) {
    tokens[u] = await login(ctx.app, u);
  }
};

const countRows = async (table: 'declarations' | 'events' | 'customs_instructions'): Promise<number> =>
  Number(
    (
      await ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const gate = async (containerNumber: string, move: 'gate-out' | 'load') => {
  const r = await call('a-terminal-operator', 'POST', '/api/v1/gate-checks', { containerNumber, move });
  expect(r.status).toBe(200);
  return r.body as { allowed: boolean; instruction: { code: string } | null };
};

beforeAll(async () => {
  ctx = await createTestApp();
  ({ orgs } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  await ctx.db.updateTable('terminals').set({ operator_org_id: orgs.A.terminal.id }).where('code', 'in', ['QQCT', 'QQCTN']).execute();
  await ctx.db.updateTable('enterprises').set({ org_id: orgs.A.enterprise.id }).execute();
  await publishPolicy(
    { db: ctx.db, clock: ctx.clock },
    {
      kind: CUSTOMS_RISK_POLICY,
      document: TEST_RULES,
      effectiveFrom: new Date('2026-10-01T00:00:00Z'),
      actor: SYSTEM_ACTOR,
      allowBackdating: true,
    },
  );
  await setClock('2026-11-01T08:00:00Z');
  // the terminal's and the declarant's systems listen: instructions, and the declarant's own statuses
  await fanOut(ctx.db, ctx.clock);
  for (const [who, eventTypes] of [
    ['a-terminal-operator', ['customs.instruction-issued']],
    ['a-declarant', ['*']],
  ] as const) {
    const sub = await call(who, 'POST', '/api/v1/webhooks', {
      url: 'https://hooks.example.invalid/portcluster',
      eventTypes: [...eventTypes],
    });
    expect(sub.status).toBe(201);
    hooks[who] = sub.body.id as string;
  }
  const berth = (await ctx.db.selectFrom('berths').select('id').where('code', '=', 'QQCT-01').executeTakeFirstOrThrow()).id;
  const filed = await call('a-agent', 'POST', '/api/v1/port-calls', {
    portLocode: 'CNTAO',
    declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
    vessel: { imo: '1001037', draftM: 14.5 },
    voyage: '301E',
    lastPort: 'KRPUS',
    lastPortDeparture: '2026-10-31T00:00:00Z',
    eta: '2026-11-02T00:00:00Z',
    etd: '2026-11-04T00:00:00Z',
    purpose: 'cargo',
    cargoType: 'container',
    crewCount: 20,
    dangerousGoods: false,
  });
  expect(filed.status).toBe(201);
  callId = filed.body.id as string;
  const plan = await call('a-terminal-operator', 'POST', `/api/v1/port-calls/${callId}/berth-plan`, {
    berthId: berth,
    start: '2026-11-02T02:00:00Z',
    end: '2026-11-03T20:00:00Z',
  });
  expect(plan.status).toBe(200);
  const manifest = await call('a-agent', 'POST', '/api/v1/manifests', {
    kind: 'import-original',
    portCallId: callId,
    documentNumber: 'MF-301E',
    bills: [
      bill('BL-REL', goods('1201900000', 'Soya beans', 10_000, BOX.release)),
      bill('BL-DOC', goods('8471300000', 'Portable computers', 10_000, BOX.doc)),
      bill('BL-SCAN', goods('4011200000', 'Lorry tyres', 10_000, BOX.scan)),
      bill('BL-MAN', goods('8517130000', 'Smartphones', 10_000, BOX.manual)),
      bill('BL-TWO', goods('1201900000', 'Soya beans', 10_000, BOX.two)),
      bill('BL-CARS', goods('8703230000', 'Passenger cars', 10_000, BOX.cars)),
    ],
    equipment: Object.values(BOX).map((number) => ({ number, sizeType: '45G1', fullness: 'full' })),
  });
  expect(manifest.status, JSON.stringify(manifest.body)).toBe(201);
});
afterAll(async () => ctx.close());

describe('declarations', () => {
  let advanceId: string;

  it('an advance declaration on the release channel is released on arrival, and the terminal gets instruction 2', async () => {
    const r = await call('a-declarant', 'POST', '/api/v1/declarations', declaration('BL-REL', [BOX.release], '1201900000'));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    advanceId = r.body.id as string;
    expect(r.body).toMatchObject({ status: 'J', manifestMatched: true, releasedAt: null, goodsArrivedAt: null });
    expect(r.body.entryId).toMatch(/^42182026100000000\d$/);
    expect(r.body.releaseAuthorisedAt).not.toBeNull();
    // no risk data for the trader, in the declaration or its history
    expect(r.body).not.toHaveProperty('channel');
    expect(r.body).not.toHaveProperty('risk');
    const history = await call('a-declarant', 'GET', `/api/v1/declarations/${advanceId}/history`);
    expect((history.body as unknown as { type: string }[]).map((e) => e.type)).toEqual([
      'declaration.received',
      'declaration.reviewed',
      'declaration.release-authorised',
    ]);
    // written in one go as reviewed, the steps still read L v1 → J v2 → J v3 (authorised)
    const steps = (history.body as unknown as { payload: { status: string; version: number } }[]).map((e) => [
      e.payload.status,
      e.payload.version,
    ]);
    expect(steps).toEqual([
      ['L', 1],
      ['J', 2],
      ['J', 3],
    ]);
    const officer = await call('a-customs-officer', 'GET', `/api/v1/declarations/${advanceId}`);
    expect(officer.body).toMatchObject({ channel: 'release', risk: { channel: 'release', fired: [] } });
    expect((await gate(BOX.release, 'gate-out')).allowed).toBe(false);

    // the ship arrives; the arrival sweep releases the goods
    const arrived = await call('a-agent', 'POST', `/api/v1/port-calls/${callId}/arrival`, { at: ARRIVED_AT, place: 'anchorage' });
    expect(arrived.status).toBe(200);
    await setClock('2026-11-02T06:00:00Z');
    expect(await observeArrivals({ db: ctx.db, clock: ctx.clock })).toEqual({ arrived: 1, released: 1 });
    const after = await call('a-declarant', 'GET', `/api/v1/declarations/${advanceId}`);
    expect(after.body).toMatchObject({ status: 'P', goodsArrivedAt: ARRIVED_AT, releasedAt: '2026-11-02T06:00:00.000Z' });
    const g = await gate(BOX.release, 'gate-out');
    expect(g).toMatchObject({ allowed: true, instruction: { code: '2' } });
    const cusres = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/declarations/${advanceId}/cusres`,
      headers: { authorization: `Bearer ${tokens['a-declarant']}` },
    });
    expect(cusres.statusCode).toBe(200);
    expect(cusres.body).toContain("GIS+ACC::ZZZ'");
    expect(cusres.body).toContain("GIS+REL::ZZZ'");
  });

  it('document review: of two officers reviewing at once exactly one succeeds, the other gets 409; then release', async () => {
    await setClock('2026-11-02T08:00:00Z');
    const r = await call('a-declarant', 'POST', '/api/v1/declarations', declaration('BL-DOC', [BOX.doc], '8471300000'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'L', goodsArrivedAt: ARRIVED_AT });
    const id = r.body.id as string;
    const queue = await call('a-customs-officer', 'GET', '/api/v1/declarations?channel=document-review&status=L');
    expect((queue.body.items as { id: string }[]).map((d) => d.id)).toEqual([id]);
    const both = await Promise.all([
      call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/review`, {}),
      call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/review`, {}),
    ]);
    expect(both.map((b) => b.status).sort()).toEqual([200, 409]);
    const stale = await call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/release`, { expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.details?.[0]?.path).toBe('/expectedVersion');
    await setClock('2026-11-02T12:00:00Z');
    const released = await call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/release`, {});
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'P', releasedAt: '2026-11-02T12:00:00.000Z' });
    expect(await gate(BOX.doc, 'gate-out')).toMatchObject({ allowed: true, instruction: { code: '2' } });
    const amend = await call('a-declarant', 'POST', `/api/v1/declarations/${id}/amendments`, {
      document: declaration('BL-DOC', [BOX.doc], '8471300000'),
    });
    expect(amend.status).toBe(409);
    expect(amend.body.error?.code).toBe('declarations.amendment-not-allowed');
    expect(amend.body.error?.details?.[0]?.path).toBe('/document');
  });

  it('machine scan: inspection order B holds the box at the gate until the scan is clear and customs releases', async () => {
    const r = await call('a-declarant', 'POST', '/api/v1/declarations', declaration('BL-SCAN', [BOX.scan], '4011200000'));
    const id = r.body.id as string;
    expect(r.body.status).toBe('L');
    const step = async (command: string, body: Record<string, unknown> = {}) => {
      const s = await call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/${command}`, body);
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      return s.body;
    };
    await step('review');
    await setClock('2026-11-02T13:00:00Z');
    expect(await step('order-inspection')).toMatchObject({ status: 'C' });
    expect(await gate(BOX.scan, 'gate-out')).toMatchObject({ allowed: false, instruction: { code: 'B' } });
    // releasing while the inspection is open is refused
    const early = await call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/release`, {});
    expect(early.status).toBe(409);
    expect(await step('record-inspection', { outcome: 'clear' })).toMatchObject({ status: 'J' });
    await setClock('2026-11-02T18:00:00Z');
    expect(await step('release')).toMatchObject({ status: 'P' });
    expect(await gate(BOX.scan, 'gate-out')).toMatchObject({ allowed: true, instruction: { code: '2' } });
  });

  it('manual inspection with a discrepancy suspends the declaration; the box stays held', async () => {
    const r = await call('a-declarant', 'POST', '/api/v1/declarations', declaration('BL-MAN', [BOX.manual], '8517130000'));
    const id = r.body.id as string;
    const officer = await call('a-customs-officer', 'GET', `/api/v1/declarations/${id}`);
    expect(officer.body).toMatchObject({ channel: 'manual-inspection', risk: { fired: [{ ruleId: 'phones' }] } });
    await call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/review`, {});
    const ordered = await call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/order-inspection`, {});
    expect(ordered.body.status).toBe('C');
    expect(await gate(BOX.manual, 'gate-out')).toMatchObject({ allowed: false, instruction: { code: 'A' } });
    // the declarant learns of the inspection, not of its method (it follows from the risk channel)
    const seen = (await call('a-declarant', 'GET', `/api/v1/declarations/${id}/history`)).body as unknown as {
      type: string;
      payload: object;
    }[];
    expect(seen.map((e) => e.type)).toContain('declaration.inspection-ordered');
    expect(JSON.stringify(seen)).not.toMatch(/manual|method/);
    const officerSees = (await call('a-customs-officer', 'GET', `/api/v1/declarations/${id}/history`)).body as unknown as {
      type: string;
    }[];
    expect(officerSees.map((e) => e.type)).toContain('declaration.inspection-method-chosen');
    const found = await call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/record-inspection`, {
      outcome: 'discrepancy',
    });
    expect(found.body.status).toBe('H');
    expect((await gate(BOX.manual, 'gate-out')).allowed).toBe(false);
  });

  it('machine then manual: scan, then manual inspection, then release; a gate-out before release raises the alarm', async () => {
    const r = await call('a-declarant', 'POST', '/api/v1/declarations', declaration('BL-CARS', [BOX.cars], '8703230000'));
    const id = r.body.id as string;
    const step = async (command: string, body: Record<string, unknown> = {}) => {
      const s = await call('a-customs-officer', 'POST', `/api/v1/declarations/${id}/actions/${command}`, body);
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      return s.body;
    };
    await step('review');
    expect(await step('order-inspection', { method: 'machine-then-manual' })).toMatchObject({ status: 'C' });
    expect(await gate(BOX.cars, 'gate-out')).toMatchObject({ allowed: false, instruction: { code: 'B' } });
    await step('record-inspection', { outcome: 'clear' });
    await setClock('2026-11-02T19:00:00Z');
    expect(await step('order-inspection', { method: 'manual' })).toMatchObject({ status: 'C' });
    expect(await gate(BOX.cars, 'gate-out')).toMatchObject({ allowed: false, instruction: { code: 'A' } });
    // the terminal lets it out anyway: recorded, and the interlock alarm goes off
    const out = await call('a-terminal-operator', 'POST', '/api/v1/container-events', {
      events: [{ eventId: 'GO-CARS-1', kind: 'gate-out', containerNumber: BOX.cars, occurredAt: '2026-11-02T19:00:00Z' }],
    });
    expect(out.status).toBe(200);
    const alarms = await call('a-terminal-operator', 'GET', '/api/v1/alerts?ruleId=unreleased-box-moved');
    expect((alarms.body.items as { subject: { label: string } }[]).map((a) => a.subject.label)).toEqual([BOX.cars]);
    await step('record-inspection', { outcome: 'clear' });
    await setClock('2026-11-02T20:00:00Z');
    expect(await step('release')).toMatchObject({ status: 'P' });
    expect(await gate(BOX.cars, 'gate-out')).toMatchObject({ allowed: true, instruction: { code: '2' } });
  });

  it('refuses bad input with the field path and stores nothing', async () => {
    const before = [await countRows('declarations'), await countRows('events')];
    const cases: [Record<string, unknown>, string, string][] = [
      [declaration('BL-TWO', [BOX.two], '1201900000', { netKg: 9_000 }), '/netKg', 'declarations.weights-do-not-add-up'],
      [declaration('BL-TWO', [BOX.two], '9999999999'), '/items/0/hsCode', 'declarations.unknown-hs-code'],
      [declaration('BL-NOWHERE', [], '1201900000'), '/transport/billNumber', 'declarations.bill-not-manifested'],
      [declaration('BL-TWO', [BOX.doc], '1201900000'), '/transport/containerNumbers/0', 'declarations.invalid-field'],
      [declaration('BL-TWO', [BOX.two], '1201900000', { enterpriseCode: '9999999999' }), '/enterpriseCode', 'declarations.invalid-field'],
      [declaration('BL-TWO', [BOX.two], '1201900000', { procedure: 'two-step' }), '/summary', 'declarations.invalid-field'],
      [
        declaration('BL-TWO', [BOX.two], '1201900000', {
          procedure: 'two-step',
          summary: { prohibitedOrRestricted: false, statutoryInspection: false, taxable: true },
        }),
        '/guarantee',
        'declarations.invalid-field',
      ],
    ];
    for (const [body, path, code] of cases) {
      const r = await call('a-declarant', 'POST', '/api/v1/declarations', body);
      expect(r.status, path).toBe(400);
      expect(r.body.error?.code, path).toBe(code);
      expect(
        r.body.error?.details?.map((d) => d.path),
        path,
      ).toContain(path);
    }
    const schema = await call('a-declarant', 'POST', '/api/v1/declarations', {
      ...declaration('BL-TWO', [BOX.two], '1201900000'),
      packages: -1,
    });
    expect(schema.status).toBe(400);
    expect(schema.body.error?.details?.[0]?.path).toBe('/packages');
    expect([await countRows('declarations'), await countRows('events')]).toEqual(before);
  });

  it('two-step: summary with a guarantee, pick-up on release, complete declaration due 14 days after arrival', async () => {
    const r = await call(
      'a-declarant',
      'POST',
      '/api/v1/declarations',
      declaration('BL-TWO', [BOX.two], '1201900000', {
        procedure: 'two-step',
        enterpriseCode: GENERAL_CERTIFIED,
        summary: { prohibitedOrRestricted: false, statutoryInspection: false, taxable: true },
        guarantee: { number: 'G-2026-1', amount: 90_000, currency: 'CNY', issuer: 'Bank of Qingdao' },
      }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ stage: 'summary', status: 'P', completeDueAt: '2026-11-16T00:00:00.000Z' });
    const done = await call('a-declarant', 'POST', `/api/v1/declarations/${r.body.id as string}/complete-declaration`, {
      document: declaration('BL-TWO', [BOX.two], '1201900000', {
        procedure: 'two-step',
        enterpriseCode: GENERAL_CERTIFIED,
        summary: { prohibitedOrRestricted: false, statutoryInspection: false, taxable: true },
        guarantee: { number: 'G-2026-1', amount: 90_000, currency: 'CNY', issuer: 'Bank of Qingdao' },
      }),
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ stage: 'complete', status: 'P' });
    const again = await call('a-declarant', 'POST', `/api/v1/declarations/${r.body.id as string}/complete-declaration`, {
      document: declaration('BL-TWO', [BOX.two], '1201900000', {
        procedure: 'two-step',
        enterpriseCode: GENERAL_CERTIFIED,
        summary: { prohibitedOrRestricted: false, statutoryInspection: false, taxable: false },
      }),
    });
    expect(again.status).toBe(409);
  });

  it('export: released only when declaration, pre-stowage manifest and arrival report agree; then instruction 1 lets the box load', async () => {
    const EXPORT_BOX2 = box('COS', 200002);
    const preStowage = await call('a-agent', 'POST', '/api/v1/manifests', {
      kind: 'export-pre-stowage',
      portCallId: callId,
      documentNumber: 'PS-301W',
      bills: [
        bill('EX-1', goods('1201900000', 'Soya beans', 10_000, EXPORT_BOX)),
        bill('EX-2', goods('8471300000', 'Computers', 10_000, EXPORT_BOX2)),
      ],
      equipment: [EXPORT_BOX, EXPORT_BOX2].map((number) => ({ number, sizeType: '45G1', fullness: 'full' })),
    });
    expect(preStowage.status, JSON.stringify(preStowage.body)).toBe(201);
    const exportDeclaration = (billNumber: string, container: string, hs: string, over: Record<string, unknown> = {}) =>
      declaration(billNumber, [container], hs, { direction: 'export', procedure: 'advance', tradeCountry: 'JP', ...over });
    // advance export on the release channel: authorised, waiting for the arrival report
    const one = await call('a-declarant', 'POST', '/api/v1/declarations', exportDeclaration('EX-1', EXPORT_BOX, '1201900000'));
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    expect(one.body).toMatchObject({ status: 'J', releasedAt: null, goodsArrivedAt: null });
    // declared at twice the manifested weight: document review, and release refused until they agree
    const two = await call(
      'a-declarant',
      'POST',
      '/api/v1/declarations',
      exportDeclaration('EX-2', EXPORT_BOX2, '8471300000', { grossKg: 21_000, netKg: 10_000 }),
    );
    expect(two.body.status).toBe('L');
    await call('a-customs-officer', 'POST', `/api/v1/declarations/${two.body.id as string}/actions/review`, {});
    const arrival = await call('a-terminal-operator', 'POST', '/api/v1/manifests', {
      kind: 'export-arrival-report',
      portCallId: callId,
      documentNumber: 'AR-301W',
      bills: [
        bill('EX-1', goods('1201900000', 'Soya beans', 10_000, EXPORT_BOX)),
        bill('EX-2', goods('8471300000', 'Computers', 10_000, EXPORT_BOX2)),
      ],
      equipment: [EXPORT_BOX, EXPORT_BOX2].map((number) => ({ number, sizeType: '45G1', fullness: 'full' })),
    });
    expect(arrival.status, JSON.stringify(arrival.body)).toBe(201);
    const refused = await call('a-customs-officer', 'POST', `/api/v1/declarations/${two.body.id as string}/actions/release`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code).toBe('declarations.documents-do-not-agree');
    expect(refused.body.error?.details?.map((d) => d.path)).toEqual(['/grossKg']);
    const match = await call('a-customs-officer', 'GET', `/api/v1/declarations/${two.body.id as string}/manifest-match`);
    expect(match.body).toMatchObject({ agrees: false, problems: [{ path: '/grossKg' }] });
    expect((await gate(EXPORT_BOX, 'load')).allowed).toBe(false);
    expect(await observeArrivals({ db: ctx.db, clock: ctx.clock })).toEqual({ arrived: 2, released: 1 });
    const released = await call('a-declarant', 'GET', `/api/v1/declarations/${one.body.id as string}`);
    expect(released.body).toMatchObject({ status: 'P' });
    expect(await gate(EXPORT_BOX, 'load')).toMatchObject({ allowed: true, instruction: { code: '1' } });
    expect((await gate(EXPORT_BOX2, 'load')).allowed).toBe(false);
  });

  it('keeps tenants and risk data apart', async () => {
    expect((await call('b-declarant', 'GET', `/api/v1/declarations/${advanceId}`)).status).toBe(404);
    expect((await call('b-customs-officer', 'GET', `/api/v1/declarations/${advanceId}`)).status).toBe(404);
    expect((await call('b-declarant', 'GET', '/api/v1/declarations')).body.items).toEqual([]);
    const byChannel = await call('a-declarant', 'GET', '/api/v1/declarations?channel=release');
    expect(byChannel.status).toBe(403);
    expect((await call('a-declarant', 'GET', `/api/v1/declarations/${advanceId}/manifest-match`)).status).toBe(403);
    const mine = await call('a-declarant', 'GET', '/api/v1/declarations');
    for (const d of mine.body.items as Record<string, unknown>[]) {
      expect(d).not.toHaveProperty('risk');
      expect(d).not.toHaveProperty('channel');
    }
  });

  it('overall clearance time from the events: arrival → release, per channel', async () => {
    const r = await call('a-customs-officer', 'GET', '/api/v1/declarations/kpis/clearance?groupBy=channel');
    expect(r.status).toBe(200);
    // release channel: arrival 00:00 → 06:00 (advance, on arrival) and two-step 00:00 → 20:00 (declared then); document review → 12:00; scan → 18:00
    expect(r.body.groups).toEqual([
      // the export's arrival report and its release on arrival fall on the same clock instant
      { direction: 'export', group: 'release', count: 1, meanHours: 0, medianHours: 0, p90Hours: 0 },
      { direction: 'import', group: 'document-review', count: 1, meanHours: 12, medianHours: 12, p90Hours: 12 },
      { direction: 'import', group: 'machine-scan', count: 1, meanHours: 18, medianHours: 18, p90Hours: 18 },
      { direction: 'import', group: 'machine-then-manual', count: 1, meanHours: 20, medianHours: 20, p90Hours: 20 },
      { direction: 'import', group: 'release', count: 2, meanHours: 13, medianHours: 13, p90Hours: 18.6 },
    ]);
    expect((r.body.overall as { direction: string; count: number }[]).find((o) => o.direction === 'import')?.count).toBe(5);
  });

  it('pushes instructions to the terminal and statuses (never risk) to the declarant as webhooks', async () => {
    await fanOut(ctx.db, ctx.clock);
    const typesFor = async (sub: string) =>
      (
        await ctx.db
          .selectFrom('webhook_deliveries')
          .innerJoin('events', 'events.id', 'webhook_deliveries.event_id')
          .select('events.type')
          .where('webhook_deliveries.subscription_id', '=', sub)
          .execute()
      ).map((r) => r.type);
    const terminal = await typesFor(hooks['a-terminal-operator'] as string);
    // one per box instruction: release 2 ×5 (advance, review, scan, cars, two-step), B ×2, A ×2, 1 for the export
    expect(terminal.length).toBe(10);
    expect(new Set(terminal)).toEqual(new Set(['customs.instruction-issued']));
    const declarant = new Set(await typesFor(hooks['a-declarant'] as string));
    expect(declarant.has('declaration.released')).toBe(true);
    expect(declarant.has('declaration.received')).toBe(true);
    expect(declarant.has('declaration.risk-assessed')).toBe(false);
    expect(declarant.has('customs.instruction-issued')).toBe(false);
  });
});
