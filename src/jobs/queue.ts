import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import type { DbOrTx } from '../db/tx.ts';

export type EnqueueOptions = {
  /** `<domain>.<verb-noun>`, e.g. `webhooks.deliver`. */
  name: string;
  payload: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
  /** At most one waiting job per key; a second enqueue while one waits is a no-op. */
  dedupeKey?: string;
};

/** The insert that enqueues a job (deduplicated by key), for embedding in a larger statement. */
export const enqueueJobQuery = (db: DbOrTx, clock: Clock, o: EnqueueOptions) => {
  const now = clock.now();
  return db
    .insertInto('jobs')
    .values({
      id: newId('job', now),
      name: o.name,
      payload: JSON.stringify(o.payload),
      run_at: o.runAt ?? now,
      max_attempts: o.maxAttempts ?? 10,
      dedupe_key: o.dedupeKey ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc
        .column('dedupe_key')
        .where(sql<boolean>`status = 'queued'`)
        .doNothing(),
    )
    .returning(['id']);
};

/**
 * Puts a job in the queue. Call it with the transaction of the change that causes the job,
 * so the job exists exactly when the change does (transactional enqueue).
 */
export const enqueueJob = async (db: DbOrTx, clock: Clock, o: EnqueueOptions): Promise<string | null> => {
  const row = await enqueueJobQuery(db, clock, o).executeTakeFirst();
  return row?.id ?? null;
};

export type ClaimedJob = {
  id: string;
  name: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  dedupeKey: string | null;
};

/**
 * Claims up to `limit` due jobs: queued ones whose run_at has come, and running ones whose
 * visibility timeout passed (their worker died). SKIP LOCKED lets several workers share the table.
 */
export const claimJobs = async (
  db: DbOrTx,
  clock: Clock,
  { limit, visibilityMs, names }: { limit: number; visibilityMs: number; names?: string[] },
): Promise<ClaimedJob[]> => {
  const now = clock.now();
  const lockedUntil = new Date(now.getTime() + visibilityMs);
  const nameFilter = names !== undefined && names.length > 0 ? sql`and name in (${sql.join(names)})` : sql``;
  // A job whose worker died on its last attempt goes to the dead letters, not round again.
  await sql`
    update jobs set status = 'dead', locked_until = null, finished_at = ${now}, updated_at = ${now},
      last_error = coalesce(last_error || '; ', '') || 'worker lost (visibility timeout) on the last attempt'
    where status = 'running' and locked_until < ${now} and attempts >= max_attempts ${nameFilter}`.execute(db);
  const res = await sql<{
    id: string;
    name: string;
    payload: unknown;
    attempts: number;
    max_attempts: number;
    dedupe_key: string | null;
  }>`
    update jobs set status = 'running', attempts = attempts + 1, locked_until = ${lockedUntil}, updated_at = ${now}
    where id in (
      select id from jobs
      where ((status = 'queued' and run_at <= ${now}) or (status = 'running' and locked_until < ${now}))
      ${nameFilter}
      order by run_at, id
      limit ${limit}
      for update skip locked
    )
    returning id, name, payload, attempts, max_attempts, dedupe_key`.execute(db);
  return res.rows.map((r) => ({
    id: r.id,
    name: r.name,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    dedupeKey: r.dedupe_key,
  }));
};

export const completeJob = async (db: DbOrTx, clock: Clock, id: string): Promise<void> => {
  const now = clock.now();
  await db
    .updateTable('jobs')
    .set({ status: 'done', locked_until: null, finished_at: now, updated_at: now, last_error: null })
    .where('id', '=', id)
    .execute();
};

/** Default backoff: 5 s doubling per attempt, capped at one hour. */
export const backoffMs = (attempt: number): number => Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);

/**
 * Records a failure: back to the queue after a backoff, or to the dead letters ('dead') when
 * the attempts are used up. Dead jobs stay in the table for an operator to inspect and retry.
 */
export const failJob = async (
  db: DbOrTx,
  clock: Clock,
  job: ClaimedJob,
  error: string,
  backoff: (attempt: number) => number = backoffMs,
): Promise<'retry' | 'dead'> => {
  const now = clock.now();
  const dead = job.attempts >= job.maxAttempts;
  await db
    .updateTable('jobs')
    .set({
      status: dead ? 'dead' : 'queued',
      locked_until: null,
      last_error: error.slice(0, 2000),
      run_at: dead ? now : new Date(now.getTime() + backoff(job.attempts)),
      updated_at: now,
      finished_at: dead ? now : null,
    })
    .where('id', '=', job.id)
    .execute();
  return dead ? 'dead' : 'retry';
};

/** Puts a dead job back in the queue with a fresh set of attempts. */
export const retryDeadJob = async (db: DbOrTx, clock: Clock, id: string): Promise<boolean> => {
  const now = clock.now();
  const res = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: now, updated_at: now, finished_at: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
};
