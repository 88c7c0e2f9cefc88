import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, seedTenants, type TenantOrgs, type TestContext } from '../../test/app.ts';
import { backoffMs, claimJobs, enqueueJob } from '../jobs/queue.ts';
import { JobRunner } from '../jobs/runner.ts';
import { appendEvent, SYSTEM_ACTOR, type StoredEvent } from './event-log.ts';
import { deliverPending, deliveryBackoffMs, fanOut, MAX_DELIVERY_ATTEMPTS, signPayload, webhookJobs } from './webhooks.ts';

type Body = {
  id: string;
  seq: number;
  type: string;
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  payload: { n?: number };
};
type Received = { headers: http.IncomingHttpHeaders; raw: string; body: Body; answered: number };
type Delivery = {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
};

/** A real HTTP subscriber on 127.0.0.1; `answer` decides the status per request. */
class Subscriber {
  readonly requests: Received[] = [];
  answer: (body: Body) => number = () => 200;
  private server: http.Server | null = null;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/portcluster`;
  }
  /** Requests answered 2xx, i.e. what the subscriber accepted. */
  get accepted(): Received[] {
    return this.requests.filter((r) => r.answered >= 200 && r.answered < 300);
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(raw) as Body;
        const answered = this.answer(body);
        this.requests.push({ headers: req.headers, raw, body, answered });
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered < 300 ? 'ok' : 'nope');
      });
    });
    // Port 0 the first time; the same port on restart, so the subscription URL stays valid.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server === null) {
      return;
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let ctx: TestContext;
let orgs: TenantOrgs;
const A = 'a-agent';
const B = 'b-agent';
let runner: JobRunner;
const subscribers: Subscriber[] = [];

// Tokens expire on the test clock, which the tests move by hours: log in again when stale.
const tokens = new Map<string, { token: string; at: number }>();
const auth = async (username: string) => {
  const now = ctx.clock.now().getTime();
  let t = tokens.get(username);
  if (t === undefined || now - t.at > 60_000) {
    t = { token: await login(ctx.app, username), at: now };
    tokens.set(username, t);
  }
  return { authorization: `Bearer ${t.token}` };
};

beforeAll(async () => {
  ctx = await createTestApp();
  ({ orgs } = await seedTenants(ctx));
  runner = new JobRunner(ctx.db, ctx.clock);
  for (const def of webhookJobs()) {
    runner.register(def);
  }
  // Fan out the seeding events while nobody subscribes, so each test sees only its own.
  await runner.drain();
});
afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.stop()));
  await ctx.close();
});

const startSubscriber = async (): Promise<Subscriber> => {
  const s = await new Subscriber().start();
  subscribers.push(s);
  return s;
};

const subscribe = async (user: string, url: string): Promise<{ id: string; secret: string; createdEventId: string }> => {
  const r = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: await auth(user),
    payload: { url, eventTypes: ['*'] },
  });
  expect(r.statusCode, r.body).toBe(201);
  const { id, secret } = r.json() as { id: string; secret: string };
  expect(secret).toMatch(/^whsec_/);
  const created = await ctx.db
    .selectFrom('events')
    .select('id')
    .where('aggregate_id', '=', id)
    .where('type', '=', 'webhooks.subscription-created')
    .executeTakeFirstOrThrow();
  return { id, secret, createdEventId: created.id };
};

/** Deactivates and flushes the outbox, so later tests' events do not reach this subscription. */
const unsubscribe = async (user: string, id: string): Promise<void> => {
  const r = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: await auth(user) });
  expect(r.statusCode, r.body).toBe(204);
  await runner.drain();
};

const deliveries = async (user: string, subId: string): Promise<Delivery[]> => {
  const r = await ctx.app.inject({ url: `/api/v1/webhooks/${subId}/deliveries?limit=100`, headers: await auth(user) });
  expect(r.statusCode, r.body).toBe(200);
  // The API lists newest first; tests read oldest first.
  return (r.json() as { items: Delivery[] }).items.reverse();
};

const emit = (orgId: string, n: number, aggregateId = 'thing-1'): Promise<StoredEvent> =>
  ctx.db.transaction().execute((trx) =>
    appendEvent(trx, ctx.clock, {
      type: 'test.happened',
      aggregateType: 'thing',
      aggregateId,
      orgIds: [orgId],
      actor: SYSTEM_ACTOR,
      payload: { n },
    }),
  );

const ids = (rs: Received[]): string[] => rs.map((r) => r.body.id);

describe('webhook delivery', () => {
  it('delivers each visible event exactly once, in order, signed with the subscription secret', async () => {
    const sub = await startSubscriber();
    const { id, secret, createdEventId } = await subscribe(A, sub.url);
    const agencyA = orgs.A.agency.id;
    const events: StoredEvent[] = [];
    for (let n = 1; n <= 5; n += 1) {
      ctx.clock.advance(1000);
      // Interleaved aggregates: thing-1 gets 1, 3, 5 and thing-2 gets 2, 4.
      events.push(await emit(agencyA, n, n % 2 === 1 ? 'thing-1' : 'thing-2'));
    }
    await runner.drain();

    expect(ids(sub.requests)).toEqual([createdEventId, ...events.map((e) => e.id)]);
    const seqs = sub.requests.map((r) => r.body.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const agg of ['thing-1', 'thing-2']) {
      const ns = sub.requests.filter((r) => r.body.aggregateId === agg).map((r) => r.body.payload.n);
      expect(ns).toEqual(agg === 'thing-1' ? [1, 3, 5] : [2, 4]);
    }

    const expectedTs = String(Math.floor(ctx.clock.now().getTime() / 1000));
    for (const [i, r] of sub.requests.entries()) {
      const ts = r.headers['x-portcluster-timestamp'] as string;
      const sig = r.headers['x-portcluster-signature'] as string;
      expect(ts).toBe(expectedTs);
      expect(sig).toBe(signPayload(secret, ts, r.raw));
      // Independently of the module: HMAC-SHA256 over `${timestamp}.${raw body}`.
      const mine = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${ts}.${r.raw}`).digest('hex')}`);
      expect(timingSafeEqual(mine, Buffer.from(sig))).toBe(true);
      expect(r.headers['x-portcluster-event-id']).toBe(r.body.id);
      expect(r.headers['x-portcluster-event-type']).toBe(r.body.type);
      expect(r.headers['x-portcluster-delivery-id']).toMatch(/^whd_/);
      expect(r.headers['content-type']).toBe('application/json');
      if (i > 0) {
        const e = events[i - 1] as StoredEvent;
        expect(r.body).toEqual({
          id: e.id,
          seq: e.seq,
          type: 'test.happened',
          aggregateType: 'thing',
          aggregateId: e.aggregateId,
          occurredAt: e.occurredAt.toISOString(),
          payload: { n: i },
        });
      }
    }
    // A signature from another secret does not verify.
    const r0 = sub.requests[0] as Received;
    expect(signPayload('whsec_other', r0.headers['x-portcluster-timestamp'] as string, r0.raw)).not.toBe(
      r0.headers['x-portcluster-signature'],
    );

    const log = await deliveries(A, id);
    expect(log.map((d) => d.eventId)).toEqual(ids(sub.requests));
    expect(log.every((d) => d.status === 'delivered' && d.attempts === 1 && d.lastStatusCode === 200 && d.lastError === null)).toBe(true);

    // Nothing is delivered twice, however often the queue runs.
    ctx.clock.advance(3_600_000);
    await runner.drain();
    expect(sub.requests).toHaveLength(6);
    await unsubscribe(A, id);
  });

  it("does not deliver another organisation's events", async () => {
    const subA = await startSubscriber();
    const subB = await startSubscriber();
    const a = await subscribe(A, subA.url);
    const b = await subscribe(B, subB.url);
    const forB = await emit(orgs.B.agency.id, 1, 'thing-b');
    const forA = await emit(orgs.A.agency.id, 2, 'thing-a');
    await runner.drain();

    expect(ids(subA.requests)).toEqual([a.createdEventId, forA.id]);
    expect(ids(subB.requests)).toEqual([b.createdEventId, forB.id]);
    const leaked = await ctx.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('subscription_id', '=', a.id)
      .where('event_id', '=', forB.id)
      .execute();
    expect(leaked).toEqual([]);
    await unsubscribe(A, a.id);
    await unsubscribe(B, b.id);
  });

  it('keeps deliveries pending while the subscriber is down and delivers them in order once it is back', async () => {
    const sub = await startSubscriber();
    const { id, createdEventId } = await subscribe(A, sub.url);
    await runner.drain();
    expect(ids(sub.requests)).toEqual([createdEventId]);

    await sub.stop();
    const e1 = await emit(orgs.A.agency.id, 1, 'x-1');
    const e2 = await emit(orgs.A.agency.id, 2, 'x-2');
    const e3 = await emit(orgs.A.agency.id, 3, 'x-1');
    const events = [e1, e2, e3];
    // Three failed rounds, each after the backoff of the previous attempt.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await runner.drain();
      const log = await deliveries(A, id);
      const pending = log.filter((d) => d.status === 'pending');
      expect(pending.map((d) => d.eventId)).toEqual(events.map((e) => e.id));
      const [head, ...rest] = pending as [Delivery, ...Delivery[]];
      expect(head.attempts).toBe(attempt);
      expect(head.lastError ?? head.lastStatusCode).not.toBeNull();
      expect(new Date(head.nextAttemptAt).getTime()).toBe(ctx.clock.now().getTime() + deliveryBackoffMs(attempt));
      // The rest wait behind the head so the subscriber never sees them out of order.
      expect(rest.map((d) => d.attempts)).toEqual([0, 0]);
      // Not due yet: running the queue again does not attempt it.
      await runner.drain();
      expect((await deliveries(A, id)).find((d) => d.eventId === head.eventId)?.attempts).toBe(attempt);
      ctx.clock.advance(deliveryBackoffMs(attempt) + 1);
    }
    const tried = await ctx.db
      .selectFrom('webhook_attempts')
      .innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id')
      .select(['webhook_attempts.status_code', 'webhook_attempts.error'])
      .where('webhook_deliveries.event_id', '=', e1.id)
      .execute();
    expect(tried).toHaveLength(3);
    expect(tried.every((t) => t.status_code === null && t.error !== null)).toBe(true);

    await sub.start();
    await runner.drain();
    expect(ids(sub.requests)).toEqual([createdEventId, ...events.map((e) => e.id)]);
    const log = await deliveries(A, id);
    expect(log.map((d) => [d.eventId, d.status, d.attempts])).toEqual([
      [createdEventId, 'delivered', 1],
      [e1.id, 'delivered', 4],
      [e2.id, 'delivered', 1],
      [e3.id, 'delivered', 1],
    ]);
    ctx.clock.advance(3_600_000);
    await runner.drain();
    expect(sub.requests).toHaveLength(4);
    await unsubscribe(A, id);
  });

  it(`gives a delivery up as dead after ${MAX_DELIVERY_ATTEMPTS} failures and moves on to the next`, async () => {
    const sub = await startSubscriber();
    const { id, createdEventId } = await subscribe(A, sub.url);
    await runner.drain();
    const poison = await emit(orgs.A.agency.id, 1, 'p');
    const next1 = await emit(orgs.A.agency.id, 2, 'p');
    const next2 = await emit(orgs.A.agency.id, 3, 'q');
    sub.answer = (b) => (b.id === poison.id ? 503 : 200);

    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt += 1) {
      await runner.drain();
      const head = (await deliveries(A, id)).find((d) => d.eventId === poison.id) as Delivery;
      expect(head.attempts).toBe(attempt);
      if (attempt < MAX_DELIVERY_ATTEMPTS) {
        expect(head.status).toBe('pending');
        expect(sub.accepted.map((r) => r.body.id)).toEqual([createdEventId]);
        // Exactly at the due time is due.
        ctx.clock.advance(deliveryBackoffMs(attempt));
      }
    }
    const log = await deliveries(A, id);
    expect(log.map((d) => [d.eventId, d.status, d.attempts, d.lastStatusCode])).toEqual([
      [createdEventId, 'delivered', 1, 200],
      [poison.id, 'dead', MAX_DELIVERY_ATTEMPTS, 503],
      [next1.id, 'delivered', 1, 200],
      [next2.id, 'delivered', 1, 200],
    ]);
    expect(log[1]?.lastError).toBe('subscriber answered 503');
    expect(sub.requests.filter((r) => r.body.id === poison.id)).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    expect(ids(sub.accepted)).toEqual([createdEventId, next1.id, next2.id]);

    // Dead stays dead: no more attempts later on.
    ctx.clock.advance(24 * 3_600_000);
    await runner.drain();
    expect(sub.requests).toHaveLength(1 + MAX_DELIVERY_ATTEMPTS + 2);
    await unsubscribe(A, id);
  });

  it("hides a subscription's delivery log from other organisations", async () => {
    const sub = await startSubscriber();
    const { id } = await subscribe(A, sub.url);
    const r = await ctx.app.inject({ url: `/api/v1/webhooks/${id}/deliveries`, headers: await auth(B) });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('webhooks.not-found');
    const list = await ctx.app.inject({ url: '/api/v1/webhooks', headers: await auth(B) });
    expect((list.json() as { items: { id: string }[] }).items.map((s) => s.id)).not.toContain(id);
    const del = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers: await auth(B) });
    expect(del.statusCode).toBe(404);
    // B's attempt changed nothing: still A's and still active.
    const mine = await ctx.app.inject({ url: '/api/v1/webhooks', headers: await auth(A) });
    expect((mine.json() as { items: { id: string; active: boolean }[] }).items.find((s) => s.id === id)?.active).toBe(true);
    await unsubscribe(A, id);
  });
});

describe('job queue', () => {
  const jobRow = (id: string) => ctx.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('retries a failing job with backoff and marks it dead after max_attempts', async () => {
    let calls = 0;
    const jobs = new JobRunner(ctx.db, ctx.clock).register({
      name: 'test.always-fails',
      handler: async () => {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
    });
    const id = (await enqueueJob(ctx.db, ctx.clock, { name: 'test.always-fails', payload: {}, maxAttempts: 3 })) as string;
    expect(id).toMatch(/^job_/);

    for (let attempt = 1; attempt <= 2; attempt += 1) {
      expect(await jobs.drain()).toBe(1);
      const row = await jobRow(id);
      expect(row).toMatchObject({ status: 'queued', attempts: attempt, last_error: `boom ${attempt}`, locked_until: null });
      expect(row.run_at.getTime()).toBe(ctx.clock.now().getTime() + backoffMs(attempt));
      // Before the backoff has passed nothing runs.
      ctx.clock.advance(backoffMs(attempt) - 1);
      expect(await jobs.drain()).toBe(0);
      ctx.clock.advance(1);
    }
    expect(await jobs.drain()).toBe(1);
    const dead = await jobRow(id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom 3' });
    expect(dead.finished_at?.getTime()).toBe(ctx.clock.now().getTime());

    ctx.clock.advance(24 * 3_600_000);
    expect(await jobs.drain()).toBe(0);
    expect(calls).toBe(3);
  });

  it('hands a job whose worker died to another worker after the visibility timeout', async () => {
    const id = (await enqueueJob(ctx.db, ctx.clock, { name: 'test.crashy', payload: { k: 1 } })) as string;
    const first = await claimJobs(ctx.db, ctx.clock, { limit: 10, visibilityMs: 60_000, names: ['test.crashy'] });
    expect(first.map((j) => [j.id, j.attempts])).toEqual([[id, 1]]);
    // The worker "dies": never completes or fails it. While the lock holds nobody else gets it.
    expect(await claimJobs(ctx.db, ctx.clock, { limit: 10, visibilityMs: 60_000, names: ['test.crashy'] })).toEqual([]);
    ctx.clock.advance(60_000);
    expect(await claimJobs(ctx.db, ctx.clock, { limit: 10, visibilityMs: 60_000, names: ['test.crashy'] })).toEqual([]);
    ctx.clock.advance(1);

    const seen: unknown[] = [];
    const worker2 = new JobRunner(ctx.db, ctx.clock, { visibilityMs: 60_000 }).register({
      name: 'test.crashy',
      handler: async ({ job }) => {
        seen.push([job.id, job.attempts, job.payload]);
      },
    });
    expect(await worker2.drain()).toBe(1);
    expect(seen).toEqual([[id, 2, { k: 1 }]]);
    expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 2, locked_until: null });
  });

  it('sends a job whose worker died on its last attempt to the dead letters instead of round again', async () => {
    const id = (await enqueueJob(ctx.db, ctx.clock, { name: 'test.always-crashes', payload: {}, maxAttempts: 2 })) as string;
    for (let i = 0; i < 2; i += 1) {
      expect(await claimJobs(ctx.db, ctx.clock, { limit: 1, visibilityMs: 1_000, names: ['test.always-crashes'] })).toHaveLength(1);
      ctx.clock.advance(1_001);
    }
    expect(await claimJobs(ctx.db, ctx.clock, { limit: 1, visibilityMs: 1_000, names: ['test.always-crashes'] })).toEqual([]);
    expect(await jobRow(id)).toMatchObject({ status: 'dead', attempts: 2 });
  });
});

describe('webhook leases', () => {
  it('stops retrying for a deactivated subscription instead of re-queueing forever', async () => {
    const sub = await startSubscriber();
    const { id } = await subscribe(A, sub.url);
    sub.answer = () => 503;
    await emit(orgs.A.agency.id, 1, 'lease-1');
    const runner = new JobRunner(ctx.db, ctx.clock);
    for (const def of webhookJobs()) {
      runner.register(def);
    }
    await runner.drain();
    await unsubscribe(A, id);
    ctx.clock.advance(3_600_000);
    await runner.drain();
    const waiting = await ctx.db
      .selectFrom('jobs')
      .select('id')
      .where('dedupe_key', '=', `webhooks.deliver:${id}`)
      .where('status', '=', 'queued')
      .execute();
    expect(waiting).toEqual([]);
  });

  // A lease (120 s) far longer than a request may take (10 s timeout) keeps a second worker out
  // while the first is mid-request. Only a worker stalled past its lease could cause a repeat,
  // which is why deliveries carry X-PortCluster-Event-Id for the subscriber to deduplicate.
  it('keeps a second worker out while the first is in the middle of a slow request', async () => {
    const sub = await startSubscriber();
    const { id } = await subscribe(A, sub.url);
    await emit(orgs.A.agency.id, 1, 'lease-2');
    await emit(orgs.A.agency.id, 2, 'lease-2');
    await fanOut(ctx.db, ctx.clock);
    let second: Promise<unknown> | null = null;
    // The first worker's request takes the full timeout; a second worker starts meanwhile.
    const slowFetch: typeof fetch = async (url, init) => {
      if (second === null) {
        ctx.clock.advance(10_000);
        second = deliverPending(ctx.db, ctx.clock, id);
        await second;
      }
      return fetch(url, init);
    };
    await deliverPending(ctx.db, ctx.clock, id, slowFetch);
    const eventIds = sub.requests.map((r) => r.body.id);
    expect(eventIds.length).toBeGreaterThanOrEqual(3); // subscription-created + the two events
    expect(new Set(eventIds).size).toBe(eventIds.length);
    await unsubscribe(A, id);
  });
});
