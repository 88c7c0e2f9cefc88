import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, createTestApp, login, seedTenants, type TenantOrgs, type TestContext } from '../../../test/app.ts';
import { newId } from '../../core/ids.ts';
import { PROJECT_ROOT } from '../../core/paths.ts';
import { loadReferenceData } from '../../seed/load-reference-data.ts';
import { assessRisk } from './risk.commands.ts';
import type { RiskFacts } from './risk.facts.ts';
import type { RiskChannel, RiskRuleSet } from './risk.rules.ts';

let ctx: TestContext;
let orgs: TenantOrgs;
const tokens: Record<string, string> = {};
const call = (...args: Parameters<ReturnType<typeof apiAs>>) => apiAs(ctx, tokens)(...args);

const demo = (
  JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'reference-data', 'shandong', 'customs-risk-rules.json'), 'utf8')) as {
    document: RiskRuleSet;
  }
).document;
const noRandom = { ...demo.randomSelection, rates: { 'advanced-certified': 0, 'general-certified': 0, general: 0, discredited: 0 } };
/** A draft: the demo ranges and words, no random selection, and these rules. */
const draft = (rules: { id: string; condition: string; channel: RiskChannel }[]): RiskRuleSet => ({
  ...demo,
  randomSelection: noRandom,
  rules: rules.map((r) => ({ ...r, reasonZh: `规则 ${r.id}`, reasonEn: `rule ${r.id}` })),
});

const facts = (id: string, over: Partial<RiskFacts> = {}): RiskFacts => ({
  declarationId: id,
  direction: 'import',
  procedure: 'standard',
  creditClass: 'general',
  enterpriseCode: '3702960001',
  customsCode: '4218',
  tradeMode: '0110',
  transMode: 'CIF',
  items: [{ seq: 1, hsCode: '2601110000', description: 'Iron ore fines, 62% Fe', origin: 'AU', netKg: 100_000, value: 72_000 }],
  declaredGrossKg: 100_000,
  manifestedGrossKg: 100_000,
  rebate: false,
  ...over,
});

/** A past declaration written straight into the table, as the declarations module would have left it. */
let entrySerial = 0;
const insertDeclaration = async (
  tenant: 'A' | 'B',
  declaredAt: string,
  channel: RiskChannel | null,
  over: Partial<RiskFacts> | null,
): Promise<string> => {
  const at = new Date(declaredAt);
  const id = newId('declaration', at);
  const f = over === null ? null : facts(id, { customsCode: tenant === 'A' ? '4218' : '8801', ...over });
  entrySerial += 1;
  await ctx.db
    .insertInto('declarations')
    .values({
      id,
      entry_id: `${tenant === 'A' ? '4218' : '8801'}20261${String(entrySerial).padStart(9, '0')}`,
      direction: 'import',
      procedure: 'standard',
      status: 'R',
      declarant_org_id: orgs[tenant].enterprise.id,
      enterprise_code: '3702960001',
      credit_class: f?.creditClass ?? 'general',
      customs_code: tenant === 'A' ? '4218' : '8801',
      district_code: tenant === 'A' ? '4200' : '8800',
      packages: 1,
      gross_kg: f?.declaredGrossKg ?? 100_000,
      net_kg: 100_000,
      total_value: 72_000,
      currency: 'CNY',
      channel,
      risk: null,
      risk_facts: f === null ? null : JSON.stringify(f),
      document: JSON.stringify({ items: f?.items ?? [] }),
      declared_at: at,
      updated_at: at,
    })
    .execute();
  return id;
};

const versionCount = async (): Promise<number> =>
  Number(
    (
      await ctx.db
        .selectFrom('policy_versions')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('kind', '=', 'customs-risk')
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  ctx = await createTestApp();
  ({ orgs } = await seedTenants(ctx));
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  for (const u of [
    'a-risk-analyst',
    'a-customs-officer',
    'b-customs-officer',
    'a-declarant',
    'a-terminal-operator',
    'a-agent',
    'a-laboratory',
    'a-operator',
    'a-admin',
  ]) {
    tokens[u] = await login(ctx.app, u);
  }
});
afterAll(async () => ctx.close());

describe('the customs risk rule set as a policy', () => {
  it('is seeded from the demo file as version 1 and readable by customs only', async () => {
    const current = await call('a-customs-officer', 'GET', '/api/v1/risk/rule-sets/current');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ kind: 'customs-risk', version: 1, effectiveFrom: '2000-01-01T00:00:00.000Z', document: demo });
    expect((await call('a-risk-analyst', 'GET', '/api/v1/risk/rule-sets')).body.items).toHaveLength(1);
    for (const who of ['a-declarant', 'a-terminal-operator', 'a-agent', 'a-laboratory', 'a-operator']) {
      expect((await call(who, 'GET', '/api/v1/risk/rule-sets')).status, who).toBe(403);
      expect((await call(who, 'GET', '/api/v1/risk/rule-sets/current')).status, who).toBe(403);
    }
  });

  it('is published by a risk analyst; officers, traders and terminals may not publish', async () => {
    const body = { document: draft([{ id: 'weight', condition: 'weightDeviation > 0.05', channel: 'machine-scan' }]), note: 'weight only' };
    const r = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ kind: 'customs-risk', version: 2, note: 'weight only', effectiveFrom: '2026-11-01T08:00:00.000Z' });
    for (const who of ['a-customs-officer', 'a-declarant', 'a-terminal-operator', 'a-agent']) {
      expect((await call(who, 'POST', '/api/v1/risk/rule-sets', body)).status, who).toBe(403);
    }
    expect(await versionCount()).toBe(2);
    const event = await ctx.db
      .selectFrom('events')
      .select(['type', 'aggregate_id', 'payload'])
      .where('type', '=', 'policy.version-published')
      .where('aggregate_id', '=', 'customs-risk')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ kind: 'customs-risk', version: 2, note: 'weight only' });
  });

  it('refuses a bad condition, a duplicate id or a bad channel with the path, publishing nothing', async () => {
    const bad = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets', {
      document: draft([
        { id: 'ok', condition: 'rebate', channel: 'document-review' },
        { id: 'bad', condition: 'origin in ["KP", "IR"', channel: 'machine-scan' },
        { id: 'ok', condition: 'valuePerKg < refMinn', channel: 'machine-scan' },
      ]),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('risk.invalid-rule-set');
    expect(bad.body.error?.details).toEqual([
      { path: '/document/rules/1/condition', message: 'at character 21: expected "," or "]", found the end of the condition' },
      { path: '/document/rules/2/id', message: 'duplicate rule id ok' },
      { path: '/document/rules/2/condition', message: 'at character 13: unknown field refMinn (did you mean refMin?)' },
    ]);
    const channel = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets', {
      document: { ...draft([]), rules: [{ id: 'x', condition: 'rebate', channel: 'inspect', reasonZh: '甲', reasonEn: 'a' }] },
    });
    expect(channel.status).toBe(400);
    expect(channel.body.error?.details?.map((d) => d.path)).toContain('/document/rules/0/channel');
    expect(await versionCount()).toBe(2);
  });
});

describe('the dry run', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    // District 4200 (tenant A), in the window 2026-10-01 .. 2026-10-31:
    ids.clean = await insertDeclaration('A', '2026-10-05T01:00:00Z', 'release', {});
    ids.heavy = await insertDeclaration('A', '2026-10-06T01:00:00Z', 'release', { declaredGrossKg: 110_000 });
    ids.words = await insertDeclaration('A', '2026-10-07T01:00:00Z', 'document-review', {
      items: [{ seq: 1, hsCode: '8481800000', description: 'Valves, dual-use', origin: 'DE', netKg: 500, value: 90_000 }],
    });
    ids.scanned = await insertDeclaration('A', '2026-10-08T01:00:00Z', 'machine-scan', { declaredGrossKg: 120_000 });
    ids.reviewed = await insertDeclaration('A', '2026-10-09T01:00:00Z', 'document-review', {});
    // Not replayed: no stored facts, outside the window, or another district.
    ids.noFacts = await insertDeclaration('A', '2026-10-10T01:00:00Z', 'release', null);
    ids.before = await insertDeclaration('A', '2026-09-20T01:00:00Z', 'release', { declaredGrossKg: 110_000 });
    ids.other = await insertDeclaration('B', '2026-10-06T01:00:00Z', 'release', { declaredGrossKg: 110_000 });
  });
  const body = (over: Record<string, unknown> = {}) => ({
    document: draft([
      { id: 'weight', condition: 'weightDeviation > 0.05', channel: 'machine-scan' },
      { id: 'words', condition: 'description containsAny sensitiveWords', channel: 'manual-inspection' },
    ]),
    from: '2026-10-01T00:00:00Z',
    to: '2026-10-31T00:00:00Z',
    ...over,
  });

  it("replays a draft over the district's past declarations: exact counts and the changed ids", async () => {
    const before = await ctx.db.selectFrom('declarations').select(['id', 'channel', 'risk']).orderBy('id').execute();
    const r = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets/dry-run', body());
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({
      draftVersion: 3,
      window: { from: '2026-10-01T00:00:00.000Z', to: '2026-10-31T00:00:00.000Z' },
      total: 5,
      skipped: 0,
      current: { release: 2, 'document-review': 2, 'machine-scan': 1, 'manual-inspection': 0, 'machine-then-manual': 0 },
      draft: { release: 2, 'document-review': 0, 'machine-scan': 2, 'manual-inspection': 1, 'machine-then-manual': 0 },
      changedCount: 3,
    });
    const changed = r.body.changed as {
      declarationId: string;
      entryId: string;
      from: string;
      to: string;
      fired: { ruleId: string; detail: string }[];
    }[];
    // listed by entry number too, as officers know them
    const entries = await ctx.db.selectFrom('declarations').select(['id', 'entry_id']).execute();
    expect(changed.map((c) => c.entryId)).toEqual(changed.map((c) => entries.find((e) => e.id === c.declarationId)?.entry_id));
    expect(changed.every((c) => /^4218\d{14}$/.test(c.entryId))).toBe(true);
    expect(changed.map(({ declarationId, from, to }) => ({ declarationId, from, to }))).toEqual([
      { declarationId: ids.heavy, from: 'release', to: 'machine-scan' },
      { declarationId: ids.words, from: 'document-review', to: 'manual-inspection' },
      { declarationId: ids.reviewed, from: 'document-review', to: 'release' },
    ]);
    expect(changed[0]?.fired).toEqual([
      { ruleId: 'weight', channel: 'machine-scan', reasonZh: '规则 weight', reasonEn: 'rule weight', detail: 'weightDeviation=0.1' },
    ]);
    // Nothing written: no version, declarations as they were.
    expect(await versionCount()).toBe(2);
    expect(await ctx.db.selectFrom('declarations').select(['id', 'channel', 'risk']).orderBy('id').execute()).toEqual(before);
  });

  it('caps the changed list, keeps the totals, and sees only the caller’s district', async () => {
    const capped = await call('a-customs-officer', 'POST', '/api/v1/risk/rule-sets/dry-run', body({ limit: 1 }));
    expect(capped.body).toMatchObject({ total: 5, changedCount: 3 });
    expect((capped.body.changed as { declarationId: string }[]).map((c) => c.declarationId)).toEqual([ids.heavy]);
    const b = await call('b-customs-officer', 'POST', '/api/v1/risk/rule-sets/dry-run', body());
    expect(b.body).toMatchObject({ total: 1, changedCount: 1 });
    expect((b.body.changed as { declarationId: string }[]).map((c) => c.declarationId)).toEqual([ids.other]);
    const all = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets/dry-run', body({ from: undefined, to: undefined }));
    expect(all.body).toMatchObject({ total: 6, changedCount: 4, window: { from: null, to: '2026-11-01T08:00:00.000Z' } });
  });

  it('validates the draft like a publication and refuses traders and terminals', async () => {
    const bad = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets/dry-run', {
      document: draft([{ id: 'x', condition: 'weightDeviation >', channel: 'machine-scan' }]),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.details).toEqual([
      { path: '/document/rules/0/condition', message: 'at character 17: the condition ends where a value was expected' },
    ]);
    const window = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets/dry-run', body({ from: '2026-11-01T00:00:00Z' }));
    expect(window.status).toBe(400);
    expect(window.body.error?.details?.[0]?.path).toBe('/from');
    for (const who of ['a-declarant', 'a-terminal-operator', 'a-agent']) {
      expect((await call(who, 'POST', '/api/v1/risk/rule-sets/dry-run', body())).status, who).toBe(403);
    }
  });
});

describe('evaluation over time', () => {
  it('uses a newer version only from its effectiveFrom', async () => {
    const everything = draft([{ id: 'all', condition: 'itemCount >= 0', channel: 'document-review' }]);
    const later = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets', {
      document: everything,
      effectiveFrom: '2026-11-01T10:00:00Z',
    });
    expect(later.status).toBe(201);
    expect(later.body.version).toBe(3);
    const f = facts('decl_time_1');
    const now = await assessRisk(ctx.db, f, ctx.clock.now());
    expect(now).toMatchObject({ ruleSetVersion: 2, channel: 'release', fired: [] });
    expect((await call('a-customs-officer', 'GET', '/api/v1/risk/rule-sets/current')).body.version).toBe(2);
    ctx.clock.set('2026-11-01T10:00:00Z');
    // Tokens live 15 minutes on the test clock.
    tokens['a-customs-officer'] = await login(ctx.app, 'a-customs-officer');
    tokens['a-risk-analyst'] = await login(ctx.app, 'a-risk-analyst');
    expect(await assessRisk(ctx.db, f, ctx.clock.now())).toMatchObject({ ruleSetVersion: 3, channel: 'document-review' });
    expect((await call('a-customs-officer', 'GET', '/api/v1/risk/rule-sets/current')).body.version).toBe(3);
    // A decision taken earlier still replays under the version then in force.
    expect((await assessRisk(ctx.db, f, new Date('2026-11-01T09:59:59Z'))).ruleSetVersion).toBe(2);
    // Backdating is refused.
    const past = await call('a-risk-analyst', 'POST', '/api/v1/risk/rule-sets', {
      document: everything,
      effectiveFrom: '2026-10-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body.error?.details?.[0]?.path).toBe('/effectiveFrom');
  });
});
