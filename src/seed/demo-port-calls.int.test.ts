import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/app.ts';
import { loadUserPrincipal } from '../auth/authenticate.ts';
import { listContainers } from '../modules/cargo/index.ts';
import { ensureDemoCargo } from './demo-cargo.ts';
import { ensureDemoPortCalls } from './demo-port-calls.ts';
import { ensureDemoUsers } from './demo-users.ts';
import { loadReferenceData } from './load-reference-data.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
  await loadReferenceData({ db: ctx.db, clock: ctx.clock });
  await ensureDemoUsers({ db: ctx.db, clock: ctx.clock });
});
afterAll(async () => ctx.close());

describe('demo port calls', () => {
  it('files the demo ships once, through the commands, each with its events', async () => {
    expect(await ensureDemoPortCalls({ db: ctx.db, clock: ctx.clock })).toBe(5);
    expect(await ensureDemoPortCalls({ db: ctx.db, clock: ctx.clock })).toBe(0);
    const calls = await ctx.db.selectFrom('port_calls').select(['id', 'late_report']).execute();
    expect(calls).toHaveLength(5);
    expect(calls.filter((c) => c.late_report)).toHaveLength(1);
    const cases = await ctx.db.selectFrom('quarantine_cases').select(['proposed_mode', 'forced_mode']).orderBy('proposed_mode').execute();
    expect(cases).toEqual([
      { proposed_mode: 'anchorage', forced_mode: 'anchorage' },
      { proposed_mode: 'smart-remote', forced_mode: null },
      { proposed_mode: 'telecom', forced_mode: null },
    ]);
    const filed = await ctx.db.selectFrom('events').select('aggregate_id').where('type', '=', 'port-call.pre-reported').execute();
    expect(filed.map((e) => e.aggregate_id).sort()).toEqual(calls.map((c) => c.id).sort());
  });
});

describe('demo cargo', () => {
  it('puts a ship alongside with twelve import boxes in various stages and an export manifest, once', async () => {
    expect(await ensureDemoCargo({ db: ctx.db, clock: ctx.clock })).toBe(12);
    expect(await ensureDemoCargo({ db: ctx.db, clock: ctx.clock })).toBe(0);
    const manifests = await ctx.db.selectFrom('manifests').select(['kind', 'late']).orderBy('kind').execute();
    expect(manifests.map((m) => m.kind)).toEqual(['export-pre-stowage', 'import-original']);
    const officer = await ctx.db.selectFrom('users').select('id').where('username', '=', 'officer').executeTakeFirstOrThrow();
    const principal = await loadUserPrincipal(ctx.db, officer.id);
    if (principal === null) {
      throw new Error('no officer');
    }
    const boxes = (await listContainers(ctx.db, principal, { limit: 100 })).filter((b) => b.direction === 'import');
    expect(boxes).toHaveLength(12);
    const flags = boxes.map((b) => b.flags);
    expect(flags.filter((f) => f.discharged)).toHaveLength(12);
    expect(flags.filter((f) => f.customsReleased)).toHaveLength(8);
    expect(flags.filter((f) => f.gatedOut)).toHaveLength(4);
    expect(flags.filter((f) => f.onHold)).toHaveLength(1);
    for (const [flag, n] of [
      ['on-hold', 1],
      ['customs-released', 8],
      ['gated-out', 4],
      ['discharged', 12],
    ] as const) {
      expect((await listContainers(ctx.db, principal, { flag, limit: 100 })).length, flag).toBe(n);
    }
    const stored = await ctx.db
      .selectFrom('container_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(12 * 2 + 6 + 4 + 8 + 1);
  });
});
