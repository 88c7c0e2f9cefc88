import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, ZPage, ZPageQuery } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import { ZError } from '../../http/schemas.ts';
import {
  CALL_CARGO_TYPES,
  CALL_PURPOSES,
  cancelCall,
  completeCargoOperations,
  confirmCall,
  fileCall,
  planBerth,
  recordArrival,
  recordBerthing,
  recordDeparture,
  reportDeparture,
  shiftBerth,
  startCargoOperations,
  type Deps,
  type FileCallInput,
} from './port-call.commands.ts';
import { PortCallErrorCode } from './port-call.errors.ts';
import { PORT_CALL_STATES, type PortCallState } from './port-call.machine.ts';
import { presentCall, type PortCallView } from './port-call.presenter.ts';
import { portCallKpis } from './port-call.kpis.ts';
import { countCalls, findCall, listCalls } from './port-call.repository.ts';

const ZTime = Type.String({ format: 'date-time', description: 'ISO 8601 with offset' });
const ZNullableTime = Type.Union([ZTime, Type.Null()]);
const ZLocode = Type.String({ minLength: 5, maxLength: 6, description: 'UN/LOCODE, e.g. CNTAO' });
const ZCodePair = Type.Object(
  {
    portCode: Type.String({ minLength: 5, maxLength: 6 }),
    customsCode: Type.String({ pattern: '^[0-9]{4}$' }),
  },
  { additionalProperties: false },
);
const literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));

const ZPortCall = Type.Object({
  id: Type.String(),
  state: literals(PORT_CALL_STATES),
  agentOrgId: Type.String(),
  portId: Type.String(),
  portLocode: Type.String(),
  districtCode: Type.String(),
  declaredCode: Type.Object({ portCode: Type.String(), customsCode: Type.String() }),
  vessel: Type.Object({
    imo: Type.String(),
    name: Type.String(),
    flag: Type.Union([Type.String(), Type.Null()]),
    loaM: Type.Number(),
    draftM: Type.Number(),
  }),
  voyage: Type.String(),
  lastPort: Type.String(),
  lastPortDeparture: ZTime,
  nextPort: Type.Union([Type.String(), Type.Null()]),
  portsOfCall: Type.Array(Type.Object({ locode: Type.String(), departedAt: ZTime })),
  eta: ZTime,
  etd: ZTime,
  purpose: Type.String(),
  cargoType: Type.String(),
  cargoSummary: Type.String(),
  crewCount: Type.Integer(),
  passengerCount: Type.Integer(),
  dangerousGoods: Type.Boolean(),
  preReportedAt: ZTime,
  lateReport: Type.Boolean(),
  confirmedAt: ZNullableTime,
  arrivedAt: ZNullableTime,
  arrivalPlace: Type.Union([Type.String(), Type.Null()]),
  plannedBerth: Type.Union([Type.Object({ berthId: Type.String(), start: ZNullableTime, end: ZNullableTime }), Type.Null()]),
  berthId: Type.Union([Type.String(), Type.Null()]),
  berthedAt: ZNullableTime,
  quarantineMode: Type.Union([Type.String(), Type.Null()]),
  pratiqueGrantedAt: ZNullableTime,
  cargoOpsStartedAt: ZNullableTime,
  cargoOpsCompletedAt: ZNullableTime,
  departureReportedAt: ZNullableTime,
  departedAt: ZNullableTime,
  cancelledAt: ZNullableTime,
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  redeclarations: Type.Integer(),
  redeclarationsAvoided: Type.Integer(),
  version: Type.Integer(),
});

const ZFile = Type.Object(
  {
    portLocode: ZLocode,
    declaredCode: ZCodePair,
    vessel: Type.Object(
      {
        imo: Type.String({ minLength: 7, maxLength: 11, description: 'IMO number; the check digit is verified' }),
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        flag: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
        loaM: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 500 })),
        draftM: Type.Number({ exclusiveMinimum: 0, maximum: 30 }),
      },
      { additionalProperties: false },
    ),
    voyage: Type.String({ minLength: 1, maxLength: 32 }),
    lastPort: ZLocode,
    lastPortDeparture: ZTime,
    nextPort: Type.Optional(Type.Union([ZLocode, Type.Null()])),
    portsOfCall: Type.Optional(
      Type.Array(Type.Object({ locode: ZLocode, departedAt: ZTime }, { additionalProperties: false }), {
        maxItems: 50,
        description: 'Ports called at in the last 30 days, with departure times',
      }),
    ),
    eta: ZTime,
    etd: ZTime,
    purpose: literals(CALL_PURPOSES),
    cargoType: literals(CALL_CARGO_TYPES),
    cargoSummary: Type.Optional(Type.String({ maxLength: 500 })),
    crewCount: Type.Integer({ minimum: 0, maximum: 10_000 }),
    passengerCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    dangerousGoods: Type.Boolean(),
  },
  { additionalProperties: false },
);

const ZVersion = {
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'Refuse with 409 unless the call is at this version' })),
};
const ZAt = { at: Type.Optional(ZTime) };
const body = (props: Record<string, TSchema>) => Type.Object({ ...props, ...ZVersion }, { additionalProperties: false });
const ZParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const AGENTS = rolesOnly('agent', 'admin');
const PLANNERS = rolesOnly('terminal-operator', 'admin');
const AGENTS_OR_TERMINALS = rolesOnly('agent', 'terminal-operator', 'admin');
const READERS = rolesOnly('customs-officer', 'risk-analyst', 'terminal-operator', 'agent', 'admin');

type Step = {
  path: string;
  summary: string;
  access: ReturnType<typeof rolesOnly>;
  body: TSchema;
  run: (deps: Deps, p: Principal, id: string, b: never) => Promise<PortCallView>;
};

const STEPS: Step[] = [
  {
    path: 'confirmation',
    summary: 'Confirmed arrival report (CSM003), optionally a new ETA/ETD',
    access: AGENTS,
    body: body({ eta: Type.Optional(ZTime), etd: Type.Optional(ZTime) }),
    run: confirmCall,
  },
  {
    path: 'arrival',
    summary: 'Arrival at the anchorage or berth (CSM004)',
    access: AGENTS_OR_TERMINALS,
    body: body({ ...ZAt, place: literals(['anchorage', 'berth']) }),
    run: recordArrival,
  },
  {
    path: 'berth-plan',
    summary: "Plan (or re-plan) the call's berth window; a berth under another regulatory code is flagged before berthing",
    access: PLANNERS,
    body: body({ berthId: Type.String({ minLength: 3, maxLength: 64 }), start: ZTime, end: ZTime }),
    run: planBerth,
  },
  {
    path: 'berthing',
    summary: 'All fast at the berth (the planned one unless another is named)',
    access: PLANNERS,
    body: body({ ...ZAt, berthId: Type.Optional(Type.String({ minLength: 3, maxLength: 64 })) }),
    run: recordBerthing,
  },
  {
    path: 'berth-shifts',
    summary: 'Move to another berth while in port',
    access: PLANNERS,
    body: body({ ...ZAt, berthId: Type.String({ minLength: 3, maxLength: 64 }) }),
    run: shiftBerth,
  },
  {
    path: 'cargo-operations/start',
    summary: 'Start of cargo operations: refused (409 port-call.no-pratique, plus an alarm event) before pratique',
    access: PLANNERS,
    body: body(ZAt),
    run: startCargoOperations,
  },
  {
    path: 'cargo-operations/complete',
    summary: 'End of cargo operations',
    access: PLANNERS,
    body: body(ZAt),
    run: completeCargoOperations,
  },
  { path: 'departure-report', summary: 'Departure pre-report (CSM006)', access: AGENTS, body: body({ etd: ZTime }), run: reportDeparture },
  { path: 'departure', summary: 'Departure (CSM007)', access: AGENTS_OR_TERMINALS, body: body(ZAt), run: recordDeparture },
  {
    path: 'cancellation',
    summary: 'Cancel a call before arrival',
    access: AGENTS,
    body: body({ reason: Type.String({ minLength: 1, maxLength: 500 }) }),
    run: cancelCall,
  },
];

type ListQuery = { state?: string; portLocode?: string; etaFrom?: string; etaTo?: string; q?: string; limit?: number; cursor?: string };

export const portCallRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  const tags = ['port-calls'];

  app.post(
    '/api/v1/port-calls',
    {
      config: { access: AGENTS },
      schema: {
        tags,
        summary: 'Pre-arrival report of a vessel call (CSM002): the agent files once',
        body: ZFile,
        response: { 201: ZPortCall, 400: ZError, 409: ZError },
      },
    },
    async (req, reply) => reply.status(201).send(await fileCall(deps, requirePrincipal(req), req.body as FileCallInput)),
  );

  app.get(
    '/api/v1/port-calls',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary:
          'Arrivals board: calls the caller may see (agents their own, terminals those at their berths, customs its district), by ETA',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.String({ maxLength: 200, pattern: '^[a-z-]+(,[a-z-]+)*$', description: 'Comma-separated states' })),
            portLocode: Type.Optional(ZLocode),
            etaFrom: Type.Optional(ZTime),
            etaTo: Type.Optional(ZTime),
            q: Type.Optional(Type.String({ maxLength: 100, description: 'Substring of IMO, vessel name or voyage' })),
            ...ZPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: ZPage(ZPortCall), 400: ZError },
      },
    },
    async (req) => {
      const q = req.query as ListQuery;
      const states = q.state?.split(',') ?? [];
      const unknown = states.find((s) => !(PORT_CALL_STATES as readonly string[]).includes(s));
      if (unknown !== undefined) {
        throw new AppError('INVALID_INPUT', PortCallErrorCode.INVALID_FIELD, `state: unknown state ${unknown}`, [
          { path: '/query/state', message: `unknown state ${unknown}; one of ${PORT_CALL_STATES.join(', ')}` },
        ]);
      }
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      const filter = {
        states: states as PortCallState[],
        ...(q.portLocode !== undefined ? { portLocode: q.portLocode.toUpperCase() } : {}),
        ...(q.etaFrom !== undefined ? { etaFrom: new Date(q.etaFrom) } : {}),
        ...(q.etaTo !== undefined ? { etaTo: new Date(q.etaTo) } : {}),
        ...(q.q !== undefined ? { q: q.q } : {}),
      };
      const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
      const after = typeof cursor === 'string' ? (JSON.parse(cursor) as { eta: string; id: string }) : undefined;
      const principal = requirePrincipal(req);
      const [rows, total] = await Promise.all([
        listCalls(
          deps.db,
          { ...filter, limit, ...(after !== undefined ? { after: { eta: new Date(after.eta), id: after.id } } : {}) },
          principal,
        ),
        countCalls(deps.db, filter, principal),
      ]);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map(presentCall),
        nextCursor:
          rows.length > limit && last !== undefined ? encodeCursor(JSON.stringify({ eta: last.eta.toISOString(), id: last.id })) : null,
        total,
      };
    },
  );

  app.get(
    '/api/v1/port-calls/kpis',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary:
          'Port-call KPIs over the calls the caller may see: anchorage waiting, late reports, re-declarations and those avoided, berth hours',
        querystring: Type.Object(
          { portLocode: Type.Optional(ZLocode), etaFrom: Type.Optional(ZTime), etaTo: Type.Optional(ZTime) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            calls: Type.Integer(),
            berthed: Type.Integer(),
            lateReports: Type.Integer(),
            waiting: Type.Object({
              count: Type.Integer(),
              meanHours: Type.Union([Type.Number(), Type.Null()]),
              medianHours: Type.Union([Type.Number(), Type.Null()]),
              totalHours: Type.Number(),
            }),
            redeclarations: Type.Integer(),
            redeclarationsAvoided: Type.Integer(),
            alongsideHoursByBerth: Type.Record(Type.String(), Type.Number()),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query as { portLocode?: string; etaFrom?: string; etaTo?: string };
      return portCallKpis(deps.db, requirePrincipal(req), {
        now: deps.clock.now(),
        ...(q.portLocode !== undefined ? { portLocode: q.portLocode.toUpperCase() } : {}),
        ...(q.etaFrom !== undefined ? { etaFrom: new Date(q.etaFrom) } : {}),
        ...(q.etaTo !== undefined ? { etaTo: new Date(q.etaTo) } : {}),
      });
    },
  );

  app.get(
    '/api/v1/port-calls/:id',
    {
      config: { access: READERS },
      schema: { tags, summary: 'One port call', params: ZParams, response: { 200: ZPortCall, 404: ZError } },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const row = await findCall(deps.db, id, requirePrincipal(req));
      if (row === undefined) {
        throw new AppError('NOT_FOUND', PortCallErrorCode.NOT_FOUND, `No port call ${id}`);
      }
      return presentCall(row);
    },
  );

  for (const step of STEPS) {
    app.post(
      `/api/v1/port-calls/:id/${step.path}`,
      {
        config: { access: step.access },
        schema: {
          tags,
          summary: step.summary,
          params: ZParams,
          body: step.body,
          response: { 200: ZPortCall, 400: ZError, 403: ZError, 404: ZError, 409: ZError, 422: ZError },
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        return step.run(deps, requirePrincipal(req), id, req.body as never);
      },
    );
  }
};
