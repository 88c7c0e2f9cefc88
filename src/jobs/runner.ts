import type { Clock } from '../core/clock.ts';
import type { Db } from '../db/client.ts';
import { claimJobs, completeJob, failJob, type ClaimedJob } from './queue.ts';

export type JobContext = { db: Db; clock: Clock; job: ClaimedJob };

export type JobDefinition = {
  /** Stable id, `<domain>.<verb-noun>`; never derived from code names. */
  name: string;
  /** Validates and types the payload; throw to fail the job. */
  parse?: (payload: unknown) => unknown;
  handler: (ctx: JobContext) => Promise<void>;
  backoff?: (attempt: number) => number;
};

export type Logger = { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };

/**
 * Runs due jobs. The server starts a polling loop; tests call drain() to run everything that is
 * due now, deterministically.
 */
export class JobRunner {
  private readonly defs = new Map<string, JobDefinition>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: { visibilityMs?: number; batch?: number; pollMs?: number; logger?: Logger } = {},
  ) {}

  register(def: JobDefinition): this {
    this.defs.set(def.name, def);
    return this;
  }

  /** Claims and runs one batch; returns how many jobs ran. */
  async runOnce(): Promise<number> {
    const jobs = await claimJobs(this.db, this.clock, {
      limit: this.opts.batch ?? 10,
      visibilityMs: this.opts.visibilityMs ?? 60_000,
      names: [...this.defs.keys()],
    });
    for (const job of jobs) {
      await this.runJob(job);
    }
    return jobs.length;
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    const def = this.defs.get(job.name);
    if (def === undefined) {
      await failJob(this.db, this.clock, job, `no handler registered for ${job.name}`);
      return;
    }
    try {
      if (def.parse !== undefined) {
        def.parse(job.payload);
      }
      await def.handler({ db: this.db, clock: this.clock, job });
      await completeJob(this.db, this.clock, job.id);
    } catch (err) {
      const outcome = await failJob(this.db, this.clock, job, (err as Error).message, def.backoff);
      this.opts.logger?.error({ job: job.id, name: job.name, attempts: job.attempts, outcome }, 'job failed');
    }
  }

  /** Runs batches until nothing is due (bounded, so a job that re-enqueues itself cannot spin forever). */
  async drain(maxRounds = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i += 1) {
      const n = await this.runOnce();
      total += n;
      if (n === 0) {
        break;
      }
    }
    return total;
  }

  start(): void {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    const tick = (): void => {
      this.running = this.drain(10)
        .catch((err: unknown) => this.opts.logger?.error({ err: (err as Error).message }, 'job runner tick failed'))
        .finally(() => {
          if (!this.stopped) {
            this.timer = setTimeout(tick, this.opts.pollMs ?? 500);
          }
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.running;
  }
}
