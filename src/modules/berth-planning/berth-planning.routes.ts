import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import type { Clock } from '../../core/clock.ts';
import type { Db } from '../../db/client.ts';
import { ZError } from '../../http/schemas.ts';
import { addClosure, listClosures, removeClosure } from './berth-closures.ts';
import { acceptProposal, findProposal, listProposals, proposePlan, type AcceptItem } from './berth-planning.service.ts';

const ZTime = Type.String({ format: 'date-time' });
const ZNullableTime = Type.Union([ZTime, Type.Null()]);
const ZNullableNumber = Type.Union([Type.Number(), Type.Null()]);
const ZVessel = Type.Object({ imo: Type.String(), name: Type.String() });
const ZProposal = Type.Object({
  id: Type.String(),
  portLocode: Type.String(),
  status: Type.Union([Type.Literal('proposed'), Type.Literal('accepted')]),
  createdAt: ZTime,
  acceptedAt: ZNullableTime,
  window: Type.Object({ origin: ZTime, slotMinutes: Type.Integer(), hours: Type.Number() }),
  solver: Type.Object({ status: Type.String(), seconds: Type.Number(), seed: Type.Integer(), timeLimitSeconds: Type.Number() }),
  objectiveHours: ZNullableNumber,
  lowerBoundHours: ZNullableNumber,
  currentObjectiveHours: ZNullableNumber,
  berths: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      terminalId: Type.String(),
      area: Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
    }),
  ),
  items: Type.Array(
    Type.Object({
      portCallId: Type.String(),
      vessel: ZVessel,
      berthId: Type.String(),
      berthCode: Type.String(),
      start: ZTime,
      end: ZTime,
      current: Type.Union([Type.Object({ berthId: Type.String(), start: ZNullableTime, end: ZNullableTime }), Type.Null()]),
    }),
  ),
  unfit: Type.Array(
    Type.Object({
      callId: Type.String(),
      vessel: ZVessel,
      reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
});
const ZParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const PLANNERS = rolesOnly('terminal-operator', 'admin');

export const berthPlanningRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  const tags = ['berth-planning'];
  app.post(
    '/api/v1/berth-plans',
    {
      config: { access: PLANNERS },
      schema: {
        tags,
        summary: "Propose a berth plan for a port's coming calls over the planner's berths (DBAP optimiser: minimum total service time)",
        body: Type.Object(
          {
            portLocode: Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$' }),
            from: Type.Optional(ZTime),
            hours: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 336, description: 'Calls with ETA within this many hours (default 72)' }),
            ),
            timeLimitSeconds: Type.Optional(Type.Number({ minimum: 0.5, maximum: 60 })),
            seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: ZProposal, 400: ZError },
      },
    },
    async (req, reply) => {
      const b = req.body as { portLocode: string; from?: string; hours?: number; timeLimitSeconds?: number; seed?: number };
      const proposal = await proposePlan(deps, requirePrincipal(req), {
        portLocode: b.portLocode,
        ...(b.from !== undefined ? { from: new Date(b.from) } : {}),
        ...(b.hours !== undefined ? { hours: b.hours } : {}),
        ...(b.timeLimitSeconds !== undefined ? { timeLimitSeconds: b.timeLimitSeconds } : {}),
        ...(b.seed !== undefined ? { seed: b.seed } : {}),
      });
      return reply.status(201).send(proposal);
    },
  );
  app.get(
    '/api/v1/berth-plans',
    {
      config: { access: PLANNERS },
      schema: {
        tags,
        summary: "The planner's recent proposals, newest first",
        querystring: Type.Object(
          { portLocode: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ZProposal) }) },
      },
    },
    async (req) => ({ items: await listProposals(deps.db, requirePrincipal(req), (req.query as { portLocode?: string }).portLocode) }),
  );
  app.get(
    '/api/v1/berth-plans/:id',
    { config: { access: PLANNERS }, schema: { tags, summary: 'One proposal', params: ZParams, response: { 200: ZProposal, 404: ZError } } },
    async (req) => findProposal(deps.db, (req.params as { id: string }).id, requirePrincipal(req)),
  );
  app.post(
    '/api/v1/berth-plans/:id/acceptance',
    {
      config: { access: PLANNERS },
      schema: {
        tags,
        summary: "Accept the proposal (or adjusted lines of it): each line moves that call's planned berth, with its event",
        params: ZParams,
        body: Type.Object(
          {
            items: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    portCallId: Type.String({ minLength: 1, maxLength: 64 }),
                    berthId: Type.String({ minLength: 1, maxLength: 64 }),
                    start: ZTime,
                    end: ZTime,
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 1000 },
              ),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            proposal: ZProposal,
            outcomes: Type.Array(
              Type.Object({
                portCallId: Type.String(),
                ok: Type.Boolean(),
                error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
              }),
            ),
          }),
          404: ZError,
          409: ZError,
        },
      },
    },
    async (req) =>
      acceptProposal(deps, requirePrincipal(req), (req.params as { id: string }).id, (req.body as { items?: AcceptItem[] }).items),
  );

  const ZClosure = Type.Object({
    id: Type.String(),
    berthId: Type.String(),
    berthCode: Type.String(),
    startsAt: ZTime,
    endsAt: ZTime,
    reason: Type.String(),
    createdAt: ZTime,
  });
  app.post(
    '/api/v1/berth-closures',
    {
      config: { access: PLANNERS },
      schema: {
        tags,
        summary: 'Close a berth for maintenance (or another reason) over a window: berth plans keep ships off it',
        body: Type.Object(
          {
            berthId: Type.String({ minLength: 3, maxLength: 64 }),
            startsAt: ZTime,
            endsAt: ZTime,
            reason: Type.String({ minLength: 1, maxLength: 500 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ZClosure, 400: ZError, 403: ZError },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await addClosure(deps, requirePrincipal(req), req.body as { berthId: string; startsAt: string; endsAt: string; reason: string }),
        ),
  );
  app.get(
    '/api/v1/berth-closures',
    {
      config: { access: PLANNERS },
      schema: {
        tags,
        summary: "Open closures of the planner's berths",
        querystring: Type.Object(
          {
            portLocode: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$' })),
            from: Type.Optional(ZTime),
            to: Type.Optional(ZTime),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ZClosure) }) },
      },
    },
    async (req) => {
      const q = req.query as { portLocode?: string; from?: string; to?: string };
      return {
        items: await listClosures(deps.db, requirePrincipal(req), {
          ...(q.portLocode !== undefined ? { portLocode: q.portLocode } : {}),
          ...(q.from !== undefined ? { from: new Date(q.from) } : {}),
          ...(q.to !== undefined ? { to: new Date(q.to) } : {}),
        }),
      };
    },
  );
  app.delete(
    '/api/v1/berth-closures/:id',
    {
      config: { access: PLANNERS },
      schema: {
        tags,
        summary: 'Reopen the berth (the closure stays in the history)',
        params: ZParams,
        response: { 204: Type.Null(), 404: ZError },
      },
    },
    async (req, reply) => {
      await removeClosure(deps, requirePrincipal(req), (req.params as { id: string }).id);
      return reply.status(204).send();
    },
  );
};
