import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ANY_ROLE } from '../auth/access.ts';
import { requirePrincipal } from '../auth/authenticate.ts';
import { eventsVisibleTo, visibleTo } from '../auth/scope.ts';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { decodeCursor, DEFAULT_PAGE_SIZE, pageOf, ZPage, ZPageQuery } from '../core/pagination.ts';
import type { Db } from '../db/client.ts';
import { ZError } from '../http/schemas.ts';
import { EVENT_COLUMNS, toStoredEvent } from './event-log.ts';
import { createSubscription, deactivateSubscription, WebhookErrorCode } from './webhooks.commands.ts';

const ZId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ZDateTime = Type.String({ format: 'date-time' });
const ZEvent = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  type: Type.String(),
  aggregateType: Type.String(),
  aggregateId: Type.String(),
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  occurredAt: ZDateTime,
  payload: Type.Unknown(),
  hash: Type.String(),
});
const ZSubscription = Type.Object({
  id: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdAt: ZDateTime,
});
const ZDelivery = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')]),
  attempts: Type.Integer(),
  nextAttemptAt: ZDateTime,
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([ZDateTime, Type.Null()]),
});

const EVENT_TYPE = Type.String({ pattern: '^(\\*|[a-z0-9-]+\\.[a-z0-9-]+)$', maxLength: 100 });

export const eventRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  app.get(
    '/api/v1/events',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['events'],
        summary: 'The event log, oldest first, as far as the caller may see it',
        querystring: Type.Object(
          {
            aggregateType: Type.Optional(Type.String({ maxLength: 64 })),
            aggregateId: Type.Optional(Type.String({ maxLength: 64 })),
            type: Type.Optional(Type.String({ maxLength: 100 })),
            ...ZPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: ZPage(ZEvent), 400: ZError },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const q = req.query as { aggregateType?: string; aggregateId?: string; type?: string; limit?: number; cursor?: string };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      let qb = deps.db.selectFrom('events').select(EVENT_COLUMNS).where(eventsVisibleTo(p));
      if (q.aggregateType !== undefined) {
        qb = qb.where('aggregate_type', '=', q.aggregateType);
      }
      if (q.aggregateId !== undefined) {
        qb = qb.where('aggregate_id', '=', q.aggregateId);
      }
      if (q.type !== undefined) {
        qb = qb.where('type', '=', q.type);
      }
      if (q.cursor !== undefined) {
        qb = qb.where('seq', '>', Number(decodeCursor(q.cursor)));
      }
      const rows = await qb
        .orderBy('seq')
        .limit(limit + 1)
        .execute();
      const page = pageOf(rows, limit, (r) => r.seq);
      return {
        items: page.items.map((r) => {
          const e = toStoredEvent(r);
          return { ...e, occurredAt: e.occurredAt.toISOString() };
        }),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/webhooks',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['webhooks'],
        summary: "The organisation's webhook subscriptions",
        response: { 200: Type.Object({ items: Type.Array(ZSubscription) }) },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const rows = await deps.db
        .selectFrom('webhook_subscriptions')
        .select(['id', 'url', 'event_types', 'active', 'created_at'])
        .where(visibleTo('webhook_subscriptions', p))
        .orderBy('created_at', 'desc')
        .limit(500)
        .execute();
      return {
        items: rows.map((s) => ({
          id: s.id,
          url: s.url,
          eventTypes: s.event_types,
          active: s.active,
          createdAt: s.created_at.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/v1/webhooks',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe a URL to event types the organisation may see; the signing secret is shown once',
        body: Type.Object(
          { url: Type.String({ minLength: 8, maxLength: 2000 }), eventTypes: Type.Array(EVENT_TYPE, { minItems: 1, maxItems: 100 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.String(),
            url: Type.String(),
            eventTypes: Type.Array(Type.String()),
            secret: Type.String(),
            createdAt: ZDateTime,
          }),
          400: ZError,
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { url: string; eventTypes: string[] };
      const s = await createSubscription(deps, requirePrincipal(req), body);
      return reply.status(201).send({ ...s, createdAt: s.createdAt.toISOString() });
    },
  );

  app.delete(
    '/api/v1/webhooks/:id',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['webhooks'],
        summary: 'Stop a subscription (its delivery log stays)',
        params: ZId,
        response: { 204: Type.Null(), 404: ZError },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      await deactivateSubscription(deps, requirePrincipal(req), id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags: ['webhooks'],
        summary: 'Delivery log of one subscription, newest first',
        params: ZId,
        querystring: Type.Object({ ...ZPageQuery }, { additionalProperties: false }),
        response: { 200: ZPage(ZDelivery), 404: ZError },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const { id } = req.params as { id: string };
      const q = req.query as { limit?: number; cursor?: string };
      const sub = await deps.db
        .selectFrom('webhook_subscriptions')
        .select('id')
        .where('id', '=', id)
        .where(visibleTo('webhook_subscriptions', p))
        .executeTakeFirst();
      if (sub === undefined) {
        throw new AppError('NOT_FOUND', WebhookErrorCode.NOT_FOUND, `No webhook subscription ${id} visible to you`);
      }
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      let qb = deps.db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('subscription_id', '=', id)
        .where(visibleTo('webhook_deliveries', p));
      if (q.cursor !== undefined) {
        qb = qb.where('event_seq', '<', Number(decodeCursor(q.cursor)));
      }
      const rows = await qb
        .orderBy('event_seq', 'desc')
        .limit(limit + 1)
        .execute();
      const page = pageOf(rows, limit, (r) => r.event_seq);
      return {
        items: page.items.map((d) => ({
          id: d.id,
          eventId: d.event_id,
          eventType: d.event_type,
          status: d.status as 'pending' | 'delivered' | 'dead',
          attempts: d.attempts,
          nextAttemptAt: d.next_attempt_at.toISOString(),
          lastStatusCode: d.last_status_code,
          lastError: d.last_error,
          deliveredAt: d.delivered_at === null ? null : d.delivered_at.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
};
