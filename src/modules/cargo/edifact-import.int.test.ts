import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, createTestApp, login, seedTenants, type TenantOrgs, type TestContext } from '../../../test/app.ts';
import { PROJECT_ROOT } from '../../core/paths.ts';
import { importEdifact } from '../../edi/index.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';
import { containerStatuses } from './edifact-import.ts';

let ctx: TestContext;
let orgs: TenantOrgs;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);

const FIXTURES = path.join(PROJECT_ROOT, 'src/edi/fixtures');
const SAMPLES = path.join(PROJECT_ROOT, '..', 'shared', 'data', 'edifact', 'samples');
const haveSamples = fs.existsSync(SAMPLES);
if (!haveSamples) {
  console.warn(`EDIFACT samples not found at ${SAMPLES}: the shared-sample cases are skipped`);
}

type Upload = {
  status: number;
  body: Record<string, unknown> & {
    messages: Record<string, unknown>[];
    errors: { code: string; segment: number | null; tag: string | null; message: string }[];
  };
};
const upload = async (who: string, file: string, query = ''): Promise<Upload> => {
  const res = await ctx.app.inject({
    method: 'POST',
    url: `/api/v1/edifact/interchanges?fileName=${encodeURIComponent(path.basename(file))}${query}`,
    headers: { authorization: `Bearer ${tokens[who] ?? ''}`, 'content-type': 'application/edifact' },
    payload: fs.readFileSync(file),
  });
  return { status: res.statusCode, body: res.json() };
};

let callId: string;

beforeAll(async () => {
  ctx = await createTestApp({ bodyLimitBytes: 1_048_576 });
  ({ orgs } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  await ctx.db.updateTable('terminals').set({ operator_org_id: orgs.A.terminal.id }).where('code', 'in', ['QQCT', 'QQCTN']).execute();
  // Headings the CUSCAR fixture's goods use, beyond the demo HS subset.
  for (const [code, level, parent] of [
    ['94', 2, 'TOTAL'],
    ['9405', 4, '94'],
    ['69', 2, 'TOTAL'],
    ['6907', 4, '69'],
    ['95', 2, 'TOTAL'],
    ['9503', 4, '95'],
  ] as const) {
    await ctx.db.insertInto('hs_codes').values({ code, level, parent, section: 'XX', description: code, edition: 'test' }).execute();
  }
  for (const u of ['a-agent', 'a-terminal-operator', 'b-terminal-operator', 'a-customs-officer']) {
    tokens[u] = await login(ctx.app, u);
  }
  const filed = await call('a-agent', 'POST', '/api/v1/port-calls', {
    portLocode: 'CNTAO',
    declaredCode: { portCode: 'CNQGD', customsCode: '4218' },
    vessel: { imo: '1001037', draftM: 14.5 },
    voyage: '024E',
    lastPort: 'CNSHA',
    lastPortDeparture: '2026-11-03T00:00:00Z',
    eta: '2026-11-04T06:00:00Z',
    etd: '2026-11-05T06:00:00Z',
    purpose: 'cargo',
    cargoType: 'container',
    crewCount: 24,
    dangerousGoods: false,
  });
  callId = filed.body.id as string;
  const berth = (await ctx.db.selectFrom('berths').select('id').where('code', '=', 'QQCT-01').executeTakeFirstOrThrow()).id;
  await call('a-terminal-operator', 'POST', `/api/v1/port-calls/${callId}/berth-plan`, {
    berthId: berth,
    start: '2026-11-04T08:00:00Z',
    end: '2026-11-05T04:00:00Z',
  });
});
afterAll(async () => ctx.close());

describe.skipIf(!haveSamples)('the shared EDIFACT samples', () => {
  it('imports the php-edifact D95B BAPLIE: 1 message of 30 segments, 3 boxes, stored as a stowage plan', async () => {
    const r = await upload('a-terminal-operator', path.join(SAMPLES, 'php-edifact_D95B_BAPLIE.edi'));
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.messages).toHaveLength(1);
    expect(r.body.messages[0]).toMatchObject({ type: 'BAPLIE', segmentCount: 30, equipmentCount: 3, outcome: { status: 'imported' } });
    const plan = await ctx.db
      .selectFrom('stowage_plans')
      .select(['equipment_count'])
      .where('id', '=', (r.body.messages[0]?.outcome as { stowagePlanId: string }).stowagePlanId)
      .executeTakeFirstOrThrow();
    expect(plan.equipment_count).toBe(3);
  });

  it('imports the apimeister D04B BAPLIE: 1 message of 19 segments, 1 box', async () => {
    const r = await upload('a-terminal-operator', path.join(SAMPLES, 'apimeister_d04b_baplie.edi'));
    expect(r.body.ok).toBe(true);
    expect(r.body.messages[0]).toMatchObject({ type: 'BAPLIE', segmentCount: 19, equipmentCount: 1, outcome: { status: 'imported' } });
  });

  it('rejects the apimeister D95B COPRAR for its real defects (no UNB; UNT says 56 for 29 segments) and imports nothing', async () => {
    const before = await ctx.db
      .selectFrom('stowage_plans')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const r = await upload('a-terminal-operator', path.join(SAMPLES, 'apimeister_d95b_coprar.edi'));
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    const unt = r.body.errors.find((e) => e.tag === 'UNT');
    expect(unt).toMatchObject({ segment: 29 });
    expect(unt?.message).toContain('56');
    expect(r.body.errors.some((e) => e.message.includes('UNB'))).toBe(true);
    expect(r.body.messages.every((m) => (m.outcome as { status: string }).status !== 'imported')).toBe(true);
    const after = await ctx.db
      .selectFrom('stowage_plans')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe('EDIFACT into the cargo chain', () => {
  it('files a CUSCAR as an import manifest (2 bills, master and house, 3 goods items, 3 boxes)', async () => {
    const r = await upload('a-agent', path.join(FIXTURES, 'cuscar-d95b.edi'), `&portCallId=${callId}`);
    expect(r.body.ok).toBe(true);
    const outcome = r.body.messages[0]?.outcome as { status: string; manifestId: string };
    expect(outcome.status, JSON.stringify(r.body.messages[0])).toBe('imported');
    const m = await call('a-agent', 'GET', `/api/v1/manifests/${outcome.manifestId}`);
    expect(m.body).toMatchObject({ kind: 'import-original', documentNumber: 'MAN2024031501', bills: 2, equipment: 3 });
    const bills = (m.body.document as { bills: { number: string; masterNumber: string | null; goods: unknown[] }[] }).bills;
    expect(bills.map((b) => [b.number, b.masterNumber, b.goods.length])).toEqual([
      ['MAEU240001', null, 2],
      ['NBTX-0077', 'MAEU240001', 1],
    ]);
    const again = await upload('a-agent', path.join(FIXTURES, 'cuscar-d95b.edi'), `&portCallId=${callId}`);
    expect((again.body.messages[0]?.outcome as { status: string }).status).toBe('duplicate');
  });

  it('takes COARRI discharges and CODECO gate-outs as terminal events; a resend changes nothing; another terminal is refused per box', async () => {
    const coarri = await upload('a-terminal-operator', path.join(FIXTURES, 'coarri-discharge.edi'));
    expect(coarri.body.messages[0]).toMatchObject({
      type: 'COARRI',
      equipmentCount: 3,
      outcome: { status: 'imported', events: { accepted: 3, rejected: 0 } },
    });
    const codeco = await upload('a-terminal-operator', path.join(FIXTURES, 'codeco-gate-out.edi'));
    expect(codeco.body.messages[0]).toMatchObject({ type: 'CODECO', outcome: { status: 'imported', events: { accepted: 2 } } });
    const resend = await upload('a-terminal-operator', path.join(FIXTURES, 'coarri-discharge.edi'));
    expect(resend.body.messages[0]).toMatchObject({ outcome: { status: 'duplicate', events: { accepted: 0, duplicates: 3 } } });
    const stranger = await upload('b-terminal-operator', path.join(FIXTURES, 'coarri-discharge.edi'));
    expect(stranger.body.messages[0]).toMatchObject({ outcome: { status: 'rejected', events: { accepted: 0, rejected: 3 } } });
    const boxes = await call('a-agent', 'GET', `/api/v1/containers?portCallId=${callId}&flag=gated-out`);
    expect(
      (boxes.body.items as { number: string; flags: { discharged: boolean } }[]).map((b) => [b.number, b.flags.discharged]).sort(),
    ).toEqual([
      ['MSKU1234565', true],
      ['MSKU7654328', true],
    ]);
  });

  it('sends a box visit as IFTSTA that reads back to the same statuses', async () => {
    const id = (await ctx.db.selectFrom('containers').select('id').where('number', '=', 'MSKU1234565').executeTakeFirstOrThrow()).id;
    await call('a-customs-officer', 'POST', '/api/v1/container-events', {
      events: [{ eventId: 'C-REL-1', kind: 'customs-release', containerNumber: 'MSKU1234565', occurredAt: '2024-03-19T10:00:00Z' }],
    });
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/containers/${id}/iftsta`,
      headers: { authorization: `Bearer ${tokens['a-agent'] ?? ''}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/edifact');
    const back = importEdifact(res.body);
    expect(back.ok).toBe(true);
    const expected = await containerStatuses(ctx.db, id);
    expect(expected.map((s) => s.statusCode)).toEqual(['DIS', '12', 'GOU']);
    expect(back.messages[0]?.value).toEqual(expected);
  });

  it("rejects a truncated file with the reader's reason and imports none of it", async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'codeco-gate-out.edi'), 'latin1');
    const before = await ctx.db
      .selectFrom('container_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/edifact/interchanges?fileName=cut.edi',
      headers: { authorization: `Bearer ${tokens['a-terminal-operator'] ?? ''}`, 'content-type': 'application/edifact' },
      payload: text.slice(0, Math.floor(text.length / 2)),
    });
    const body = res.json() as Upload['body'];
    expect(res.statusCode).toBe(200);
    expect(body.ok).toBe(false);
    expect(body.errors.length).toBeGreaterThan(0);
    expect(body.errors.map((e) => e.message).join(' ')).toMatch(/UNT|UNZ|end/);
    expect(body.messages.every((m) => (m.outcome as { status: string }).status !== 'imported')).toBe(true);
    const after = await ctx.db
      .selectFrom('container_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses an upload over the size limit with 413 and an empty one with 400, storing nothing', async () => {
    const big = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/edifact/interchanges',
      headers: { authorization: `Bearer ${tokens['a-terminal-operator'] ?? ''}`, 'content-type': 'application/edifact' },
      payload: Buffer.alloc(13 * 1_048_576, 0x41),
    });
    expect(big.statusCode).toBe(413);
    expect((big.json() as { error: { code: string } }).error.code).toBe('core.body-too-large');
    const empty = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/edifact/interchanges',
      headers: { authorization: `Bearer ${tokens['a-terminal-operator'] ?? ''}`, 'content-type': 'application/edifact' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    const list = await call('a-terminal-operator', 'GET', '/api/v1/edifact/interchanges?limit=100');
    expect((list.body.items as { sizeBytes: number }[]).every((i) => i.sizeBytes > 0 && i.sizeBytes < 12 * 1_048_576)).toBe(true);
  });
});
