import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import type { Principal } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, encodeCursor, keyAfter, ZPage, ZPageQuery } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { ZError } from '../../http/schemas.ts';
import { policyReadRoutes, publishPolicyRoute } from '../policies/index.ts';
import {
  assignMode,
  declareHealth,
  escalate,
  grantPratique,
  QUARANTINE_POLICY,
  recordRemoteFindings,
  startBoarding,
  startRemoteSession,
  type CaseRow,
  type DeclareInput,
} from './quarantine.commands.ts';
import { QuarantineErrorCode } from './quarantine.errors.ts';
import { quarantineKpis } from './quarantine.kpis.ts';
import { QUARANTINE_STATES } from './quarantine.machine.ts';
import { presentCase } from './quarantine.presenter.ts';
import { HEALTH_QUESTIONS, QUARANTINE_MODES, ruleSetProblems, ZRuleSet, type QuarantineMode, type RuleSet } from './quarantine.rules.ts';

const ZTime = Type.String({ format: 'date-time' });
const ZNullableTime = Type.Union([ZTime, Type.Null()]);
const ZMode = Type.Union(QUARANTINE_MODES.map((m) => Type.Literal(m)));
const ZParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ZReason = Type.Object({
  ruleId: Type.String(),
  points: Type.Integer(),
  forceMode: Type.Union([Type.String(), Type.Null()]),
  reasonZh: Type.String(),
  reasonEn: Type.String(),
  detail: Type.String(),
});
const ZSession = Type.Object({
  startedAt: ZTime,
  temperatures: Type.Array(Type.Object({ person: Type.String(), celsius: Type.Number() })),
  medicalLog: Type.Union([
    Type.Object({ fileName: Type.String(), sha256: Type.String(), pages: Type.Optional(Type.Integer()) }),
    Type.Null(),
  ]),
  video: Type.Union([Type.Object({ satisfactory: Type.Boolean(), findings: Type.String() }), Type.Null()]),
});
const ZCase = Type.Object({
  id: Type.String(),
  portCallId: Type.String(),
  state: Type.Union(QUARANTINE_STATES.map((s) => Type.Literal(s))),
  vessel: Type.Object({ imo: Type.String(), name: Type.String() }),
  portLocode: Type.String(),
  eta: ZTime,
  declaredAt: ZTime,
  lateDeclaration: Type.Boolean(),
  proposedMode: Type.Union([ZMode, Type.Null()]),
  forcedMode: Type.Union([ZMode, Type.Null()]),
  mode: Type.Union([ZMode, Type.Null()]),
  healthDeclaration: Type.Object({
    header: Type.Record(Type.String(), Type.Unknown()),
    answers: Type.Record(Type.String(), Type.Boolean()),
    illPersons: Type.Integer(),
    remarks: Type.String(),
  }),
  sanitationCertificate: Type.Union([
    Type.Object({
      number: Type.String(),
      issuedOn: Type.Union([Type.String(), Type.Null()]),
      issuedAt: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  crewHealth: Type.Object({ feverCount: Type.Integer(), illCount: Type.Integer() }),
  assessment: Type.Union([
    Type.Object({
      ruleSetVersion: Type.Union([Type.Integer(), Type.Null()]),
      score: Type.Union([Type.Integer(), Type.Null()]),
      reasons: Type.Array(ZReason),
    }),
    Type.Null(),
  ]),
  startedAt: ZNullableTime,
  remoteSession: Type.Union([ZSession, Type.Null()]),
  escalatedAt: ZNullableTime,
  escalationReason: Type.Union([Type.String(), Type.Null()]),
  certificateNo: Type.Union([Type.String(), Type.Null()]),
  certificateIssuedAt: ZNullableTime,
  pratiqueGrantedAt: ZNullableTime,
  durationMinutes: Type.Union([Type.Integer(), Type.Null()]),
  version: Type.Integer(),
});

const ZDeclare = Type.Object(
  {
    healthDeclaration: Type.Object(
      {
        master: Type.String({ minLength: 1, maxLength: 100, description: "Master's name" }),
        answers: Type.Object(Object.fromEntries(HEALTH_QUESTIONS.map((q) => [q, Type.Boolean()])), {
          additionalProperties: false,
          description: 'All nine questions of the Maritime Declaration of Health, answered yes (true) or no (false)',
        }),
        illPersons: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
        remarks: Type.Optional(Type.String({ maxLength: 2000 })),
      },
      { additionalProperties: false },
    ),
    sanitationCertificate: Type.Union([
      Type.Object(
        {
          number: Type.String({ minLength: 1, maxLength: 64 }),
          issuedOn: Type.String({ format: 'date' }),
          issuedAt: Type.String({ minLength: 5, maxLength: 6, description: 'UN/LOCODE of the issuing port' }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    crewHealth: Type.Object(
      { feverCount: Type.Integer({ minimum: 0, maximum: 10_000 }), illCount: Type.Integer({ minimum: 0, maximum: 10_000 }) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const AGENTS = rolesOnly('agent', 'admin');
const OFFICERS = rolesOnly('customs-officer', 'admin');
const READERS = rolesOnly('customs-officer', 'risk-analyst', 'agent', 'admin');
const RULE_READERS = rolesOnly('customs-officer', 'risk-analyst', 'admin');
const ANALYSTS = rolesOnly('risk-analyst', 'admin');

const callFacts = (db: DbOrTx, callId: string) =>
  db
    .selectFrom('port_calls')
    .select(['vessel_imo', 'vessel_name', 'port_locode', 'eta'])
    .where('id', '=', callId)
    .executeTakeFirstOrThrow();

const view = async (db: DbOrTx, row: CaseRow, p: Principal) => presentCase(row, await callFacts(db, row.port_call_id), p);

/** One case by its id or its call's, as the caller may see it. */
const findCase = async (db: DbOrTx, by: 'id' | 'port_call_id', id: string, p: Principal, notFound: string): Promise<CaseRow> => {
  const row = await db
    .selectFrom('quarantine_cases')
    .selectAll()
    .where(by, '=', id)
    .where(visibleTo('quarantine_cases', p))
    .executeTakeFirst();
  if (row === undefined) {
    throw new AppError('NOT_FOUND', QuarantineErrorCode.NOT_FOUND, notFound);
  }
  return row;
};

export const quarantineRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  const tags = ['quarantine'];
  const { db } = deps;

  app.post(
    '/api/v1/port-calls/:id/quarantine',
    {
      config: { access: AGENTS },
      schema: {
        tags,
        summary:
          'Entry health declaration (Maritime Declaration of Health, sanitation certificate, crew health); assessed at once by the rule set in force',
        params: ZParams,
        body: ZDeclare,
        response: { 201: ZCase, 400: ZError, 404: ZError, 409: ZError },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const row = await declareHealth(deps, p, (req.params as { id: string }).id, req.body as DeclareInput);
      return reply.status(201).send(await view(db, row, p));
    },
  );

  app.get(
    '/api/v1/port-calls/:id/quarantine',
    {
      config: { access: READERS },
      schema: { tags, summary: "The call's quarantine case", params: ZParams, response: { 200: ZCase, 404: ZError } },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const { id } = req.params as { id: string };
      return view(db, await findCase(db, 'port_call_id', id, p, `Port call ${id} has no quarantine case you may see`), p);
    },
  );

  app.get(
    '/api/v1/quarantine-cases',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: "Quarantine queue: the district's cases for customs, an agency's own for agents; newest declaration first",
        querystring: Type.Object(
          {
            state: Type.Optional(Type.Union(QUARANTINE_STATES.map((s) => Type.Literal(s)))),
            portCallId: Type.Optional(
              Type.String({ minLength: 1, maxLength: 64, description: 'The case of one port call (an empty page before its declaration)' }),
            ),
            ...ZPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: ZPage(ZCase), 400: ZError },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const q = req.query as { state?: string; portCallId?: string; limit?: number; cursor?: string };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      const filtered = () => {
        const qb = db.selectFrom('quarantine_cases').where(visibleTo('quarantine_cases', p));
        const byState = q.state === undefined ? qb : qb.where('quarantine_cases.state', '=', q.state);
        return q.portCallId === undefined ? byState : byState.where('quarantine_cases.port_call_id', '=', q.portCallId);
      };
      const after = keyAfter(q.cursor);
      const [rows, count] = await Promise.all([
        (after === undefined ? filtered() : filtered().where('quarantine_cases.id', '<', after))
          // the call's facts in the same query: one round trip per page, not one per case
          .innerJoin('port_calls', 'port_calls.id', 'quarantine_cases.port_call_id')
          .selectAll('quarantine_cases')
          .select(['port_calls.vessel_imo', 'port_calls.vessel_name', 'port_calls.port_locode', 'port_calls.eta'])
          .orderBy('quarantine_cases.id', 'desc')
          .limit(limit + 1)
          .execute(),
        filtered()
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map((r) => presentCase(r, r, p)),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null,
        total: Number(count.n),
      };
    },
  );

  app.get(
    '/api/v1/quarantine-cases/:id',
    {
      config: { access: READERS },
      schema: { tags, summary: 'One quarantine case', params: ZParams, response: { 200: ZCase, 404: ZError } },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const { id } = req.params as { id: string };
      return view(db, await findCase(db, 'id', id, p, `No quarantine case ${id}`), p);
    },
  );

  const officerStep = <B>(
    path: string,
    summary: string,
    body: ReturnType<typeof Type.Object>,
    run: (p: Principal, id: string, b: B) => Promise<CaseRow>,
  ) =>
    app.post(
      `/api/v1/quarantine-cases/:id/${path}`,
      {
        config: { access: OFFICERS },
        schema: { tags, summary, params: ZParams, body, response: { 200: ZCase, 400: ZError, 404: ZError, 409: ZError, 422: ZError } },
      },
      async (req) => {
        const p = requirePrincipal(req);
        return view(db, await run(p, (req.params as { id: string }).id, req.body as B), p);
      },
    );
  const ZVersion = {
    expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'Refuse with 409 unless the case is at this version' })),
  };
  const ZAt = { at: Type.Optional(ZTime), ...ZVersion };
  const strict = { additionalProperties: false } as const;

  officerStep<{ mode: QuarantineMode; note?: string }>(
    'mode',
    'Decide the quarantine mode (never less strict than a mode the rules force)',
    Type.Object({ mode: ZMode, note: Type.Optional(Type.String({ maxLength: 500 })), ...ZVersion }, strict),
    (p, id, b) => assignMode(deps, p, id, b),
  );
  officerStep<{ at?: string }>('remote-session', 'Start the smart remote session', Type.Object(ZAt, strict), (p, id, b) =>
    startRemoteSession(deps, p, id, b),
  );
  officerStep<Parameters<typeof recordRemoteFindings>[3]>(
    'remote-findings',
    'Record temperature screening, the uploaded medical log and video-inspection findings',
    Type.Object(
      {
        ...ZVersion,
        temperatures: Type.Optional(
          Type.Array(
            Type.Object(
              { person: Type.String({ minLength: 1, maxLength: 100 }), celsius: Type.Number({ minimum: 30, maximum: 45 }) },
              strict,
            ),
            { maxItems: 10_000 },
          ),
        ),
        medicalLog: Type.Optional(
          Type.Object(
            {
              fileName: Type.String({ minLength: 1, maxLength: 255 }),
              sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
              pages: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
            },
            strict,
          ),
        ),
        video: Type.Optional(Type.Object({ satisfactory: Type.Boolean(), findings: Type.String({ maxLength: 4000 }) }, strict)),
      },
      strict,
    ),
    (p, id, b) => recordRemoteFindings(deps, p, id, b),
  );
  officerStep<{ reason: string; at?: string }>(
    'escalation',
    'The remote session cannot clear the ship: escalate to boarding',
    Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }), ...ZAt }, strict),
    (p, id, b) => escalate(deps, p, id, b),
  );
  officerStep<{ at?: string }>(
    'boarding',
    'Start boarding quarantine (anchorage, berth or on board)',
    Type.Object(ZAt, strict),
    (p, id, b) => startBoarding(deps, p, id, b),
  );
  officerStep<{ at?: string; certificateNo?: string }>(
    'pratique',
    'Issue the entry quarantine certificate and grant pratique: cargo operations may start from then',
    Type.Object({ ...ZAt, certificateNo: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, strict),
    (p, id, b) => grantPratique(deps, p, id, b),
  );

  app.get(
    '/api/v1/quarantine/kpis',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: 'Quarantine KPIs from events: duration (certificate − start), remote share, escalation rate, hours saved before berthing',
        querystring: Type.Object({ from: Type.Optional(ZTime), to: Type.Optional(ZTime) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            cases: Type.Integer(),
            granted: Type.Integer(),
            medianDurationMinutes: Type.Union([Type.Number(), Type.Null()]),
            meanDurationMinutes: Type.Union([Type.Number(), Type.Null()]),
            remoteShare: Type.Union([Type.Number(), Type.Null()]),
            escalationRate: Type.Union([Type.Number(), Type.Null()]),
            hoursSavedBeforeBerthing: Type.Number(),
            byMode: Type.Record(Type.String(), Type.Integer()),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query as { from?: string; to?: string };
      return quarantineKpis(db, requirePrincipal(req), {
        ...(q.from !== undefined ? { from: new Date(q.from) } : {}),
        ...(q.to !== undefined ? { to: new Date(q.to) } : {}),
      });
    },
  );

  policyReadRoutes(app, deps, {
    kind: QUARANTINE_POLICY,
    access: RULE_READERS,
    tags,
    document: ZRuleSet,
    list: { path: '/api/v1/quarantine/rule-sets', summary: 'Every version of the quarantine risk rule set' },
    inForce: { path: '/api/v1/quarantine/rule-sets/active', summary: 'The rule set in force now' },
  });
  publishPolicyRoute<RuleSet>(app, deps, {
    path: '/api/v1/quarantine/rule-sets',
    kind: QUARANTINE_POLICY,
    access: ANALYSTS,
    tags,
    summary: 'Publish a new version of the quarantine risk rule set (from now or a later instant)',
    document: ZRuleSet,
    problems: ruleSetProblems,
    errorCode: QuarantineErrorCode.INVALID_RULE_SET,
  });
};
