import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import type { Clock } from '../../core/clock.ts';
import { DEFAULT_PAGE_SIZE, ZPage, ZPageQuery } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import { ZError } from '../../http/schemas.ts';
import { policyInForce } from '../policies/index.ts';
import { DECLARATION_RULES_POLICY, type DeclarationRules } from './declaration-rules.ts';
import { act, amend, complete, declare, type ActInput } from './declarations.commands.ts';
import { ZDeclarationInput, type DeclarationInput } from './declarations.input.ts';
import { clearanceTimes, CLEARANCE_GROUPS, type ClearanceGroup } from './declarations.kpis.ts';
import { CUSTOMS_COMMANDS, DECLARATION_STATUSES, type DeclarationCommand } from './declarations.machine.ts';
import {
  declarationCusres,
  declarationHistory,
  declarationQueues,
  getDeclaration,
  listDeclarations,
  manifestMatch,
  presentDeclaration,
} from './declarations.queries.ts';

const tags = ['declarations'];
const CUSTOMS = rolesOnly('customs-officer', 'risk-analyst', 'admin');
const READERS = rolesOnly('customs-officer', 'risk-analyst', 'declarant', 'admin');
const DECLARANTS = rolesOnly('declarant', 'admin');
const OFFICERS = rolesOnly('customs-officer', 'admin');

const ZTime = Type.String({ format: 'date-time' });
const ZNullableTime = Type.Union([ZTime, Type.Null()]);
const ZParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ZStatus = Type.Union(DECLARATION_STATUSES.map((s) => Type.Literal(s)));
const ZChannel = Type.Union(
  ['release', 'document-review', 'machine-scan', 'manual-inspection', 'machine-then-manual'].map((c) => Type.Literal(c)),
);

const ZDeclaration = Type.Object({
  id: Type.String(),
  entryId: Type.Union([Type.String(), Type.Null()]),
  direction: Type.String(),
  procedure: Type.String(),
  stage: Type.Union([Type.String(), Type.Null()]),
  status: ZStatus,
  statusName: Type.Object({ zh: Type.String(), en: Type.String() }),
  enterpriseCode: Type.String(),
  creditClass: Type.String(),
  customsCode: Type.String(),
  districtCode: Type.String(),
  portCallId: Type.Union([Type.String(), Type.Null()]),
  billNumber: Type.Union([Type.String(), Type.Null()]),
  manifestMatched: Type.Boolean(),
  containerNumbers: Type.Array(Type.String()),
  packages: Type.Integer(),
  grossKg: Type.Number(),
  netKg: Type.Number(),
  totalValue: Type.Number(),
  currency: Type.String(),
  goodsArrivedAt: ZNullableTime,
  completeDueAt: ZNullableTime,
  releaseAuthorisedAt: ZNullableTime,
  releasedAt: ZNullableTime,
  closedAt: ZNullableTime,
  declaredAt: ZTime,
  updatedAt: ZTime,
  version: Type.Integer(),
  document: Type.Record(Type.String(), Type.Unknown()),
  channel: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Customs only' })),
  risk: Type.Optional(
    Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
      description: 'Customs only: rule-set version, fired rules, random draw',
    }),
  ),
});

const ZNewVersion = Type.Object(
  { expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })), document: ZDeclarationInput },
  { additionalProperties: false },
);
const ZAct = Type.Object(
  {
    expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    method: Type.Optional(Type.Union([Type.Literal('machine-scan'), Type.Literal('manual'), Type.Literal('machine-then-manual')])),
    outcome: Type.Optional(Type.Union([Type.Literal('clear'), Type.Literal('discrepancy')])),
    amountCny: Type.Optional(Type.Number({ minimum: 0, maximum: 1e13 })),
  },
  { additionalProperties: false },
);
const errors = { 400: ZError, 403: ZError, 404: ZError, 409: ZError, 422: ZError };

export const declarationRoutes = (app: FastifyInstance, { db, clock }: { db: Db; clock: Clock }): void => {
  app.post(
    '/api/v1/declarations',
    {
      config: { access: DECLARANTS },
      schema: {
        tags,
        summary:
          'Declare goods (import or export; standard, advance or two-step summary). Received (L), assessed and, on the release channel, released at once or on arrival',
        body: ZDeclarationInput,
        response: { 201: ZDeclaration, ...errors },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const row = await declare({ db, clock }, p, req.body as DeclarationInput);
      return reply.code(201).send(presentDeclaration(row, p));
    },
  );

  app.get(
    '/api/v1/declarations',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: "Declarations, newest first: a declarant's own, customs' of the district",
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.String({ pattern: '^[LJCTPREZDMH](,[LJCTPREZDMH])*$', description: 'Receipt codes, comma-separated' }),
            ),
            channel: Type.Optional(ZChannel),
            direction: Type.Optional(Type.Union([Type.Literal('import'), Type.Literal('export')])),
            procedure: Type.Optional(Type.Union([Type.Literal('standard'), Type.Literal('advance'), Type.Literal('two-step')])),
            q: Type.Optional(Type.String({ maxLength: 35, description: 'Entry number, bill or container number' })),
            ...ZPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: ZPage(ZDeclaration), 400: ZError, 403: ZError },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const q = req.query as {
        status?: string;
        channel?: string;
        direction?: string;
        procedure?: string;
        q?: string;
        limit?: number;
        cursor?: string;
      };
      return listDeclarations(db, p, { ...q, status: q.status?.split(','), limit: q.limit ?? DEFAULT_PAGE_SIZE });
    },
  );

  app.get(
    '/api/v1/declarations/queues',
    {
      config: { access: CUSTOMS },
      schema: {
        tags,
        summary: "The officer's queues: open declarations of the district by status and risk channel",
        response: {
          200: Type.Array(Type.Object({ status: Type.String(), channel: Type.Union([Type.String(), Type.Null()]), count: Type.Integer() })),
        },
      },
    },
    async (req) => declarationQueues(db, requirePrincipal(req)),
  );

  const ZSummary = {
    count: Type.Integer(),
    meanHours: Type.Union([Type.Number(), Type.Null()]),
    medianHours: Type.Union([Type.Number(), Type.Null()]),
    p90Hours: Type.Union([Type.Number(), Type.Null()]),
  };
  app.get(
    '/api/v1/declarations/kpis/clearance',
    {
      config: { access: CUSTOMS },
      schema: {
        tags,
        summary:
          'Overall clearance time (import arrival → release, export arrival report → release) from the event log, by port, office, channel or credit class',
        querystring: Type.Object(
          {
            from: Type.Optional(ZTime),
            to: Type.Optional(ZTime),
            groupBy: Type.Optional(Type.Union(CLEARANCE_GROUPS.map((g) => Type.Literal(g)))),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            definition: Type.String(),
            groupBy: Type.String(),
            overall: Type.Array(Type.Object({ direction: Type.String(), ...ZSummary })),
            groups: Type.Array(Type.Object({ direction: Type.String(), group: Type.String(), ...ZSummary })),
          }),
          400: ZError,
        },
      },
    },
    async (req) => {
      const q = req.query as { from?: string; to?: string; groupBy?: ClearanceGroup };
      return clearanceTimes(db, requirePrincipal(req), {
        groupBy: q.groupBy ?? 'port',
        ...(q.from === undefined ? {} : { from: new Date(q.from) }),
        ...(q.to === undefined ? {} : { to: new Date(q.to) }),
      });
    },
  );

  app.get(
    '/api/v1/declarations/:id',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: 'One declaration (risk channel and reasons for customs only)',
        params: ZParams,
        response: { 200: ZDeclaration, 404: ZError },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      return presentDeclaration(await getDeclaration(db, p, (req.params as { id: string }).id), p);
    },
  );

  app.get(
    '/api/v1/declarations/:id/history',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: "The declaration's status history from the event log, as the caller may see it",
        params: ZParams,
        response: {
          200: Type.Array(
            Type.Object({
              seq: Type.Integer(),
              type: Type.String(),
              occurredAt: ZTime,
              actor: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
              payload: Type.Record(Type.String(), Type.Unknown()),
            }),
          ),
          404: ZError,
        },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const d = await getDeclaration(db, p, (req.params as { id: string }).id);
      return declarationHistory(db, p, d.id);
    },
  );

  app.get(
    '/api/v1/declarations/:id/manifest-match',
    {
      config: { access: CUSTOMS },
      schema: {
        tags,
        summary:
          'The declaration beside the manifests it must agree with (import: original manifest; export: pre-stowage and arrival report)',
        params: ZParams,
        response: {
          200: Type.Object({
            declared: Type.Object({
              billNumber: Type.Union([Type.String(), Type.Null()]),
              grossKg: Type.Number(),
              containerNumbers: Type.Array(Type.String()),
            }),
            manifests: Type.Array(
              Type.Object({
                manifestId: Type.String(),
                kind: Type.String(),
                portCallId: Type.String(),
                portLocode: Type.String(),
                grossKg: Type.Number(),
                equipment: Type.Array(Type.String()),
                filedAt: ZTime,
              }),
            ),
            agrees: Type.Boolean(),
            problems: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
          }),
          404: ZError,
        },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const d = await getDeclaration(db, p, (req.params as { id: string }).id);
      const rules = (await policyInForce<DeclarationRules>(db, DECLARATION_RULES_POLICY, clock.now())).document;
      return manifestMatch(db, d, rules.exportWeightTolerance);
    },
  );

  app.get(
    '/api/v1/declarations/:id/cusres',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: "The customs responses so far as a CUSRES interchange, for the declarant's own systems",
        params: ZParams,
        produces: ['application/edifact'],
        response: { 200: Type.String(), 404: ZError },
      },
    },
    async (req, reply) => {
      const p = requirePrincipal(req);
      const d = await getDeclaration(db, p, (req.params as { id: string }).id);
      const history = await declarationHistory(db, p, d.id);
      return reply.type('application/edifact').send(declarationCusres(d, history, p.orgCode, clock.now()));
    },
  );

  const versions = [
    [
      'amendments',
      'A new version while customs has not decided (received, returned for amendment, re-review): assessed again, status M',
      amend,
    ],
    ['complete-declaration', 'Two-step: the complete declaration after the summary (due within 14 days of arrival)', complete],
  ] as const;
  for (const [path, summary, run] of versions) {
    app.post(
      `/api/v1/declarations/:id/${path}`,
      {
        config: { access: DECLARANTS },
        schema: { tags, summary, params: ZParams, body: ZNewVersion, response: { 200: ZDeclaration, ...errors } },
      },
      async (req) => {
        const p = requirePrincipal(req);
        const b = req.body as { expectedVersion?: number; document: DeclarationInput };
        return presentDeclaration(await run({ db, clock }, p, (req.params as { id: string }).id, b), p);
      },
    );
  }

  app.post(
    '/api/v1/declarations/:id/withdrawal',
    {
      config: { access: DECLARANTS },
      schema: {
        tags,
        summary: 'Withdraw (delete, D) a declaration that is not released',
        params: ZParams,
        body: Type.Object(
          {
            expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
            reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ZDeclaration, ...errors },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      return presentDeclaration(await act({ db, clock }, p, (req.params as { id: string }).id, 'withdraw', req.body as ActInput), p);
    },
  );

  app.post(
    '/api/v1/declarations/:id/actions/:command',
    {
      config: { access: OFFICERS },
      schema: {
        tags,
        summary:
          "An officer's action: review, order-inspection, record-inspection, assess-duty, record-payment, release, close, return, reject, suspend, resume",
        params: Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 64 }), command: Type.Union(CUSTOMS_COMMANDS.map((c) => Type.Literal(c))) },
          { additionalProperties: false },
        ),
        body: ZAct,
        response: { 200: ZDeclaration, ...errors },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const { id, command } = req.params as { id: string; command: Exclude<DeclarationCommand, 'amend'> };
      return presentDeclaration(await act({ db, clock }, p, id, command, req.body as ActInput), p);
    },
  );
};
