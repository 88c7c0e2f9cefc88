import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../db/client.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { JobDefinition } from '../jobs/runner.ts';
import { EVENT_COLUMNS, FAN_OUT_JOB, toStoredEvent, type StoredEvent } from './event-log.ts';

export const DELIVER_JOB = 'webhooks.deliver';
export const MAX_DELIVERY_ATTEMPTS = 20;
const LEASE_MS = 120_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** 10 s doubling per attempt, capped at one hour: 20 attempts span about 14 hours. */
export const deliveryBackoffMs = (attempt: number): number => Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64url')}`;

/**
 * Signature a subscriber checks: HMAC-SHA256 with the subscription secret over
 * `${timestamp}.${body}`, sent as `X-PortCluster-Signature: sha256=<hex>` beside
 * `X-PortCluster-Timestamp` (reject old timestamps to stop replays).
 */
export const signPayload = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export const deliveryBody = (e: StoredEvent): string =>
  JSON.stringify({
    id: e.id,
    seq: e.seq,
    type: e.type,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    occurredAt: e.occurredAt.toISOString(),
    payload: e.payload,
  });

/**
 * Turns outbox rows into one delivery per matching subscription. A subscription matches when
 * its organisation may see the event (named in org_ids, customs of the event's district, or the
 * platform) and it asked for the type or '*'.
 */
export const fanOut = async (db: Db, clock: Clock, batch = 500): Promise<number> => {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outbox')
        .innerJoin('events', 'events.seq', 'outbox.event_seq')
        .select(['outbox.seq as outbox_seq', ...EVENT_COLUMNS.map((c) => `events.${c}` as const)])
        .where('outbox.processed_at', 'is', null)
        .orderBy('outbox.seq')
        .limit(batch)
        .forUpdate('outbox')
        .skipLocked()
        .execute();
      if (rows.length === 0) {
        return 0;
      }
      const subs = await trx
        .selectFrom('webhook_subscriptions')
        .innerJoin('organisations', 'organisations.id', 'webhook_subscriptions.org_id')
        .select([
          'webhook_subscriptions.id',
          'webhook_subscriptions.org_id',
          'webhook_subscriptions.event_types',
          'organisations.kind',
          'organisations.district_code',
        ])
        .where('webhook_subscriptions.active', '=', true)
        .execute();
      const touched = new Set<string>();
      for (const r of rows) {
        const e = toStoredEvent(r);
        for (const s of subs) {
          const wantsType = s.event_types.includes('*') || s.event_types.includes(e.type);
          const maySee =
            s.kind === 'platform' ||
            e.orgIds.includes(s.org_id) ||
            (s.kind === 'customs' && e.districtCode !== null && e.districtCode === s.district_code);
          if (!wantsType || !maySee) {
            continue;
          }
          await trx
            .insertInto('webhook_deliveries')
            .values({
              id: newId('webhookDelivery', clock.now()),
              subscription_id: s.id,
              org_id: s.org_id,
              event_seq: e.seq,
              event_id: e.id,
              event_type: e.type,
              next_attempt_at: clock.now(),
              created_at: clock.now(),
            })
            .onConflict((oc) => oc.columns(['subscription_id', 'event_id']).doNothing())
            .execute();
          touched.add(s.id);
        }
      }
      await trx
        .updateTable('outbox')
        .set({ processed_at: clock.now() })
        .where(
          'seq',
          'in',
          rows.map((r) => r.outbox_seq),
        )
        .execute();
      for (const subId of touched) {
        await enqueueJob(trx, clock, { name: DELIVER_JOB, payload: { subscriptionId: subId }, dedupeKey: `${DELIVER_JOB}:${subId}` });
      }
      return rows.length;
    });
    total += n;
    if (n < batch) {
      return total;
    }
  }
};

export type Fetcher = typeof fetch;

/**
 * Delivers a subscription's pending deliveries oldest first and stops at the first failure, so a
 * subscriber sees each aggregate's events in order; the failed one is retried after a backoff and
 * the rest wait behind it. After MAX_DELIVERY_ATTEMPTS a delivery is dead (kept in the log) and the
 * queue moves on. A lease on the subscription keeps two workers from delivering out of order.
 */
export const deliverPending = async (
  db: Db,
  clock: Clock,
  subscriptionId: string,
  fetcher: Fetcher = fetch,
): Promise<{ delivered: number; failed: number }> => {
  const now = clock.now();
  const token = randomBytes(12).toString('hex');
  const lease = await db
    .updateTable('webhook_subscriptions')
    .set({ lease_until: new Date(now.getTime() + LEASE_MS), lease_token: token })
    .where('id', '=', subscriptionId)
    .where('active', '=', true)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .returning(['id', 'url', 'secret'])
    .executeTakeFirst();
  if (lease === undefined) {
    const sub = await db.selectFrom('webhook_subscriptions').select('active').where('id', '=', subscriptionId).executeTakeFirst();
    if (sub === undefined || !sub.active) {
      return { delivered: 0, failed: 0 }; // deactivated: its pending deliveries stay in the log, undelivered
    }
    // Another worker holds the lease: look again shortly.
    await enqueueJob(db, clock, {
      name: DELIVER_JOB,
      payload: { subscriptionId },
      dedupeKey: `${DELIVER_JOB}:${subscriptionId}`,
      runAt: new Date(now.getTime() + 5_000),
    });
    return { delivered: 0, failed: 0 };
  }
  let delivered = 0;
  let failed = 0;
  try {
    for (;;) {
      const d = await db
        .selectFrom('webhook_deliveries')
        .innerJoin('events', 'events.seq', 'webhook_deliveries.event_seq')
        .select([
          'webhook_deliveries.id as delivery_id',
          'webhook_deliveries.attempts',
          'webhook_deliveries.next_attempt_at',
          ...EVENT_COLUMNS.map((c) => `events.${c}` as const),
        ])
        .where('webhook_deliveries.subscription_id', '=', subscriptionId)
        .where('webhook_deliveries.status', '=', 'pending')
        .orderBy('webhook_deliveries.event_seq')
        .limit(1)
        .executeTakeFirst();
      if (d === undefined) {
        return { delivered, failed };
      }
      const at = clock.now();
      if (d.next_attempt_at > at) {
        await enqueueJob(db, clock, {
          name: DELIVER_JOB,
          payload: { subscriptionId },
          dedupeKey: `${DELIVER_JOB}:${subscriptionId}`,
          runAt: d.next_attempt_at,
        });
        return { delivered, failed };
      }
      // Renew before each attempt (a request may take up to REQUEST_TIMEOUT_MS, far below the
      // lease); if another worker took the lease meanwhile, stop so no delivery goes out twice.
      const renewed = await db
        .updateTable('webhook_subscriptions')
        .set({ lease_until: new Date(at.getTime() + LEASE_MS) })
        .where('id', '=', subscriptionId)
        .where('lease_token', '=', token)
        .where('active', '=', true)
        .executeTakeFirst();
      if (Number(renewed.numUpdatedRows) === 0) {
        return { delivered, failed };
      }
      const event = toStoredEvent(d);
      const body = deliveryBody(event);
      const timestamp = String(Math.floor(at.getTime() / 1000));
      const started = Date.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetcher(lease.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'PortCluster-Webhooks/1',
            'x-portcluster-event-id': event.id,
            'x-portcluster-event-type': event.type,
            'x-portcluster-delivery-id': d.delivery_id,
            'x-portcluster-timestamp': timestamp,
            'x-portcluster-signature': signPayload(lease.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          redirect: 'manual',
        });
        statusCode = res.status;
        await res.body?.cancel();
        if (res.status < 200 || res.status >= 300) {
          error = `subscriber answered ${res.status}`;
        }
      } catch (err) {
        error = (err as Error).message.slice(0, 500);
      }
      const attempts = d.attempts + 1;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('webhook_attempts')
          .values({ delivery_id: d.delivery_id, attempted_at: at, status_code: statusCode, error, duration_ms: Date.now() - started })
          .execute();
        const dead = error !== null && attempts >= MAX_DELIVERY_ATTEMPTS;
        await trx
          .updateTable('webhook_deliveries')
          .set({
            attempts,
            status: error === null ? 'delivered' : dead ? 'dead' : 'pending',
            last_status_code: statusCode,
            last_error: error,
            delivered_at: error === null ? at : null,
            next_attempt_at: error === null || dead ? at : new Date(at.getTime() + deliveryBackoffMs(attempts)),
          })
          .where('id', '=', d.delivery_id)
          .execute();
      });
      if (error === null) {
        delivered += 1;
      } else {
        failed += 1;
        // Loop: a dead delivery lets the next one go; a pending one re-schedules above.
      }
    }
  } finally {
    await db
      .updateTable('webhook_subscriptions')
      .set({ lease_until: null, lease_token: null })
      .where('id', '=', subscriptionId)
      .where('lease_token', '=', token)
      .execute();
  }
};

const parseDeliverPayload = (p: unknown): { subscriptionId: string } => {
  if (typeof p === 'object' && p !== null && typeof (p as { subscriptionId?: unknown }).subscriptionId === 'string') {
    return p as { subscriptionId: string };
  }
  throw new Error('webhooks.deliver payload needs subscriptionId');
};

export const webhookJobs = (fetcher: Fetcher = fetch): JobDefinition[] => [
  {
    name: FAN_OUT_JOB,
    handler: async ({ db, clock }) => {
      await fanOut(db, clock);
    },
  },
  {
    name: DELIVER_JOB,
    parse: parseDeliverPayload,
    handler: async ({ db, clock, job }) => {
      await deliverPending(db, clock, parseDeliverPayload(job.payload).subscriptionId, fetcher);
    },
  },
];

/** Pending deliveries whose subscriber never answered: for the readiness of tests and ops. */
export const countPendingDeliveries = async (db: Db): Promise<number> =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where status = 'pending'`.execute(db)).rows[0]?.n ?? 0,
  );
