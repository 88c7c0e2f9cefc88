import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/client.ts';
import { enqueueJob } from './queue.ts';
import type { Logger } from './runner.ts';

/** A job the server enqueues every `everyMs`; its handler is registered with the runner as usual. */
export type Schedule = { job: string; everyMs: number; payload?: Record<string, unknown> };

const MINUTE = 60_000;

/**
 * The recurring jobs. Add a line here for a new one (and register its JobDefinition in
 * server.ts); job names are stable ids, so this list needs no module imports.
 */
export const SCHEDULES: Schedule[] = [
  { job: 'alerts.evaluate', everyMs: 5 * MINUTE },
  // advance declarations are released when their goods arrive: a minute late at most
  { job: 'declarations.release-on-arrival', everyMs: MINUTE },
];

/** Start of the period `at` falls in; periods are aligned to the epoch, so every process agrees on them. */
export const periodStart = (at: Date, everyMs: number): Date => new Date(Math.floor(at.getTime() / everyMs) * everyMs);

/** The job's dedupe key for one period: at most one run per period, however many servers tick. */
export const scheduleKey = (s: Schedule, at: Date): string => `schedule:${s.job}:${periodStart(at, s.everyMs).toISOString()}`;

/**
 * Enqueues the schedules whose current period has no job yet (queued, running, done or dead).
 * The partial unique index on queued dedupe keys settles two servers that check at the same instant.
 * Returns the names enqueued.
 */
export const enqueueDue = async (
  db: Db,
  clock: Clock,
  schedules: readonly Schedule[] = SCHEDULES,
  /** Periods this process already settled, by job: spares the jobs table a lookup on every tick. */
  settled: Map<string, string> = new Map(),
): Promise<string[]> => {
  const now = clock.now();
  const enqueued: string[] = [];
  for (const s of schedules) {
    const key = scheduleKey(s, now);
    if (settled.get(s.job) === key) {
      continue;
    }
    const seen = await db.selectFrom('jobs').select('id').where('dedupe_key', '=', key).limit(1).executeTakeFirst();
    if (seen === undefined) {
      // a missed run is not worth retrying for long: the next period runs it again anyway
      const id = await enqueueJob(db, clock, { name: s.job, payload: s.payload ?? {}, dedupeKey: key, maxAttempts: 3 });
      if (id !== null) {
        enqueued.push(s.job);
      }
    }
    settled.set(s.job, key);
  }
  return enqueued;
};

/**
 * A tiny recurring scheduler: every tick it enqueues the jobs whose period began; the job runner
 * runs them. The first tick waits `firstDelayMs`, so starting the server does no work at once.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readonly settled = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly schedules: readonly Schedule[] = SCHEDULES,
    private readonly opts: { tickMs?: number; firstDelayMs?: number; logger?: Logger } = {},
  ) {}

  tick(): Promise<string[]> {
    return enqueueDue(this.db, this.clock, this.schedules, this.settled);
  }

  start(): void {
    if (this.timer !== null || this.schedules.length === 0) {
      return;
    }
    const run = (): void => {
      this.running = this.tick()
        .catch((err: unknown) => this.opts.logger?.error({ err: (err as Error).message }, 'scheduler tick failed'))
        .finally(() => {
          if (this.timer !== null) {
            this.timer = setTimeout(run, this.opts.tickMs ?? 15_000);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(run, this.opts.firstDelayMs ?? 10_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.running;
  }
}
