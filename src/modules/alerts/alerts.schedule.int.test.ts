import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/app.ts';
import { enqueueDue, periodStart, Scheduler, SCHEDULES, type Schedule } from '../../jobs/schedule.ts';
import { JobRunner } from '../../jobs/runner.ts';
import { alertJobs, ALERTS_EVALUATE_JOB } from './alerts.jobs.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx.close());

const MINUTE = 60_000;
const jobsNamed = (name: string) =>
  ctx.db.selectFrom('jobs').select(['name', 'status', 'dedupe_key', 'run_at']).where('name', '=', name).orderBy('created_at').execute();

describe('the recurring job scheduler', () => {
  it('lists alerts.evaluate every 5 minutes', () => {
    expect(SCHEDULES).toContainEqual({ job: ALERTS_EVALUATE_JOB, everyMs: 5 * MINUTE });
  });

  it('enqueues one job per period however often it ticks, also after the job ran', async () => {
    // 08:00:00 starts a 5-minute period; ticks at :00, :02 and, after the job is done, :04 add nothing
    ctx.clock.set('2026-11-01T08:00:00Z');
    const schedules: Schedule[] = [{ job: 'test.every-five', everyMs: 5 * MINUTE }];
    expect(await enqueueDue(ctx.db, ctx.clock, schedules)).toEqual(['test.every-five']);
    ctx.clock.advance(2 * MINUTE);
    expect(await enqueueDue(ctx.db, ctx.clock, schedules)).toEqual([]);
    const runner = new JobRunner(ctx.db, ctx.clock).register({ name: 'test.every-five', handler: async () => {} });
    expect(await runner.drain()).toBe(1);
    ctx.clock.advance(2 * MINUTE);
    expect(await enqueueDue(ctx.db, ctx.clock, schedules)).toEqual([]);
    // 08:05 is the next period
    ctx.clock.advance(MINUTE);
    expect(await enqueueDue(ctx.db, ctx.clock, schedules)).toEqual(['test.every-five']);
    const jobs = await jobsNamed('test.every-five');
    expect(jobs.map((j) => [j.status, j.dedupe_key])).toEqual([
      ['done', 'schedule:test.every-five:2026-11-01T08:00:00.000Z'],
      ['queued', 'schedule:test.every-five:2026-11-01T08:05:00.000Z'],
    ]);
  });

  it('two schedulers (two server processes) ticking in the same period enqueue one job', async () => {
    ctx.clock.set('2026-11-01T09:00:30Z');
    const schedules: Schedule[] = [{ job: 'test.twice', everyMs: MINUTE }];
    const a = new Scheduler(ctx.db, ctx.clock, schedules);
    const b = new Scheduler(ctx.db, ctx.clock, schedules);
    const [ra, rb] = await Promise.all([a.tick(), b.tick()]);
    expect([...ra, ...rb]).toEqual(['test.twice']);
    expect(await jobsNamed('test.twice')).toHaveLength(1);
  });

  it('a scheduler remembers the periods it settled and does not look again within one', async () => {
    ctx.clock.set('2026-11-01T09:30:10Z');
    const schedules: Schedule[] = [{ job: 'test.memo', everyMs: MINUTE }];
    const s = new Scheduler(ctx.db, ctx.clock, schedules);
    expect(await s.tick()).toEqual(['test.memo']);
    await ctx.db.deleteFrom('jobs').where('name', '=', 'test.memo').execute();
    expect(await s.tick()).toEqual([]);
    // a fresh process has no memory and asks the table
    expect(await new Scheduler(ctx.db, ctx.clock, schedules).tick()).toEqual(['test.memo']);
    ctx.clock.advance(MINUTE);
    expect(await s.tick()).toEqual(['test.memo']);
  });

  it('periods are aligned to the epoch, so every process agrees on them', () => {
    expect(periodStart(new Date('2026-11-01T08:04:59.999Z'), 5 * MINUTE).toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(periodStart(new Date('2026-11-01T08:05:00Z'), 5 * MINUTE).toISOString()).toBe('2026-11-01T08:05:00.000Z');
  });

  it('start() does no work at once: the first tick waits', async () => {
    ctx.clock.set('2026-11-01T10:00:00Z');
    const s = new Scheduler(ctx.db, ctx.clock, [{ job: 'test.deferred', everyMs: MINUTE }], { firstDelayMs: 60_000 });
    s.start();
    await s.stop();
    expect(await jobsNamed('test.deferred')).toHaveLength(0);
  });

  it('the alerts.evaluate job completes without rules in force (a database before its seed)', async () => {
    ctx.clock.set('2026-11-01T11:00:00Z');
    expect(await enqueueDue(ctx.db, ctx.clock)).toContain(ALERTS_EVALUATE_JOB);
    const runner = new JobRunner(ctx.db, ctx.clock);
    for (const def of alertJobs()) {
      runner.register(def);
    }
    expect(await runner.drain()).toBe(1);
    expect((await jobsNamed(ALERTS_EVALUATE_JOB)).map((j) => j.status)).toEqual(['done']);
  });
});
