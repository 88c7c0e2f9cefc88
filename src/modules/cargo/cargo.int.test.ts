import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, createTestApp, login, seedTenants, type TenantOrgs, type TestContext } from '../../../test/app.ts';
import { containerNumber } from '../../core/codes.ts';
import { verifyChain } from '../../events/event-log.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';

let ctx: TestContext;
let orgs: TenantOrgs;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);

/** A valid ISO 6346 number from owner code and serial. */
const box = containerNumber;
const BOX1 = box('MSC', 123456);
const BOX2 = box('MSC', 234567);
const BOX3 = box('COS', 345678);
const BAD_CHECK = `${BOX1.slice(0, 10)}${(Number(BOX1[10]) + 1) % 10}`;

// The test clock stands at 2026-11-01T08:00Z.
const callFiling = (voyage: string, lastPortDeparture: string) => ({
  portLocode: 'CNTAO',
  declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
  vessel: { imo: '1001037', draftM: 14.5 },
  voyage,
  lastPort: 'KRPUS',
  lastPortDeparture,
  eta: '2026-11-04T06:00:00Z',
  etd: '2026-11-05T06:00:00Z',
  purpose: 'cargo',
  cargoType: 'container',
  crewCount: 24,
  dangerousGoods: false,
});

const importManifest = (portCallId: string, documentNumber: string, over: Record<string, unknown> = {}) => ({
  kind: 'import-original',
  portCallId,
  documentNumber,
  bills: [
    {
      number: 'MEDU100001',
      shipper: 'Busan Tyre Co',
      consignee: 'Qingdao Rubber Trading Co',
      placeOfLoading: 'KRPUS',
      placeOfDischarge: 'CNTAO',
      goods: [
        {
          description: 'New pneumatic tyres for lorries',
          hsCode: '4011.20',
          packages: 400,
          packageType: 'PK',
          grossKg: 18_000,
          netKg: 17_500,
          equipment: [BOX1],
        },
        { description: 'Portable computers', hsCode: '847130', packages: 120, packageType: 'CT', grossKg: 2_400, equipment: [BOX2] },
      ],
    },
    {
      number: 'HBL-7001',
      masterNumber: 'MEDU100001',
      consignee: 'Jiaozhou Logistics',
      goods: [{ description: 'Smartphones', hsCode: '851713', packages: 50, grossKg: 900, equipment: [BOX3] }],
    },
  ],
  equipment: [
    { number: BOX1, sizeType: '45G1', fullness: 'full', seals: ['SL001'], grossKg: 21_800 },
    { number: BOX2, sizeType: '22G1', fullness: 'full', seals: ['SL002'] },
    { number: BOX3.toLowerCase(), sizeType: '22G1', fullness: 'full' },
  ],
  ...over,
});

let lateCallId: string;
let onTimeCallId: string;
let manifestId: string;

const count = async (table: 'manifests' | 'containers' | 'container_events' | 'events'): Promise<number> =>
  Number(
    (
      await ctx.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const containerId = async (number: string, portCallId: string): Promise<string> =>
  (
    await ctx.db
      .selectFrom('containers')
      .select('id')
      .where('number', '=', number)
      .where('port_call_id', '=', portCallId)
      .executeTakeFirstOrThrow()
  ).id;

beforeAll(async () => {
  ctx = await createTestApp();
  ({ orgs } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  await ctx.db.updateTable('terminals').set({ operator_org_id: orgs.A.terminal.id }).where('code', 'in', ['QQCT', 'QQCTN']).execute();
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
  const berth = (await ctx.db.selectFrom('berths').select('id').where('code', '=', 'QQCT-01').executeTakeFirstOrThrow()).id;
  // Loaded at Busan 18 h ago: an import manifest now is 42 h past the 24-h-before-loading deadline.
  const late = await call('a-agent', 'POST', '/api/v1/port-calls', callFiling('101E', '2026-10-31T14:00:00Z'));
  // Leaves Busan in two days: a manifest now is on time.
  const onTime = await call('a-agent', 'POST', '/api/v1/port-calls', callFiling('102E', '2026-11-03T08:00:00Z'));
  expect([late.status, onTime.status]).toEqual([201, 201]);
  lateCallId = late.body.id as string;
  onTimeCallId = onTime.body.id as string;
  for (const id of [lateCallId, onTimeCallId]) {
    const plan = await call('a-terminal-operator', 'POST', `/api/v1/port-calls/${id}/berth-plan`, {
      berthId: berth,
      start: '2026-11-04T08:00:00Z',
      end: '2026-11-05T04:00:00Z',
    });
    expect(plan.status).toBe(200);
  }
});
afterAll(async () => ctx.close());

describe('manifests', () => {
  it('files an import original manifest with master and house bills, goods and boxes, each box a visit with its event', async () => {
    const r = await call('a-agent', 'POST', '/api/v1/manifests', importManifest(onTimeCallId, 'MF-102E-01'));
    expect(r.status).toBe(201);
    manifestId = r.body.id as string;
    expect(r.body).toMatchObject({
      kind: 'import-original',
      state: 'filed',
      version: 1,
      late: false,
      bills: 2,
      equipment: 3,
      deadlineAt: '2026-11-02T08:00:00.000Z',
    });
    const doc = r.body.document as {
      bills: { goods: { hsCode: string }[]; masterNumber: string | null }[];
      equipment: { number: string }[];
    };
    expect(doc.bills[0]?.goods[0]?.hsCode).toBe('401120');
    expect(doc.bills[1]?.masterNumber).toBe('MEDU100001');
    expect(doc.equipment.map((e) => e.number)).toEqual([BOX1, BOX2, BOX3]);
    const boxes = await call('a-agent', 'GET', `/api/v1/containers?portCallId=${onTimeCallId}`);
    expect(
      (boxes.body.items as { number: string; direction: string; bills: string[] }[]).map((b) => [b.number, b.direction, b.bills]).sort(),
    ).toEqual(
      [
        [BOX1, 'import', ['MEDU100001']],
        [BOX2, 'import', ['MEDU100001']],
        [BOX3, 'import', ['HBL-7001']],
      ].sort(),
    );
    const types = await ctx.db
      .selectFrom('events')
      .select('type')
      .where('aggregate_id', '=', await containerId(BOX1, onTimeCallId))
      .execute();
    expect(types.map((t) => t.type)).toEqual(['container.manifested']);
  });

  it('flags a filing after its deadline (24 h before loading abroad) as late, with its own event, and lists it for officers', async () => {
    const r = await call(
      'a-agent',
      'POST',
      '/api/v1/manifests',
      importManifest(lateCallId, 'MF-101E-01', { bills: [], equipment: [{ number: box('OOL', 424242), fullness: 'empty' }] }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ late: true, deadlineAt: '2026-10-30T14:00:00.000Z' });
    const ev = await ctx.db
      .selectFrom('events')
      .select(['type', 'payload'])
      .where('aggregate_id', '=', r.body.id as string)
      .orderBy('seq')
      .execute();
    expect(ev.map((e) => e.type)).toEqual(['manifest.filed', 'manifest.filed-late']);
    expect(ev[1]?.payload).toMatchObject({ minutesLate: 42 * 60, deadlineRule: 'import-original-container' });
    const officer = await call('a-customs-officer', 'GET', '/api/v1/manifests?late=true');
    expect((officer.body.items as { id: string }[]).map((m) => m.id)).toEqual([r.body.id]);
    const otherDistrict = await call('b-customs-officer', 'GET', '/api/v1/manifests?late=true');
    expect(otherDistrict.body.items).toEqual([]);
  });

  it('rejects bad input with the field path and stores nothing', async () => {
    const before = [await count('manifests'), await count('containers'), await count('events')];
    const cases: [Record<string, unknown>, string, string][] = [
      [{ equipment: [{ number: BAD_CHECK, fullness: 'full' }], bills: [] }, '/equipment/0/number', 'check digit'],
      [
        { bills: [{ number: 'B1', goods: [{ description: 'x', hsCode: '4011', packages: 1, grossKg: -1 }] }], equipment: [] },
        '/bills/0/goods/0/grossKg',
        '',
      ],
      [
        { bills: [{ number: 'B1', goods: [{ description: 'x', hsCode: '999999', packages: 1, grossKg: 10 }] }], equipment: [] },
        '/bills/0/goods/0/hsCode',
        'not in the nomenclature',
      ],
      [{ portCallId: 'pcall_01jzzzzzzzzzzzzzzzzzzzzzzz' }, '/portCallId', 'no port call'],
      [
        {
          bills: [{ number: 'B1', masterNumber: 'NOPE', goods: [{ description: 'x', hsCode: '4011', packages: 1, grossKg: 10 }] }],
          equipment: [],
        },
        '/bills/0/masterNumber',
        'not another bill',
      ],
      [
        { bills: [{ number: 'B1', goods: [{ description: 'x', hsCode: '4011', packages: 1, grossKg: 10, netKg: 11 }] }], equipment: [] },
        '/bills/0/goods/0/netKg',
        'exceeds gross',
      ],
    ];
    for (const [over, path, text] of cases) {
      const r = await call('a-agent', 'POST', '/api/v1/manifests', importManifest(onTimeCallId, 'MF-BAD', over));
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error?.details?.map((d) => d.path)).toContain(path);
      expect(r.body.error?.message).toContain(text);
    }
    expect([await count('manifests'), await count('containers'), await count('events')]).toEqual(before);
  });

  it('keeps each amendment as a version, refuses a stale one, and a second filing of the same document', async () => {
    const again = await call('a-agent', 'POST', '/api/v1/manifests', importManifest(onTimeCallId, 'MF-102E-01'));
    expect(again.status).toBe(409);
    const doc = importManifest(onTimeCallId, 'MF-102E-01');
    const bills = doc.bills.map((b, i) => (i === 0 ? { ...b, consignee: 'Qingdao Rubber Trading Co Ltd' } : b));
    const amend = await call('a-agent', 'POST', `/api/v1/manifests/${manifestId}/amendments`, {
      expectedVersion: 1,
      reason: 'consignee name corrected',
      documentNumber: 'MF-102E-01',
      bills,
      equipment: doc.equipment,
    });
    expect(amend.status, JSON.stringify(amend.body)).toBe(200);
    expect(amend.body).toMatchObject({ version: 2, state: 'amended', versions: [{ version: 1 }, { version: 2 }] });
    const stale = await call('a-agent', 'POST', `/api/v1/manifests/${manifestId}/amendments`, {
      expectedVersion: 1,
      reason: 'again',
      documentNumber: 'MF-102E-01',
      bills,
      equipment: doc.equipment,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('cargo.stale-version');
    const v1 = await call('a-agent', 'GET', `/api/v1/manifests/${manifestId}/versions/1`);
    expect((v1.body.bills as { consignee: string }[])[0]?.consignee).toBe('Qingdao Rubber Trading Co');
    const others = await call('b-agent', 'GET', `/api/v1/manifests/${manifestId}`);
    expect(others.status).toBe(404);
  });
});

describe('terminal events', () => {
  it('takes a batch of 5,000 with one bad event: 4,999 accepted, the bad one rejected with its reason; a resend changes nothing', async () => {
    const events: Record<string, unknown>[] = Array.from({ length: 5000 }, (_, i) => ({
      eventId: `QQCT-YM-${i}`,
      kind: 'yard-move',
      containerNumber: [BOX1, BOX2, BOX3][i % 3],
      occurredAt: new Date(Date.parse('2026-10-31T00:00:00Z') + i * 1000).toISOString(),
      location: `Y${i % 40}-${i % 7}`,
    }));
    events[2500] = { ...events[2500], containerNumber: BAD_CHECK };
    const beforeEvents = await count('events');
    const r = await call('a-terminal-operator', 'POST', '/api/v1/container-events', { events });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 4999, duplicates: 0, rejected: 1 });
    const bad = (r.body.results as { status: string; path?: string; code?: string; reason?: string }[])[2500];
    expect(bad).toMatchObject({ status: 'rejected', path: '/events/2500/containerNumber', code: 'cargo.bad-container-number' });
    expect(await count('events')).toBe(beforeEvents + 4999);
    const again = await call('a-terminal-operator', 'POST', '/api/v1/container-events', { events });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 4999, rejected: 1 });
    expect(await count('events')).toBe(beforeEvents + 4999);
    expect(await count('container_events')).toBe(4999);
  });

  it('rejects an unknown box, a reused id with other content, and boxes of calls the sender does not serve', async () => {
    const r = await call('a-terminal-operator', 'POST', '/api/v1/container-events', {
      events: [
        { eventId: 'X-1', kind: 'discharge', containerNumber: box('ZZZ', 1), occurredAt: '2026-11-01T07:00:00Z' },
        { eventId: 'QQCT-YM-0', kind: 'yard-move', containerNumber: BOX1, occurredAt: '2026-11-01T07:00:00Z', location: 'ELSEWHERE' },
        { eventId: 'X-2', kind: 'customs-release', containerNumber: BOX1, occurredAt: '2026-11-01T07:00:00Z' },
        { eventId: 'X-3', kind: 'discharge', containerNumber: BOX1, occurredAt: '2099-01-01T00:00:00Z' },
      ],
    });
    expect((r.body.results as { code: string }[]).map((x) => x.code)).toEqual([
      'cargo.unknown-container',
      'cargo.event-id-reused',
      'cargo.not-your-event',
      'cargo.invalid-event',
    ]);
    const other = await call('b-terminal-operator', 'POST', '/api/v1/container-events', {
      events: [{ eventId: 'B-1', kind: 'discharge', containerNumber: BOX1, occurredAt: '2026-11-01T07:00:00Z' }],
    });
    expect(other.body).toMatchObject({ accepted: 0, rejected: 1, results: [{ code: 'cargo.unknown-container' }] });
  });

  it('computes flags from events whatever their arrival order, and shows every event on the timeline in event-time order', async () => {
    const id = await containerId(BOX1, onTimeCallId);
    ctx.clock.advance(24 * 3_600_000);
    for (const u of Object.keys(tokens)) {
      tokens[u] = await login(ctx.app, u);
    }
    // Gate-out arrives first, then discharge and the releases: the flags do not depend on that order.
    const send = (who: string, kind: string, eventId: string, at: string) =>
      call(who, 'POST', '/api/v1/container-events', {
        events: [{ eventId, kind, containerNumber: BOX1, occurredAt: at, portCallId: onTimeCallId }],
      });
    expect((await send('a-terminal-operator', 'gate-out', 'T-GO', '2026-11-02T07:50:00Z')).body.accepted).toBe(1);
    expect((await send('a-customs-officer', 'customs-hold', 'C-H', '2026-11-02T06:00:00Z')).body.accepted).toBe(1);
    let view = await call('a-agent', 'GET', `/api/v1/containers/${id}`);
    expect(view.body.flags).toMatchObject({ gatedOut: true, discharged: false, onHold: true, customsReleased: false });
    expect((await send('a-terminal-operator', 'discharge', 'T-D', '2026-11-02T05:00:00Z')).body.accepted).toBe(1);
    expect((await send('a-customs-officer', 'customs-release', 'C-R', '2026-11-02T07:00:00Z')).body.accepted).toBe(1);
    expect((await send('a-terminal-operator', 'terminal-release', 'T-R', '2026-11-02T07:30:00Z')).body.accepted).toBe(1);
    view = await call('a-agent', 'GET', `/api/v1/containers/${id}`);
    expect(view.body.flags).toEqual({
      discharged: true,
      customsReleased: true,
      terminalReleased: true,
      gatedOut: true,
      gatedIn: false,
      loaded: false,
      onHold: false,
    });
    expect(view.body.lastLocation).toBe('Y38-0');
    const timeline = (view.body.timeline as { type: string; occurredAt: string }[]).filter((t) => t.type !== 'container.yard-moved');
    expect(timeline.map((t) => t.type)).toEqual([
      'container.manifested',
      'container.discharged',
      'container.customs-held',
      'container.customs-released',
      'container.terminal-released',
      'container.gated-out',
    ]);
    const byB = await call('b-customs-officer', 'GET', `/api/v1/containers/${id}`);
    expect(byB.status).toBe(404);
  });

  it('refuses to delete a manifest once a box is discharged; deletes one before, as an event, with its boxes', async () => {
    const refused = await call('a-agent', 'POST', `/api/v1/manifests/${manifestId}/deletion`, { reason: 'filed twice' });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('cargo.too-late-to-delete');
    const extra = await call('a-agent', 'POST', '/api/v1/manifests', {
      ...importManifest(onTimeCallId, 'MF-102E-02'),
      bills: [],
      equipment: [{ number: box('TGH', 777777), fullness: 'empty' }],
    });
    expect(extra.status).toBe(201);
    const deleted = await call('a-agent', 'POST', `/api/v1/manifests/${extra.body.id as string}/deletion`, { reason: 'filed in error' });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ state: 'deleted', deleteReason: 'filed in error' });
    const left = await ctx.db.selectFrom('containers').select('id').where('number', '=', box('TGH', 777777)).execute();
    expect(left).toEqual([]);
    const list = await call('a-agent', 'GET', '/api/v1/manifests');
    expect((list.body.items as { id: string }[]).map((m) => m.id)).not.toContain(extra.body.id);
  });

  it('takes concurrent batches with overlapping ids and a concurrent amendment: every id once, no request fails', async () => {
    const before = await count('container_events');
    const batch = (from: number) => ({
      events: Array.from({ length: 300 }, (_, i) => ({
        eventId: `CONC-${from + i}`,
        kind: 'yard-move',
        containerNumber: [BOX1, BOX2, BOX3][(from + i) % 3],
        occurredAt: new Date(Date.parse('2026-11-01T00:00:00Z') + (from + i) * 1000).toISOString(),
      })),
    });
    const current = (await call('a-agent', 'GET', `/api/v1/manifests/${manifestId}`)).body as {
      version: number;
      document: Record<string, unknown>;
    };
    const results = await Promise.all([
      call('a-terminal-operator', 'POST', '/api/v1/container-events', batch(0)),
      call('a-terminal-operator', 'POST', '/api/v1/container-events', batch(200)),
      call('a-terminal-operator', 'POST', '/api/v1/container-events', batch(400)),
      call('a-agent', 'POST', `/api/v1/manifests/${manifestId}/amendments`, {
        expectedVersion: current.version,
        reason: 'seal corrected',
        ...current.document,
      }),
      call('a-terminal-operator', 'POST', '/api/v1/container-events', batch(100)),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const ingests = [results[0], results[1], results[2], results[4]].map((r) => r?.body as { accepted: number; duplicates: number });
    expect(ingests.reduce((n, r) => n + r.accepted, 0)).toBe(700);
    expect(ingests.reduce((n, r) => n + r.duplicates, 0)).toBe(500);
    expect(await count('container_events')).toBe(before + 700);
  });

  it('leaves the audit chain intact', async () => {
    expect(await verifyChain(ctx.db)).toMatchObject({ ok: true });
  });
});
