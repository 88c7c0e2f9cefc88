import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/app.ts';
import { openAlert } from './alerts.store.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx.close());

const input = {
  ruleId: 'interlock.gate-out-unreleased',
  ruleVersion: null,
  severity: 'alarm' as const,
  subjectType: 'container',
  subjectId: 'ctr_test-store-1',
  subjectLabel: 'MSKU1234565',
  districtCode: '4200',
  orgIds: ['org_b', 'org_a', 'org_a'],
  detail: { reason: 'gated out without release' },
};

describe('openAlert', () => {
  it('opens one alert per rule and subject with its event; a second open is a no-op naming the open one', async () => {
    const first = await ctx.db.transaction().execute((trx) => openAlert(trx, ctx.clock, input));
    expect(first.opened).toBe(true);
    expect(first.id).toMatch(/^alrt_/);
    const second = await ctx.db.transaction().execute((trx) => openAlert(trx, ctx.clock, { ...input, detail: { again: true } }));
    expect(second).toEqual({ id: first.id, opened: false });
    const rows = await ctx.db.selectFrom('alerts').selectAll().where('subject_id', '=', input.subjectId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: 'open',
      severity: 'alarm',
      org_ids: ['org_a', 'org_b'],
      rule_version: null,
      detail: input.detail,
    });
    const events = await ctx.db
      .selectFrom('events')
      .select(['type', 'org_ids', 'district_code'])
      .where('aggregate_id', '=', first.id)
      .execute();
    expect(events).toEqual([{ type: 'alert.opened', org_ids: ['org_a', 'org_b'], district_code: '4200' }]);
  });

  it('opens a new alert for the same rule and subject once the earlier one is resolved', async () => {
    const subject = { ...input, subjectId: 'ctr_test-store-2' };
    const first = await ctx.db.transaction().execute((trx) => openAlert(trx, ctx.clock, subject));
    await ctx.db
      .updateTable('alerts')
      .set({ state: 'resolved', resolved_at: ctx.clock.now(), resolution: 'test' })
      .where('id', '=', first.id)
      .execute();
    const again = await ctx.db.transaction().execute((trx) => openAlert(trx, ctx.clock, subject));
    expect(again.opened).toBe(true);
    expect(again.id).not.toBe(first.id);
  });
});
