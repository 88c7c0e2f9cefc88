import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { rolesOnly } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { DEFAULT_PAGE_SIZE, keyAfter, pageOf, ZPage, ZPageQuery } from '../../core/pagination.ts';
import type { Db } from '../../db/client.ts';
import { ZError } from '../../http/schemas.ts';
import { acknowledgeInstruction, checkGate, issueInstructionAs } from './instructions.commands.ts';
import { GATE_MOVES, INSTRUCTION_CODE_NAMES, type GateMove, type InstructionCode } from './instructions.codes.ts';
import { InstructionErrorCode } from './instructions.errors.ts';
import { findInstruction, listInstructions, type InstructionFilter, type InstructionView } from './instructions.queries.ts';

/** Which officer issued an instruction is customs' own business: others see that customs did. */
const shownTo =
  (p: Principal) =>
  (v: InstructionView): InstructionView =>
    p.role === 'admin' || p.orgKind === 'customs' ? v : { ...v, issuedBy: null };

const literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const ZTime = Type.String({ format: 'date-time' });
const ZScope = literals(['container', 'bill']);
const ZCode = literals(INSTRUCTION_CODE_NAMES);
const ZMove = literals(GATE_MOVES);
const ZParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const ZIssue = Type.Object(
  {
    scope: ZScope,
    subject: Type.String({
      minLength: 1,
      maxLength: 35,
      description: 'Container number (scope container, ISO 6346 with check digit) or bill of lading number (scope bill)',
    }),
    portCallId: Type.String({ minLength: 1, maxLength: 40 }),
    code: ZCode,
    sendTime: Type.String({ format: 'date-time', description: "Customs' SendTime: the newest one per subject is in force" }),
    direction: Type.Optional(
      Type.Union([Type.Literal('import'), Type.Literal('export')], {
        description: 'I/E; by default that of the boxes concerned, else the usual side of the code',
      }),
    ),
    declarationId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const ZInstruction = Type.Object({
  id: Type.String(),
  scope: ZScope,
  subject: Type.String(),
  portCallId: Type.String(),
  direction: literals(['import', 'export']),
  code: ZCode,
  meaning: Type.Object({ zh: Type.String(), en: Type.String() }),
  permits: Type.Array(ZMove, { description: 'Moves the terminal may make while this instruction is in force' }),
  sendTime: ZTime,
  declarationId: Type.Union([Type.String(), Type.Null()]),
  districtCode: Type.String(),
  terminalOrgIds: Type.Array(Type.String()),
  issuedBy: Type.Union([Type.String(), Type.Null()], {
    description:
      "The issuing officer's user id: shown to customs and administrators; terminals and others see null (the instruction comes from customs)",
  }),
  receivedAt: ZTime,
  inForce: Type.Boolean({ description: 'The newest instruction by send time for its call, scope and subject' }),
  acknowledgement: Type.Union([
    Type.Object({
      status: literals(['applied', 'rejected']),
      note: Type.Union([Type.String(), Type.Null()]),
      at: ZTime,
      by: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});

const ZGateCheck = Type.Object({
  allowed: Type.Boolean(),
  move: ZMove,
  reason: literals([
    'instruction-permits',
    'instruction-holds',
    'instruction-does-not-permit',
    'customs-released',
    'customs-hold',
    'not-released',
  ]),
  instruction: Type.Union([Type.Object({ code: ZCode, sendTime: ZTime }), Type.Null()]),
  container: Type.Object({
    id: Type.String(),
    number: Type.String(),
    portCallId: Type.String(),
    direction: Type.String(),
    bills: Type.Array(Type.String()),
    flags: Type.Object({
      customsReleased: Type.Boolean(),
      onHold: Type.Boolean(),
      discharged: Type.Boolean(),
      gatedOut: Type.Boolean(),
      loaded: Type.Boolean(),
    }),
  }),
});

const ISSUERS = rolesOnly('customs-officer', 'admin');
const READERS = rolesOnly('customs-officer', 'risk-analyst', 'terminal-operator', 'admin');
const ACKNOWLEDGERS = rolesOnly('terminal-operator', 'admin');
const GATE_CHECKERS = rolesOnly('terminal-operator', 'customs-officer', 'admin');

export const instructionRoutes = (app: FastifyInstance, deps: { db: Db; clock: Clock }): void => {
  const tags = ['customs-instructions'];

  app.post(
    '/api/v1/customs-instructions',
    {
      config: { access: ISSUERS },
      schema: {
        tags,
        summary: 'Send a customs instruction (MT0102: codes 1 2 7 8 9 I A B) for a box or a bill to the terminals of a call',
        description:
          'Must-copy rule: the instruction in force per call, scope and subject is the one with the newest send time; one not newer than it is refused (409, path /sendTime) and nothing is stored. Releasing codes record a customs-release for each box concerned, inspection orders (A, B) a customs-hold.',
        body: ZIssue,
        response: { 201: ZInstruction, 400: ZError, 404: ZError, 409: ZError, 422: ZError },
      },
    },
    async (req, reply) => {
      const body = req.body as {
        scope: 'container' | 'bill';
        subject: string;
        portCallId: string;
        code: InstructionCode;
        sendTime: string;
        direction?: 'import' | 'export';
        declarationId?: string | null;
      };
      return reply.status(201).send(await issueInstructionAs(deps, requirePrincipal(req), body));
    },
  );

  app.get(
    '/api/v1/customs-instructions',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: "Customs instructions the caller may see (terminals those of their calls, customs its district's), newest first",
        querystring: Type.Object(
          {
            portCallId: Type.Optional(Type.String({ maxLength: 40 })),
            scope: Type.Optional(ZScope),
            subject: Type.Optional(Type.String({ maxLength: 35 })),
            code: Type.Optional(ZCode),
            inForce: Type.Optional(Type.Boolean({ description: 'Only the newest instruction per call, scope and subject' })),
            unacknowledged: Type.Optional(Type.Boolean({ description: 'Only those the terminal has not acknowledged' })),
            ...ZPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: ZPage(ZInstruction), 400: ZError },
      },
    },
    async (req) => {
      const q = req.query as InstructionFilter & { limit?: number; cursor?: string };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      const afterId = keyAfter(q.cursor);
      const principal = requirePrincipal(req);
      const rows = await listInstructions(deps.db, principal, {
        ...(q.portCallId !== undefined ? { portCallId: q.portCallId } : {}),
        ...(q.scope !== undefined ? { scope: q.scope } : {}),
        ...(q.subject !== undefined ? { subject: q.subject } : {}),
        ...(q.code !== undefined ? { code: q.code } : {}),
        ...(q.inForce !== undefined ? { inForce: q.inForce } : {}),
        ...(q.unacknowledged !== undefined ? { unacknowledged: q.unacknowledged } : {}),
        limit,
        ...(afterId !== undefined ? { afterId } : {}),
      });
      return pageOf(rows.map(shownTo(principal)), limit, (r) => r.id);
    },
  );

  app.get(
    '/api/v1/customs-instructions/:id',
    {
      config: { access: READERS },
      schema: {
        tags,
        summary: 'One customs instruction and its acknowledgement',
        params: ZParams,
        response: { 200: ZInstruction, 404: ZError },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const principal = requirePrincipal(req);
      const found = await findInstruction(deps.db, principal, id);
      if (found === undefined) {
        throw new AppError('NOT_FOUND', InstructionErrorCode.NOT_FOUND, `No instruction ${id}`);
      }
      return shownTo(principal)(found);
    },
  );

  app.post(
    '/api/v1/customs-instructions/:id/acknowledgement',
    {
      config: { access: ACKNOWLEDGERS },
      schema: {
        tags,
        summary: "The terminal's acknowledgement of an instruction (applied or rejected), once",
        params: ZParams,
        body: Type.Object(
          { status: literals(['applied', 'rejected']), note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) },
          { additionalProperties: false },
        ),
        response: { 200: ZInstruction, 400: ZError, 404: ZError, 409: ZError },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const principal = requirePrincipal(req);
      return shownTo(principal)(
        await acknowledgeInstruction(deps, principal, id, req.body as { status: 'applied' | 'rejected'; note?: string | null }),
      );
    },
  );

  app.post(
    '/api/v1/gate-checks',
    {
      config: { access: GATE_CHECKERS },
      schema: {
        tags,
        summary: 'May this box leave by the gate or be loaded now? Decided by the customs instruction in force, else the customs flags',
        description:
          "The instruction in force is the box's own or its bill's, whichever was sent last; gate-out needs code 2, 7, 9 or I, load 1 or 9. A box without any instruction passes when customs released it (container events) and it is not on hold. Every check is recorded as gate.check-passed or gate.check-refused.",
        body: Type.Object(
          {
            containerNumber: Type.String({ minLength: 1, maxLength: 16 }),
            move: ZMove,
            portCallId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ZGateCheck, 400: ZError, 404: ZError },
      },
    },
    async (req) => checkGate(deps, requirePrincipal(req), req.body as { containerNumber: string; move: GateMove; portCallId?: string }),
  );
};
