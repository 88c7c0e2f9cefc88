import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usingPostgres } from '../../../test/db.ts';
import { apiAs, createTestApp, login, seedTenants, type TenantOrgs, type TenantUsers, type TestContext } from '../../../test/app.ts';
import { containerNumber } from '../../core/codes.ts';
import { SYSTEM_ACTOR, verifyChain } from '../../events/event-log.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';
import { INTERLOCK_WITHDRAWN, issueInstruction } from './instructions.commands.ts';

let ctx: TestContext;
let orgs: TenantOrgs;
let users: TenantUsers;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);

const box = containerNumber;
// Boxes of call A (terminal A): one per shuffled permutation, and some for each other test.
const SHUFFLED = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => box('SHF', i));
const RACE = [1, 2, 3].map((i) => box('RCE', i));
const HELD = [4, 5].map((i) => box('RCE', i));
const GATE = box('GTE', 1);
const BILL_BOX = box('BLX', 1);
const BILL_MATE = box('BLX', 2);
const FALLBACK = box('FLB', 1);
const LATER_HOLD = box('FLB', 2);
const ACK = box('ACK', 1);
const UNRELEASED = box('ILK', 1);
const RELEASED = box('ILK', 2);
const LATE_RELEASE = box('ILK', 3);
const LOAD_ONLY_GATE = box('ILK', 4);
const SYSTEM_BOX = box('SYS', 1);
const OTHER_CALL_BOX = box('OTH', 1);

// The test clock stands at 2026-11-01T08:00Z; customs send times are that morning.
const at = (minutes: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + minutes * 60_000).toISOString();

const callFiling = (voyage: string) => ({
  portLocode: 'CNTAO',
  declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
  vessel: { imo: '1001037', draftM: 14.5 },
  voyage,
  lastPort: 'KRPUS',
  lastPortDeparture: '2026-11-03T08:00:00Z',
  eta: '2026-11-04T06:00:00Z',
  etd: '2026-11-05T06:00:00Z',
  purpose: 'cargo',
  cargoType: 'container',
  crewCount: 24,
  dangerousGoods: false,
});

const goods = (equipment: string[]) => [{ description: 'Machine parts', hsCode: '847130', packages: 10, grossKg: 1000, equipment }];
const manifestOf = (portCallId: string, documentNumber: string, bills: Record<string, string[]>) => ({
  kind: 'import-original',
  portCallId,
  documentNumber,
  bills: Object.entries(bills).map(([number, equipment]) => ({ number, goods: goods(equipment) })),
  equipment: Object.values(bills)
    .flat()
    .map((number) => ({ number, fullness: 'full' })),
});

let callA: string;
let callB: string;

const containerIdOf = async (number: string): Promise<string> =>
  (await ctx.db.selectFrom('containers').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id;

const rowsFor = (subject: string) =>
  ctx.db.selectFrom('customs_instructions').select(['code', 'send_time']).where('subject', '=', subject).orderBy('send_time').execute();

const issue = (who: string, body: Record<string, unknown>) => call(who, 'POST', '/api/v1/customs-instructions', body);
const gate = (who: string, containerNumber: string, move: 'gate-out' | 'load') =>
  call(who, 'POST', '/api/v1/gate-checks', { containerNumber, move });
const flagsOf = async (number: string) =>
  (await call('a-terminal-operator', 'GET', `/api/v1/containers/${await containerIdOf(number)}`)).body.flags as {
    customsReleased: boolean;
    onHold: boolean;
  };

beforeAll(async () => {
  ctx = await createTestApp();
  ({ orgs, users } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  await ctx.db.updateTable('terminals').set({ operator_org_id: orgs.A.terminal.id }).where('code', '=', 'QQCT').execute();
  for (const u of [
    'a-agent',
    'a-terminal-operator',
    'b-terminal-operator',
    'a-customs-officer',
    'b-customs-officer',
    'a-risk-analyst',
    'a-admin',
  ]) {
    tokens[u] = await login(ctx.app, u);
  }
  const a = await call('a-agent', 'POST', '/api/v1/port-calls', callFiling('201E'));
  const b = await call('a-agent', 'POST', '/api/v1/port-calls', callFiling('202E'));
  expect([a.status, b.status]).toEqual([201, 201]);
  callA = a.body.id as string;
  callB = b.body.id as string;
  const berth = (await ctx.db.selectFrom('berths').select('id').where('code', '=', 'QQCT-01').executeTakeFirstOrThrow()).id;
  const plan = await call('a-terminal-operator', 'POST', `/api/v1/port-calls/${callA}/berth-plan`, {
    berthId: berth,
    start: '2026-11-04T08:00:00Z',
    end: '2026-11-05T04:00:00Z',
  });
  expect(plan.status, JSON.stringify(plan.body)).toBe(200);
  // Call B is served by terminal B alone (as if it berthed at B's terminal).
  await ctx.db
    .updateTable('port_calls')
    .set({ terminal_org_ids: [orgs.B.terminal.id] })
    .where('id', '=', callB)
    .execute();
  const served = await ctx.db.selectFrom('port_calls').select(['id', 'terminal_org_ids']).where('id', 'in', [callA, callB]).execute();
  expect(Object.fromEntries(served.map((c) => [c.id, c.terminal_org_ids]))).toEqual({
    [callA]: [orgs.A.terminal.id],
    [callB]: [orgs.B.terminal.id],
  });
  const filedA = await call(
    'a-agent',
    'POST',
    '/api/v1/manifests',
    manifestOf(callA, 'MF-201E', {
      'BL-SHUF': SHUFFLED,
      'BL-RACE': [...RACE, ...HELD],
      'BL-GATE': [GATE],
      'BL-PAIR': [BILL_BOX, BILL_MATE],
      'BL-FLAGS': [FALLBACK, ACK, LATER_HOLD],
      'BL-ILK': [UNRELEASED, RELEASED, LATE_RELEASE, LOAD_ONLY_GATE, SYSTEM_BOX],
    }),
  );
  const filedB = await call('a-agent', 'POST', '/api/v1/manifests', manifestOf(callB, 'MF-202E', { 'BL-OTHER': [OTHER_CALL_BOX] }));
  expect([filedA.status, filedB.status], JSON.stringify([filedA.body, filedB.body])).toEqual([201, 201]);
});
afterAll(async () => ctx.close());

/** Small seeded PRNG (mulberry32) so every run shuffles the same way. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
const shuffle = <T>(xs: readonly T[], rnd: () => number): T[] => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

// Expected behaviour written out here, independently of the module's code table.
const RELEASES = new Set(['1', '2', '7', '9', 'I']);
const HOLDS = new Set(['A', 'B']);
const GATE_OUT_CODES = new Set(['2', '7', '9', 'I']);
const LOAD_CODES = new Set(['1', '9']);

describe('must-copy rule: the newest send time wins, whatever the arrival order', () => {
  it('for seeded random arrival orders of six instructions per box, keeps only the newest and refuses older arrivals', async () => {
    const codes = ['2', 'A', '1', 'B', '9', '8'];
    let refusedTotal = 0;
    const newestCodes = new Set<string>();
    for (const [k, number] of SHUFFLED.entries()) {
      const rnd = prng(1000 + k);
      // Distinct send times, 10 minutes apart; which code carries which time and the arrival order are both shuffled.
      const sent = shuffle(codes, rnd).map((code, i) => ({ code, sendTime: at(60 + i * 10) }));
      const arrival = shuffle(sent, rnd);
      const accepted: { code: string; sendTime: string }[] = [];
      for (const ins of arrival) {
        const newestSoFar = accepted.reduce((m, a) => (a.sendTime > m ? a.sendTime : m), '');
        const r = await issue('a-customs-officer', { scope: 'container', subject: number, portCallId: callA, ...ins });
        if (ins.sendTime > newestSoFar) {
          expect(r.status, JSON.stringify(r.body)).toBe(201);
          expect(r.body).toMatchObject({ code: ins.code, sendTime: ins.sendTime, inForce: true, direction: 'import' });
          accepted.push(ins);
        } else {
          refusedTotal += 1;
          expect(r.status).toBe(409);
          expect(r.body.error?.code).toBe('instructions.older-than-in-force');
          expect(r.body.error?.details?.[0]?.path).toBe('/sendTime');
          expect(r.body.error?.message).toContain(newestSoFar);
        }
      }
      // Only accepted arrivals left rows; the one in force is the newest of all six.
      const rows = await rowsFor(number);
      expect(rows.map((r) => r.send_time.toISOString())).toEqual(accepted.map((a) => a.sendTime).sort());
      const newest = sent[sent.length - 1] as { code: string; sendTime: string };
      newestCodes.add(newest.code);
      const inForce = await call('a-terminal-operator', 'GET', `/api/v1/customs-instructions?subject=${number}&inForce=true`);
      expect(inForce.body.items).toHaveLength(1);
      expect(inForce.body.items).toMatchObject([{ code: newest.code, sendTime: newest.sendTime, inForce: true }]);
      // Flags follow the accepted instructions' box events: the latest release against the latest hold.
      const lastOf = (set: Set<string>) => accepted.filter((a) => set.has(a.code)).reduce((m, a) => (a.sendTime > m ? a.sendTime : m), '');
      const onHold = lastOf(HOLDS) > lastOf(RELEASES);
      expect(await flagsOf(number)).toMatchObject({ onHold, customsReleased: lastOf(RELEASES) !== '' && !onHold });
      if (RELEASES.has(newest.code)) {
        expect(await flagsOf(number)).toMatchObject({ onHold: false, customsReleased: true });
      }
      if (HOLDS.has(newest.code)) {
        expect(await flagsOf(number)).toMatchObject({ onHold: true, customsReleased: false });
      }
      const out = await gate('a-terminal-operator', number, 'gate-out');
      const load = await gate('a-terminal-operator', number, 'load');
      expect([out.body.allowed, load.body.allowed]).toEqual([GATE_OUT_CODES.has(newest.code), LOAD_CODES.has(newest.code)]);
      expect(out.body.instruction).toEqual({ code: newest.code, sendTime: newest.sendTime });
    }
    // The seeds exercise refusals and newest codes of each kind (release, hold, neither).
    expect(refusedTotal).toBeGreaterThanOrEqual(8);
    expect([...newestCodes].some((c) => RELEASES.has(c))).toBe(true);
    expect([...newestCodes].some((c) => HOLDS.has(c))).toBe(true);
  });

  it('of two concurrent instructions for one box, the newer is in force whichever commits first', async () => {
    for (const [k, number] of RACE.entries()) {
      const older = { code: 'A', sendTime: at(100 + k) };
      const newer = { code: '2', sendTime: at(110 + k) };
      const pair = k % 2 === 0 ? [older, newer] : [newer, older];
      const results = await Promise.all(
        pair.map((ins) => issue('a-customs-officer', { scope: 'container', subject: number, portCallId: callA, ...ins })),
      );
      const byCode = Object.fromEntries(pair.map((ins, i) => [ins.code, results[i]]));
      expect(byCode['2']?.status).toBe(201);
      expect([201, 409]).toContain(byCode.A?.status);
      const rows = await rowsFor(number);
      expect(rows.map((r) => r.code)).toEqual(byCode.A?.status === 201 ? ['A', '2'] : ['2']);
      const inForce = await call('a-customs-officer', 'GET', `/api/v1/customs-instructions?subject=${number}&inForce=true`);
      expect(inForce.body.items).toMatchObject([{ code: '2', sendTime: newer.sendTime }]);
      expect(await flagsOf(number)).toMatchObject({ customsReleased: true, onHold: false });
      expect((await gate('a-terminal-operator', number, 'gate-out')).body.allowed).toBe(true);
    }
  });

  // PGlite has one connection, so two open transactions can only be held apart on PostgreSQL.
  it.skipIf(!usingPostgres())('serialises issuers: the second waits for the first to commit, then is judged against it', async () => {
    const issueIn = (number: string, code: 'A' | '2', minute: number) => (trx: Parameters<typeof issueInstruction>[0]) =>
      issueInstruction(trx, ctx.clock, {
        scope: 'container',
        subject: number,
        portCallId: callA,
        direction: 'import',
        code,
        sendTime: new Date(at(minute)),
        actor: SYSTEM_ACTOR,
      });
    for (const [k, number] of HELD.entries()) {
      // k = 0: the newer commits first, the older then fails; k = 1: the older commits first, the newer then supersedes it.
      const first = k === 0 ? issueIn(number, '2', 130) : issueIn(number, 'A', 120);
      const second = k === 0 ? issueIn(number, 'A', 120) : issueIn(number, '2', 130);
      let issued!: () => void;
      let commit!: () => void;
      const firstIssued = new Promise<void>((r) => (issued = r));
      const mayCommit = new Promise<void>((r) => (commit = r));
      const t1 = ctx.db.transaction().execute(async (trx) => {
        const v = await first(trx);
        issued();
        await mayCommit;
        return v;
      });
      await firstIssued;
      let secondDone = false;
      const t2 = ctx.db
        .transaction()
        .execute(second)
        .finally(() => (secondDone = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(secondDone).toBe(false);
      commit();
      await t1;
      if (k === 0) {
        await expect(t2).rejects.toMatchObject({ code: 'instructions.older-than-in-force' });
        expect((await rowsFor(number)).map((r) => r.code)).toEqual(['2']);
      } else {
        await expect(t2).resolves.toMatchObject({ code: '2', inForce: true });
        expect((await rowsFor(number)).map((r) => r.code)).toEqual(['A', '2']);
      }
      expect(await flagsOf(number)).toMatchObject({ customsReleased: true, onHold: false });
    }
  });

  it('refuses an equal send time too, and stores nothing', async () => {
    const first = await issue('a-customs-officer', { scope: 'container', subject: GATE, portCallId: callA, code: '8', sendTime: at(10) });
    expect(first.status).toBe(201);
    const same = await issue('a-customs-officer', { scope: 'container', subject: GATE, portCallId: callA, code: '2', sendTime: at(10) });
    expect(same.status).toBe(409);
    expect((await rowsFor(GATE)).map((r) => r.code)).toEqual(['8']);
  });
});

describe('issuing', () => {
  it('records the box event as customs of the district, with the instruction id, and an issued event for the terminals', async () => {
    const r = await issue('a-customs-officer', { scope: 'container', subject: RELEASED, portCallId: callA, code: '2', sendTime: at(20) });
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    expect(r.body).toMatchObject({
      scope: 'container',
      subject: RELEASED,
      code: '2',
      meaning: { zh: '可放行', en: 'released' },
      permits: ['gate-out'],
      districtCode: '4200',
      terminalOrgIds: [orgs.A.terminal.id],
      acknowledgement: null,
    });
    const events = await ctx.db
      .selectFrom('container_events')
      .select(['sender_org_id', 'sender_event_id', 'kind', 'occurred_at', 'source'])
      .where('sender_event_id', 'like', `${id}%`)
      .execute();
    expect(events).toEqual([
      {
        sender_org_id: orgs.A.customs.id,
        sender_event_id: id,
        kind: 'customs-release',
        occurred_at: new Date(at(20)),
        source: 'customs-instruction',
      },
    ]);
    const issued = await ctx.db.selectFrom('events').select(['type', 'org_ids', 'district_code']).where('aggregate_id', '=', id).execute();
    expect(issued).toEqual([{ type: 'customs.instruction-issued', org_ids: [orgs.A.terminal.id], district_code: '4200' }]);
  });

  it('a bill instruction concerns every box of the bill; the newer of box and bill instruction decides at the gate', async () => {
    const bill = await issue('a-customs-officer', { scope: 'bill', subject: 'BL-PAIR', portCallId: callA, code: '2', sendTime: at(30) });
    expect(bill.status).toBe(201);
    const boxEvents = await ctx.db
      .selectFrom('container_events')
      .select('sender_event_id')
      .where('sender_event_id', 'like', `${bill.body.id as string}:%`)
      .orderBy('sender_event_id')
      .execute();
    expect(boxEvents.map((e) => e.sender_event_id)).toEqual([
      `${bill.body.id as string}:${BILL_BOX}`,
      `${bill.body.id as string}:${BILL_MATE}`,
    ]);
    expect(await gate('a-terminal-operator', BILL_BOX, 'gate-out')).toMatchObject({
      status: 200,
      body: { allowed: true, reason: 'instruction-permits', instruction: { code: '2', sendTime: at(30) } },
    });
    // The box's own inspection order, sent later, holds it; the mate stays released.
    expect(
      (await issue('a-customs-officer', { scope: 'container', subject: BILL_BOX, portCallId: callA, code: 'A', sendTime: at(40) })).status,
    ).toBe(201);
    expect((await gate('a-terminal-operator', BILL_BOX, 'gate-out')).body).toMatchObject({
      allowed: false,
      reason: 'instruction-holds',
      instruction: { code: 'A' },
    });
    expect((await gate('a-terminal-operator', BILL_MATE, 'gate-out')).body.allowed).toBe(true);
    // A newer bill release overrides the box's older inspection order.
    expect(
      (await issue('a-customs-officer', { scope: 'bill', subject: 'BL-PAIR', portCallId: callA, code: '2', sendTime: at(50) })).status,
    ).toBe(201);
    expect((await gate('a-terminal-operator', BILL_BOX, 'gate-out')).body).toMatchObject({
      allowed: true,
      instruction: { code: '2', sendTime: at(50) },
    });
    expect(await flagsOf(BILL_BOX)).toMatchObject({ customsReleased: true, onHold: false });
  });

  it('refuses bad input with the field path and stores nothing', async () => {
    const before = (await ctx.db.selectFrom('customs_instructions').select('id').execute()).length;
    const bad = `${GATE.slice(0, 10)}${(Number(GATE[10]) + 1) % 10}`;
    const cases: [Record<string, unknown>, number, string, string][] = [
      [
        { scope: 'container', subject: bad, portCallId: callA, code: '2', sendTime: at(470) },
        400,
        'instructions.bad-container-number',
        '/subject',
      ],
      [
        { scope: 'container', subject: GATE, portCallId: 'pcall_nope', code: '2', sendTime: at(470) },
        404,
        'instructions.call-not-found',
        '/portCallId',
      ],
      [
        { scope: 'container', subject: box('NON', 9), portCallId: callA, code: '2', sendTime: at(470) },
        404,
        'instructions.subject-not-on-call',
        '/subject',
      ],
      [
        { scope: 'bill', subject: 'BL-NONE', portCallId: callA, code: '2', sendTime: at(470) },
        404,
        'instructions.subject-not-on-call',
        '/subject',
      ],
      [
        { scope: 'container', subject: GATE, portCallId: callA, code: '2', sendTime: '2026-11-01T09:00:00Z' },
        400,
        'instructions.send-time-in-future',
        '/sendTime',
      ],
      [{ scope: 'container', subject: GATE, portCallId: callA, code: 'X', sendTime: at(470) }, 400, 'core.validation-failed', '/code'],
      [
        { scope: 'container', subject: GATE, portCallId: callA, code: '2', sendTime: at(470), extra: 1 },
        400,
        'core.validation-failed',
        '/extra',
      ],
      [
        { scope: 'container', subject: GATE, portCallId: callA, code: '2', sendTime: at(470), declarationId: 'decl_x' },
        404,
        'instructions.declaration-not-found',
        '/declarationId',
      ],
    ];
    for (const [body, status, code, path] of cases) {
      const r = await issue('a-customs-officer', body);
      expect([r.status, r.body.error?.code], JSON.stringify(r.body)).toEqual([status, code]);
      expect(r.body.error?.details?.map((d) => d.path)).toContain(path);
    }
    // Customs of another district does not see the call.
    const other = await issue('b-customs-officer', { scope: 'container', subject: GATE, portCallId: callA, code: '2', sendTime: at(470) });
    expect([other.status, other.body.error?.details?.[0]?.path]).toEqual([404, '/portCallId']);
    expect(
      (await issue('a-terminal-operator', { scope: 'container', subject: GATE, portCallId: callA, code: '2', sendTime: at(470) })).status,
    ).toBe(403);
    expect((await ctx.db.selectFrom('customs_instructions').select('id').execute()).length).toBe(before);
  });

  it('is callable inside another transaction with a system actor: the district customs organisation sends the box event', async () => {
    const view = await ctx.db.transaction().execute((trx) =>
      issueInstruction(trx, ctx.clock, {
        scope: 'container',
        subject: SYSTEM_BOX,
        portCallId: callA,
        direction: 'import',
        code: 'B',
        sendTime: new Date(at(60)),
        actor: SYSTEM_ACTOR,
      }),
    );
    expect(view).toMatchObject({ code: 'B', inForce: true, issuedBy: null });
    const ev = await ctx.db
      .selectFrom('container_events')
      .select(['sender_org_id', 'kind'])
      .where('sender_event_id', '=', view.id)
      .execute();
    expect(ev).toEqual([{ sender_org_id: orgs.A.customs.id, kind: 'customs-hold' }]);
    await expect(
      ctx.db.transaction().execute((trx) =>
        issueInstruction(trx, ctx.clock, {
          scope: 'container',
          subject: SYSTEM_BOX,
          portCallId: callA,
          direction: 'import',
          code: '2',
          sendTime: new Date(at(59)),
          actor: SYSTEM_ACTOR,
        }),
      ),
    ).rejects.toMatchObject({ kind: 'CONFLICT', code: 'instructions.older-than-in-force' });
  });
});

describe('acknowledgements and visibility', () => {
  let ackId: string;
  let otherId: string;
  beforeAll(async () => {
    const r = await issue('a-customs-officer', { scope: 'container', subject: ACK, portCallId: callA, code: '2', sendTime: at(30) });
    const o = await issue('a-customs-officer', {
      scope: 'container',
      subject: OTHER_CALL_BOX,
      portCallId: callB,
      code: '2',
      sendTime: at(30),
    });
    expect([r.status, o.status]).toEqual([201, 201]);
    ackId = r.body.id as string;
    otherId = o.body.id as string;
  });

  it('pages the list with the cursor it gave, and refuses one it did not give', async () => {
    const first = await call('a-customs-officer', 'GET', '/api/v1/customs-instructions?limit=1');
    expect(first.body.items).toHaveLength(1);
    const next = await call('a-customs-officer', 'GET', `/api/v1/customs-instructions?limit=1&cursor=${first.body.nextCursor as string}`);
    expect(next.status).toBe(200);
    expect((next.body.items as { id: string }[])[0]?.id).not.toBe((first.body.items as { id: string }[])[0]?.id);
    const bad = await call('a-customs-officer', 'GET', '/api/v1/customs-instructions?cursor=not-a-cursor');
    expect([bad.status, bad.body.error?.details?.[0]?.path]).toEqual([400, '/query/cursor']);
  });

  it('takes one acknowledgement from a terminal of the call; a second is 409, another terminal 404', async () => {
    expect(
      (await call('b-terminal-operator', 'POST', `/api/v1/customs-instructions/${ackId}/acknowledgement`, { status: 'applied' })).status,
    ).toBe(404);
    const unacked = await call('a-terminal-operator', 'GET', `/api/v1/customs-instructions?subject=${ACK}&unacknowledged=true`);
    expect(unacked.body.items).toHaveLength(1);
    // the terminal sees that customs issued it, not which officer; customs sees the officer
    expect(unacked.body.items).toMatchObject([{ issuedBy: null }]);
    const byCustoms = await call('a-customs-officer', 'GET', `/api/v1/customs-instructions/${ackId}`);
    expect(byCustoms.body.issuedBy).toBe(users.A['customs-officer'].id);
    const ok = await call('a-terminal-operator', 'POST', `/api/v1/customs-instructions/${ackId}/acknowledgement`, {
      status: 'applied',
      note: 'set in N4',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.acknowledgement).toMatchObject({ status: 'applied', note: 'set in N4', by: users.A['terminal-operator'].id });
    const again = await call('a-terminal-operator', 'POST', `/api/v1/customs-instructions/${ackId}/acknowledgement`, {
      status: 'rejected',
    });
    expect([again.status, again.body.error?.code]).toEqual([409, 'instructions.already-acknowledged']);
    expect(
      (await call('a-customs-officer', 'POST', `/api/v1/customs-instructions/${ackId}/acknowledgement`, { status: 'applied' })).status,
    ).toBe(403);
    expect(
      (await call('a-terminal-operator', 'GET', `/api/v1/customs-instructions?subject=${ACK}&unacknowledged=true`)).body.items,
    ).toEqual([]);
    const events = await ctx.db
      .selectFrom('events')
      .select(['type', 'org_ids', 'district_code'])
      .where('aggregate_id', '=', ackId)
      .where('type', '=', 'customs.instruction-acknowledged')
      .execute();
    expect(events).toEqual([{ type: 'customs.instruction-acknowledged', org_ids: [orgs.A.terminal.id], district_code: '4200' }]);
  });

  it("terminal B never sees terminal A's instructions or boxes, and A not B's; customs sees its district's", async () => {
    const idsFor = async (who: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: Record<string, unknown> } = await call(
          who,
          'GET',
          `/api/v1/customs-instructions?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        ids.push(...(page.body.items as { id: string }[]).map((i) => i.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor !== null);
      return ids;
    };
    const total = (await ctx.db.selectFrom('customs_instructions').select('id').execute()).length;
    const forA = await idsFor('a-terminal-operator');
    const forB = await idsFor('b-terminal-operator');
    expect(forB).toEqual([otherId]);
    expect(forA).toHaveLength(total - 1);
    expect(forA).not.toContain(otherId);
    expect(new Set(forA).size).toBe(forA.length);
    expect(await idsFor('a-customs-officer')).toHaveLength(total);
    expect(await idsFor('b-customs-officer')).toEqual([]);
    expect((await call('b-terminal-operator', 'GET', `/api/v1/customs-instructions/${ackId}`)).status).toBe(404);
    expect((await call('a-risk-analyst', 'GET', `/api/v1/customs-instructions/${ackId}`)).status).toBe(200);
    const g = await gate('b-terminal-operator', ACK, 'gate-out');
    expect([g.status, g.body.error?.details?.[0]?.path]).toEqual([404, '/containerNumber']);
    expect((await gate('b-terminal-operator', OTHER_CALL_BOX, 'gate-out')).body.allowed).toBe(true);
  });
});

describe('gate check', () => {
  it('allows each move exactly for the codes that permit it, and records every check', async () => {
    const cases = ['1', '2', '7', '8', '9', 'I', 'A', 'B'];
    const before = await ctx.db
      .selectFrom('events')
      .select('type')
      .where('type', 'in', ['gate.check-passed', 'gate.check-refused'])
      .where('aggregate_id', '=', await containerIdOf(GATE))
      .execute();
    let passed = 0;
    for (const [i, code] of cases.entries()) {
      expect(
        (await issue('a-customs-officer', { scope: 'container', subject: GATE, portCallId: callA, code, sendTime: at(200 + i) })).status,
      ).toBe(201);
      for (const move of ['gate-out', 'load'] as const) {
        const allowed = (move === 'gate-out' ? GATE_OUT_CODES : LOAD_CODES).has(code);
        passed += allowed ? 1 : 0;
        const r = await gate('a-terminal-operator', GATE, move);
        expect(r.status).toBe(200);
        expect(r.body, `${code} ${move}`).toMatchObject({
          allowed,
          move,
          reason: allowed ? 'instruction-permits' : HOLDS.has(code) ? 'instruction-holds' : 'instruction-does-not-permit',
          instruction: { code, sendTime: at(200 + i) },
          container: { number: GATE, portCallId: callA, direction: 'import', bills: ['BL-GATE'] },
        });
      }
    }
    const after = await ctx.db
      .selectFrom('events')
      .select(['type', 'org_ids'])
      .where('type', 'in', ['gate.check-passed', 'gate.check-refused'])
      .where('aggregate_id', '=', await containerIdOf(GATE))
      .execute();
    expect(after.length - before.length).toBe(16);
    expect(after.filter((e) => e.type === 'gate.check-passed').length - before.filter((e) => e.type === 'gate.check-passed').length).toBe(
      passed,
    );
    expect(passed).toBe(6);
    expect(after.every((e) => e.org_ids.length === 1 && e.org_ids[0] === orgs.A.terminal.id)).toBe(true);
  });

  it('falls back to the customs flags for a box without any instruction', async () => {
    const send = (kind: string, eventId: string, occurredAt: string) =>
      call('a-customs-officer', 'POST', '/api/v1/container-events', { events: [{ eventId, kind, containerNumber: FALLBACK, occurredAt }] });
    expect((await gate('a-terminal-operator', FALLBACK, 'gate-out')).body).toMatchObject({
      allowed: false,
      reason: 'not-released',
      instruction: null,
    });
    expect((await send('customs-release', 'FLB-R', at(300))).body.accepted).toBe(1);
    expect((await gate('a-terminal-operator', FALLBACK, 'gate-out')).body).toMatchObject({
      allowed: true,
      reason: 'customs-released',
      instruction: null,
    });
    expect((await gate('a-customs-officer', FALLBACK, 'load')).body).toMatchObject({ allowed: true, reason: 'customs-released' });
    expect((await send('customs-hold', 'FLB-H', at(310))).body.accepted).toBe(1);
    expect((await gate('a-terminal-operator', FALLBACK, 'gate-out')).body).toMatchObject({
      allowed: false,
      reason: 'customs-hold',
      container: { flags: { onHold: true, customsReleased: false } },
    });
  });

  it("refuses a box whose release instruction is followed by customs' own hold, until the hold is lifted", async () => {
    const send = (kind: string, eventId: string, occurredAt: string) =>
      call('a-customs-officer', 'POST', '/api/v1/container-events', {
        events: [{ eventId, kind, containerNumber: LATER_HOLD, occurredAt }],
      });
    expect(
      (await issue('a-customs-officer', { scope: 'container', subject: LATER_HOLD, portCallId: callA, code: '9', sendTime: at(320) }))
        .status,
    ).toBe(201);
    expect((await gate('a-terminal-operator', LATER_HOLD, 'load')).body).toMatchObject({ allowed: true, reason: 'instruction-permits' });
    // A hold older than the instruction does not count: the instruction's release is newer.
    expect((await send('customs-hold', 'LH-H0', at(315))).body.accepted).toBe(1);
    expect((await gate('a-terminal-operator', LATER_HOLD, 'load')).body).toMatchObject({ allowed: true, reason: 'instruction-permits' });
    expect((await send('customs-hold', 'LH-H1', at(330))).body.accepted).toBe(1);
    expect((await gate('a-terminal-operator', LATER_HOLD, 'load')).body).toMatchObject({
      allowed: false,
      reason: 'customs-hold',
      instruction: { code: '9', sendTime: at(320) },
    });
    expect((await send('customs-hold-lifted', 'LH-L', at(340))).body.accepted).toBe(1);
    expect((await gate('a-terminal-operator', LATER_HOLD, 'gate-out')).body).toMatchObject({
      allowed: true,
      reason: 'instruction-permits',
    });
  });

  it('answers 404 naming /containerNumber for an unknown box and 400 for a bad number', async () => {
    const unknown = await gate('a-terminal-operator', box('ZZZ', 1), 'gate-out');
    expect([unknown.status, unknown.body.error?.code, unknown.body.error?.details?.[0]?.path]).toEqual([
      404,
      'instructions.container-not-found',
      '/containerNumber',
    ]);
    const bad = await gate('a-terminal-operator', 'ABC123', 'gate-out');
    expect([bad.status, bad.body.error?.details?.[0]?.path]).toEqual([400, '/containerNumber']);
    expect((await call('a-agent', 'POST', '/api/v1/gate-checks', { containerNumber: GATE, move: 'load' })).status).toBe(403);
  });
});

describe('interlock after the fact', () => {
  const alarmsFor = async (number: string) => {
    const id = await containerIdOf(number);
    const events = await ctx.db
      .selectFrom('events')
      .select(['org_ids', 'district_code', 'payload'])
      .where('type', '=', 'container.interlock-breached')
      .where('aggregate_id', '=', id)
      .execute();
    const alerts = await ctx.db
      .selectFrom('alerts')
      .select(['rule_id', 'severity', 'state', 'subject_label', 'org_ids', 'district_code'])
      .where('subject_id', '=', id)
      .execute();
    return { events, alerts };
  };

  it('stores an unreleased gate-out and raises exactly one alarm and one open alert; released moves raise none', async () => {
    // RELEASED has code 2 since at(20); LATE_RELEASE is released only after its gate-out; LOAD_ONLY_GATE may gate out but not load.
    expect(
      (await issue('a-customs-officer', { scope: 'container', subject: LATE_RELEASE, portCallId: callA, code: '2', sendTime: at(420) }))
        .status,
    ).toBe(201);
    expect(
      (await issue('a-customs-officer', { scope: 'container', subject: LOAD_ONLY_GATE, portCallId: callA, code: '2', sendTime: at(20) }))
        .status,
    ).toBe(201);
    const eventsBefore = (await ctx.db.selectFrom('container_events').select('id').execute()).length;
    const r = await call('a-terminal-operator', 'POST', '/api/v1/container-events', {
      events: [
        { eventId: 'ILK-1', kind: 'gate-out', containerNumber: UNRELEASED, occurredAt: at(400) },
        { eventId: 'ILK-2', kind: 'gate-out', containerNumber: RELEASED, occurredAt: at(400) },
        { eventId: 'ILK-3', kind: 'gate-out', containerNumber: LATE_RELEASE, occurredAt: at(400) },
        { eventId: 'ILK-4', kind: 'load', containerNumber: LOAD_ONLY_GATE, occurredAt: at(400) },
        { eventId: 'ILK-5', kind: 'yard-move', containerNumber: UNRELEASED, occurredAt: at(390), location: 'A01' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 5, rejected: 0 });
    expect((await ctx.db.selectFrom('container_events').select('id').execute()).length).toBe(eventsBefore + 5);

    const unreleased = await alarmsFor(UNRELEASED);
    expect(unreleased.events).toHaveLength(1);
    expect(unreleased.events[0]).toMatchObject({
      org_ids: [orgs.A.terminal.id],
      district_code: '4200',
      payload: { number: UNRELEASED, move: 'gate-out', reason: 'not-released', reported: { senderEventId: 'ILK-1' }, instruction: null },
    });
    expect(unreleased.alerts).toEqual([
      {
        rule_id: 'unreleased-box-moved',
        severity: 'alarm',
        state: 'open',
        subject_label: UNRELEASED,
        org_ids: [orgs.A.terminal.id],
        district_code: '4200',
      },
    ]);
    expect(await alarmsFor(RELEASED)).toEqual({ events: [], alerts: [] });
    const late = await alarmsFor(LATE_RELEASE);
    expect([late.events.length, late.alerts.length]).toEqual([1, 1]);
    const loadOnly = await alarmsFor(LOAD_ONLY_GATE);
    expect(loadOnly.events[0]?.payload).toMatchObject({ move: 'load', reason: 'instruction-does-not-permit', instruction: { code: '2' } });
    expect(loadOnly.alerts).toHaveLength(1);

    // A resend is a duplicate: no second alarm.
    const again = await call('a-terminal-operator', 'POST', '/api/v1/container-events', {
      events: [{ eventId: 'ILK-1', kind: 'gate-out', containerNumber: UNRELEASED, occurredAt: at(400) }],
    });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 });
    expect((await alarmsFor(UNRELEASED)).events).toHaveLength(1);
  });

  it('withdraws an alarm when a release effective before the move is reported after it; a release that does not permit the move leaves it', async () => {
    const stateOf = async (number: string) => (await alarmsFor(number)).alerts.map((a) => a.state);
    expect(await stateOf(UNRELEASED)).toEqual(['open']);
    // customs' release took effect at 06:35, before the gate-out at 06:40, but reaches us only now
    const late = await call('a-customs-officer', 'POST', '/api/v1/container-events', {
      events: [
        { eventId: 'ILK-R1', kind: 'customs-release', containerNumber: UNRELEASED, occurredAt: at(395) },
        // LOAD_ONLY_GATE: instruction 2 stays in force and does not permit a load, flag or not
        { eventId: 'ILK-R2', kind: 'customs-release', containerNumber: LOAD_ONLY_GATE, occurredAt: at(10) },
      ],
    });
    expect(late.body).toMatchObject({ accepted: 2, rejected: 0 });
    expect(await stateOf(UNRELEASED)).toEqual(['resolved']);
    expect(await stateOf(LOAD_ONLY_GATE)).toEqual(['open']);
    // LATE_RELEASE was released (instruction 2 at 07:00) after its gate-out (06:40): still a breach
    expect(await stateOf(LATE_RELEASE)).toEqual(['open']);
    const id = await containerIdOf(UNRELEASED);
    const resolved = await ctx.db
      .selectFrom('events')
      .select(['actor_type', 'actor_id', 'payload'])
      .where('type', '=', 'alert.resolved')
      .where(sql<boolean>`payload->>'subjectId' = ${id}`)
      .execute();
    expect(resolved).toMatchObject([
      { actor_type: 'rule', actor_id: 'unreleased-box-moved', payload: { resolution: INTERLOCK_WITHDRAWN } },
    ]);
    // the breach itself stays on the record
    expect((await alarmsFor(UNRELEASED)).events).toHaveLength(1);
  });

  it('leaves the audit chain intact', async () => {
    expect(await verifyChain(ctx.db)).toMatchObject({ ok: true });
  });
});
