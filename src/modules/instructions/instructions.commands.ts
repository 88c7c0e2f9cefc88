import { sql } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { Clock } from '../../core/clock.ts';
import { validateContainerNumber } from '../../core/codes.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { DbOrTx, Tx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import { appendEvent, appendEvents, type Actor, type NewEvent } from '../../events/event-log.ts';
import { openAlerts } from '../alerts/index.ts';
import { CONTAINER_EVENT_KINDS, ingestContainerEvents, listContainers } from '../cargo/index.ts';
import { decideMove, INSTRUCTION_CODES, type GateMove, type GateReason, type InstructionCode } from './instructions.codes.ts';
import { InstructionErrorCode } from './instructions.errors.ts';
import { loadInstruction, presentInstruction, releaseStates, type InstructionView } from './instructions.queries.ts';

/** Send times may run this far ahead of our clock (the same tolerance as terminal events). */
const MAX_FUTURE_MS = 15 * 60_000;
const MAX_BILL_LENGTH = 35;

export type IssueInstructionInput = {
  scope: 'container' | 'bill';
  subject: string;
  portCallId: string;
  direction: 'import' | 'export';
  code: InstructionCode;
  sendTime: Date;
  declarationId?: string | null;
  actor: Actor;
};

const fieldError = (kind: 'INVALID_INPUT' | 'NOT_FOUND', code: string, path: string, message: string) =>
  new AppError(kind, code, message, [{ path, message }]);

/** A container number normalised, or a bill number as sent; refused with a path otherwise. */
const normaliseSubject = (scope: 'container' | 'bill', subject: string, path = '/subject'): string => {
  if (scope === 'container') {
    const n = validateContainerNumber(subject);
    if (!n.ok) {
      throw fieldError('INVALID_INPUT', InstructionErrorCode.BAD_CONTAINER_NUMBER, path, n.reason);
    }
    return n.value;
  }
  const bill = subject.trim();
  if (bill.length === 0 || bill.length > MAX_BILL_LENGTH) {
    throw fieldError('INVALID_INPUT', InstructionErrorCode.INVALID_SUBJECT, path, `a bill number has 1 to ${MAX_BILL_LENGTH} characters`);
  }
  return bill;
};

type Box = { id: string; number: string; direction: string };

/** The box visits an instruction concerns: the box on the call, or every box of the call carrying the bill. */
const boxesOf = async (db: DbOrTx, portCallId: string, scope: 'container' | 'bill', subject: string, lock: boolean): Promise<Box[]> => {
  const match = scope === 'container' ? sql`number = ${subject}` : sql`bill_numbers @> array[${subject}]::text[]`;
  const rows = await sql<Box>`
    select id, number, direction from containers where port_call_id = ${portCallId} and ${match}
    order by id ${lock ? sql`for key share` : sql``}`.execute(db);
  return rows.rows;
};

/**
 * The I/E side of an instruction that names none: that of the boxes concerned when they agree,
 * else the code's usual side (the code table).
 */
export const directionFor = async (
  db: DbOrTx,
  q: { portCallId: string; scope: 'container' | 'bill'; subject: string; code: InstructionCode },
): Promise<'import' | 'export'> => {
  const boxes = await boxesOf(db, q.portCallId, q.scope, normaliseSubject(q.scope, q.subject), false);
  const sides = new Set(boxes.map((b) => b.direction));
  const only = sides.size === 1 ? [...sides][0] : undefined;
  return only === 'import' || only === 'export' ? only : INSTRUCTION_CODES[q.code].direction;
};

/** The customs organisation box events are sent as: the issuer's own, when it acts for the call's district. */
const customsSender = async (trx: Tx, actor: Actor, districtCode: string): Promise<Principal> => {
  const issuerOrg =
    actor.id === null
      ? undefined
      : actor.type === 'user'
        ? await trx.selectFrom('users').select('org_id').where('id', '=', actor.id).executeTakeFirst()
        : actor.type === 'api-key'
          ? await trx.selectFrom('api_keys').select('org_id').where('id', '=', actor.id).executeTakeFirst()
          : undefined;
  const customsOf = trx
    .selectFrom('organisations')
    .select(['id', 'code', 'district_code'])
    .where('kind', '=', 'customs')
    .where('district_code', '=', districtCode);
  const own = issuerOrg === undefined ? undefined : await customsOf.where('id', '=', issuerOrg.org_id).executeTakeFirst();
  const org = own ?? (await customsOf.orderBy('code').executeTakeFirst());
  if (org === undefined) {
    throw new AppError(
      'UNPROCESSABLE',
      InstructionErrorCode.NO_CUSTOMS_ORGANISATION,
      `No customs organisation acts for district ${districtCode}: the boxes' release or hold cannot be recorded`,
    );
  }
  return {
    kind: actor.type === 'api-key' ? 'api-key' : 'user',
    id: actor.id ?? 'system',
    role: 'customs-officer',
    orgId: org.id,
    orgCode: org.code,
    orgKind: 'customs',
    districtCode: org.district_code,
    username: null,
  };
};

const SUBJECT_LOCK_CLASS = 74290200;

/**
 * Serialises the issuers of the same instruction subjects (call, scope, subject) for the rest of
 * the transaction, in one order (sorted), without serialising anybody else. Taken after the boxes'
 * row locks and before the event chain; taking a subject again in the same transaction is free.
 */
export const lockInstructionSubjects = async (
  trx: Tx,
  subjects: { portCallId: string; scope: 'container' | 'bill'; subject: string }[],
): Promise<void> => {
  const keys = [...new Set(subjects.map((s) => `${s.portCallId}|${s.scope}|${s.subject}`))].sort();
  for (const key of keys) {
    await sql`select pg_advisory_xact_lock(${SUBJECT_LOCK_CLASS}, hashtext(${key}))`.execute(trx);
  }
};

/**
 * Issues a customs instruction to the terminals of a call, inside the caller's transaction (the
 * declarations module calls it when it releases or orders an inspection). Must-copy rule
 * (domain.md §1.3, §16.3): an instruction whose send time is not newer than the one in force for
 * its subject is refused and nothing is stored. Releasing codes record a customs-release event for
 * each box concerned, inspection orders a customs-hold, so the box flags, IFTSTA and the gate agree.
 *
 * Locks: the boxes concerned (key share, id order), then the subject (lockInstructionSubjects), which
 * serialises issuers of the same subject, so the in-force read below sees any instruction committed
 * before it; the event chain only at the appends at the end. A caller issuing several instructions
 * in one transaction locks all their subjects first (boxes → subjects → chain), and calls this
 * before appending its own events.
 */
export const issueInstruction = async (trx: Tx, clock: Clock, input: IssueInstructionInput): Promise<InstructionView> => {
  const now = clock.now();
  const subject = normaliseSubject(input.scope, input.subject);
  if (input.sendTime.getTime() > now.getTime() + MAX_FUTURE_MS) {
    throw fieldError(
      'INVALID_INPUT',
      InstructionErrorCode.SEND_TIME_IN_FUTURE,
      '/sendTime',
      `send time ${input.sendTime.toISOString()} is more than 15 minutes ahead of ${now.toISOString()}`,
    );
  }
  const call = await trx
    .selectFrom('port_calls')
    .select(['id', 'district_code', 'terminal_org_ids'])
    .where('id', '=', input.portCallId)
    .executeTakeFirst();
  if (call === undefined) {
    throw fieldError('NOT_FOUND', InstructionErrorCode.CALL_NOT_FOUND, '/portCallId', `No port call ${input.portCallId}`);
  }
  const declarationId = input.declarationId ?? null;
  if (declarationId !== null) {
    const d = await trx.selectFrom('declarations').select('id').where('id', '=', declarationId).executeTakeFirst();
    if (d === undefined) {
      throw fieldError('NOT_FOUND', InstructionErrorCode.DECLARATION_NOT_FOUND, '/declarationId', `No declaration ${declarationId}`);
    }
  }
  const all = await boxesOf(trx, call.id, input.scope, subject, true);
  if (all.length === 0) {
    const bill =
      input.scope === 'bill'
        ? await trx.selectFrom('bills').select('id').where('port_call_id', '=', call.id).where('number', '=', subject).executeTakeFirst()
        : undefined;
    if (bill === undefined) {
      throw fieldError(
        'NOT_FOUND',
        InstructionErrorCode.SUBJECT_NOT_ON_CALL,
        '/subject',
        `No ${input.scope === 'container' ? 'box' : 'bill'} ${subject} on a manifest of call ${call.id}`,
      );
    }
  }
  // A box number can have an import and an export visit on one call: the instruction's side wins.
  const sameSide = all.filter((b) => b.direction === input.direction);
  const boxes = input.scope === 'container' && sameSide.length > 0 ? sameSide : all;
  const entry = INSTRUCTION_CODES[input.code];
  const sender = entry.box === 'none' || boxes.length === 0 ? null : await customsSender(trx, input.actor, call.district_code);

  await lockInstructionSubjects(trx, [{ portCallId: call.id, scope: input.scope, subject }]);
  const inForce = await trx
    .selectFrom('customs_instructions')
    .select(['id', 'code', 'send_time'])
    .where('port_call_id', '=', call.id)
    .where('scope', '=', input.scope)
    .where('subject', '=', subject)
    .orderBy('send_time', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (inForce !== undefined && inForce.send_time.getTime() >= input.sendTime.getTime()) {
    throw new AppError(
      'CONFLICT',
      InstructionErrorCode.OLDER_THAN_IN_FORCE,
      `Instruction ${inForce.code} sent at ${inForce.send_time.toISOString()} is in force for ${input.scope} ${subject}; an instruction sent at ${input.sendTime.toISOString()} is not newer and is refused`,
      [
        {
          path: '/sendTime',
          message: `must be later than ${inForce.send_time.toISOString()}, the send time of instruction ${inForce.id} (code ${inForce.code}) in force`,
        },
      ],
    );
  }
  const id = newId('instruction', now);
  const row = await trx
    .insertInto('customs_instructions')
    .values({
      id,
      scope: input.scope,
      subject,
      port_call_id: call.id,
      direction: input.direction,
      code: input.code,
      send_time: input.sendTime,
      declaration_id: declarationId,
      district_code: call.district_code,
      terminal_org_ids: call.terminal_org_ids,
      issued_by: input.actor.id,
      received_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  const numbers = [...new Set(boxes.map((b) => b.number))];
  if (sender !== null) {
    // Through the cargo ingest, so flags, timelines and IFTSTA read these like any customs event.
    const kind = entry.box === 'release' ? 'customs-release' : 'customs-hold';
    const result = await ingestContainerEvents(
      { db: trx, clock },
      sender,
      numbers.map((n) => ({
        eventId: input.scope === 'container' ? id : `${id}:${n}`,
        kind,
        containerNumber: n,
        occurredAt: input.sendTime.toISOString(),
        portCallId: call.id,
      })),
      'customs-instruction',
      input.actor,
    );
    const refused = result.results.find((r) => r.status !== 'accepted');
    if (refused !== undefined) {
      throw new Error(`instruction ${id}: box event not accepted: ${JSON.stringify(refused)}`);
    }
  }
  await appendEvent(trx, clock, {
    type: 'customs.instruction-issued',
    aggregateType: 'customs-instruction',
    aggregateId: id,
    orgIds: call.terminal_org_ids,
    districtCode: call.district_code,
    actor: input.actor,
    occurredAt: input.sendTime,
    payload: {
      scope: input.scope,
      subject,
      portCallId: call.id,
      direction: input.direction,
      code: input.code,
      sendTime: input.sendTime.toISOString(),
      declarationId,
      containers: numbers,
      supersedes: inForce?.id ?? null,
    },
  });
  // newer than the one in force, under the subject's lock: it is the one in force now
  return presentInstruction({ ...row, in_force: true });
};

/** Issue from the API: the call must be one the caller sees; the side defaults from the boxes. */
export const issueInstructionAs = async (
  { db, clock }: { db: DbOrTx; clock: Clock },
  principal: Principal,
  body: {
    scope: 'container' | 'bill';
    subject: string;
    portCallId: string;
    code: InstructionCode;
    sendTime: string;
    direction?: 'import' | 'export';
    declarationId?: string | null;
  },
): Promise<InstructionView> =>
  inTransaction(db, async (trx) => {
    const call = await trx
      .selectFrom('port_calls')
      .select('id')
      .where('id', '=', body.portCallId)
      .where(visibleTo('port_calls', principal))
      .executeTakeFirst();
    if (call === undefined) {
      throw fieldError('NOT_FOUND', InstructionErrorCode.CALL_NOT_FOUND, '/portCallId', `No port call ${body.portCallId}`);
    }
    const direction = body.direction ?? (await directionFor(trx, { ...body, portCallId: call.id }));
    return issueInstruction(trx, clock, {
      scope: body.scope,
      subject: body.subject,
      portCallId: call.id,
      direction,
      code: body.code,
      sendTime: new Date(body.sendTime),
      declarationId: body.declarationId ?? null,
      actor: actorOf(principal),
    });
  });

/** The terminal's answer to an instruction (applied or rejected), given once. */
export const acknowledgeInstruction = async (
  { db, clock }: { db: DbOrTx; clock: Clock },
  principal: Principal,
  id: string,
  body: { status: 'applied' | 'rejected'; note?: string | null },
): Promise<InstructionView> =>
  inTransaction(db, async (trx) => {
    const now = clock.now();
    // The row lock of the update makes a concurrent second acknowledgement wait, then find it done.
    const updated = await trx
      .updateTable('customs_instructions')
      .set({ acknowledged_at: now, acknowledged_by: principal.id, ack_status: body.status, ack_note: body.note ?? null })
      .where('id', '=', id)
      .where('acknowledged_at', 'is', null)
      .where(visibleTo('customs_instructions', principal))
      .returning(['id', 'terminal_org_ids', 'district_code', 'code', 'subject', 'scope', 'port_call_id'])
      .executeTakeFirst();
    if (updated === undefined) {
      const seen = await trx
        .selectFrom('customs_instructions')
        .select(['acknowledged_at', 'ack_status'])
        .where('id', '=', id)
        .where(visibleTo('customs_instructions', principal))
        .executeTakeFirst();
      if (seen === undefined) {
        throw new AppError('NOT_FOUND', InstructionErrorCode.NOT_FOUND, `No instruction ${id}`);
      }
      throw new AppError(
        'CONFLICT',
        InstructionErrorCode.ALREADY_ACKNOWLEDGED,
        `Instruction ${id} was already acknowledged (${seen.ack_status ?? '?'}) at ${seen.acknowledged_at?.toISOString() ?? '?'}`,
      );
    }
    await appendEvent(trx, clock, {
      type: 'customs.instruction-acknowledged',
      aggregateType: 'customs-instruction',
      aggregateId: id,
      orgIds: updated.terminal_org_ids,
      districtCode: updated.district_code,
      actor: actorOf(principal),
      payload: {
        status: body.status,
        note: body.note ?? null,
        code: updated.code,
        scope: updated.scope,
        subject: updated.subject,
        portCallId: updated.port_call_id,
      },
    });
    const view = await loadInstruction(trx, id);
    if (view === undefined) {
      throw new Error(`instruction ${id} vanished after acknowledgement`);
    }
    return view;
  });

export type GateCheckView = {
  allowed: boolean;
  move: GateMove;
  reason: GateReason;
  instruction: { code: InstructionCode; sendTime: string } | null;
  container: {
    id: string;
    number: string;
    portCallId: string;
    direction: string;
    bills: string[];
    flags: { customsReleased: boolean; onHold: boolean; discharged: boolean; gatedOut: boolean; loaded: boolean };
  };
};

/**
 * May this box leave by the gate, or be loaded, now? Decided by the instruction in force (the
 * box's or its bill's, whichever was sent last), else by the cargo flags. Recorded as an event
 * either way, so refusals at the gate are on the record.
 */
export const checkGate = async (
  { db, clock }: { db: DbOrTx; clock: Clock },
  principal: Principal,
  body: { containerNumber: string; move: GateMove; portCallId?: string },
): Promise<GateCheckView> => {
  const number = validateContainerNumber(body.containerNumber);
  if (!number.ok) {
    throw fieldError('INVALID_INPUT', InstructionErrorCode.BAD_CONTAINER_NUMBER, '/containerNumber', number.reason);
  }
  const visits = (
    await listContainers(db, principal, {
      number: number.value,
      ...(body.portCallId !== undefined ? { portCallId: body.portCallId } : {}),
      limit: 50,
    })
  ).filter((c) => c.number === number.value);
  // The visit the move belongs to: its side first (gate-out import, load export), not yet moved out, newest.
  const side = CONTAINER_EVENT_KINDS[body.move].direction;
  const box = [...visits].sort(
    (a, b) =>
      Number(b.direction === side) - Number(a.direction === side) ||
      Number(a.flags.gatedOut || a.flags.loaded) - Number(b.flags.gatedOut || b.flags.loaded) ||
      b.createdAt.localeCompare(a.createdAt),
  )[0];
  if (box === undefined) {
    throw fieldError(
      'NOT_FOUND',
      InstructionErrorCode.CONTAINER_NOT_FOUND,
      '/containerNumber',
      `No visit of box ${number.value} at a call you may see${body.portCallId !== undefined ? ` (call ${body.portCallId})` : ''}`,
    );
  }
  return inTransaction(db, async (trx) => {
    const [state] = await releaseStates(trx, [{ containerId: box.id, at: null }]);
    if (state === undefined) {
      throw new Error(`gate check: box ${box.id} vanished`);
    }
    const d = decideMove(body.move, state.instruction, state.flags);
    const instruction = d.instruction === null ? null : { code: d.instruction.code, sendTime: d.instruction.sendTime.toISOString() };
    await appendEvent(trx, clock, {
      type: d.allowed ? 'gate.check-passed' : 'gate.check-refused',
      aggregateType: 'container',
      aggregateId: box.id,
      orgIds: principal.orgKind === 'terminal' ? [principal.orgId] : state.terminalOrgIds,
      districtCode: state.districtCode,
      actor: actorOf(principal),
      payload: { number: box.number, portCallId: box.portCallId, move: body.move, reason: d.reason, instruction },
    });
    return {
      allowed: d.allowed,
      move: body.move,
      reason: d.reason,
      instruction,
      container: {
        id: box.id,
        number: box.number,
        portCallId: box.portCallId,
        direction: box.direction,
        bills: box.bills,
        flags: {
          customsReleased: box.flags.customsReleased,
          onHold: box.flags.onHold,
          discharged: box.flags.discharged,
          gatedOut: box.flags.gatedOut,
          loaded: box.flags.loaded,
        },
      },
    };
  });
};

export type InterlockMove = {
  containerId: string;
  containerNumber: string;
  portCallId: string;
  move: GateMove;
  occurredAt: Date;
  containerEventId: string;
  senderEventId: string;
  /** The terminal(s) that see the alarm: the reporting terminal, else the call's. */
  terminalOrgIds: string[];
};

/**
 * The interlock after the fact (domain.md §16.5): for each reported load or gate-out, the same rule
 * as the gate check at the moment it occurred; each move customs had not released appends
 * `container.interlock-breached` and opens (or finds open) an `unreleased-box-moved` alarm, in the
 * caller's transaction. One query for the whole batch. Returns the number of breaches.
 */
export const raiseInterlockAlarms = async (trx: Tx, clock: Clock, moves: InterlockMove[], actor: Actor): Promise<number> => {
  const states = await releaseStates(
    trx,
    moves.map((m) => ({ containerId: m.containerId, at: m.occurredAt })),
  );
  const breaches = moves.flatMap((m, i) => {
    const state = states[i];
    if (state === undefined) {
      return [];
    }
    const d = decideMove(m.move, state.instruction, state.flags);
    return d.allowed ? [] : [{ m, state, d }];
  });
  if (breaches.length === 0) {
    return 0;
  }
  const detailOf = ({ m, d }: (typeof breaches)[number]) => ({
    move: m.move,
    occurredAt: m.occurredAt.toISOString(),
    portCallId: m.portCallId,
    // nested: the breach is not the terminal's event (readers counting those by payload.senderEventId stay right)
    reported: { containerEventId: m.containerEventId, senderEventId: m.senderEventId },
    reason: d.reason,
    instruction: d.instruction === null ? null : { code: d.instruction.code, sendTime: d.instruction.sendTime.toISOString() },
  });
  const alarms: NewEvent[] = breaches.map((b) => ({
    type: 'container.interlock-breached',
    aggregateType: 'container',
    aggregateId: b.m.containerId,
    orgIds: b.m.terminalOrgIds,
    districtCode: b.state.districtCode,
    actor,
    occurredAt: b.m.occurredAt,
    payload: { number: b.m.containerNumber, ...detailOf(b) },
  }));
  await appendEvents(trx, clock, alarms);
  await openAlerts(
    trx,
    clock,
    breaches.map((b) => ({
      ruleId: 'unreleased-box-moved',
      ruleVersion: null,
      severity: 'alarm',
      subjectType: 'container',
      subjectId: b.m.containerId,
      subjectLabel: b.m.containerNumber,
      districtCode: b.state.districtCode,
      orgIds: b.m.terminalOrgIds,
      detail: detailOf(b),
    })),
  );
  return breaches.length;
};
