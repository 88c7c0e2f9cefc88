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
import { openAlerts, resolveAlertsAsRule } from '../alerts/index.ts';
import { CONTAINER_EVENT_KINDS, ingestContainerEvents, listContainers } from '../cargo/index.ts';
import { decideMove, INSTRUCTION_CODES, type GateMove, type GateReason, type InstructionCode } from './instructions.codes.ts';
import { InstructionErrorCode } from './instructions.errors.ts';
import { loadInstruction, presentInstruction, releaseStates, type InstructionView } from './instructions.queries.ts';

/** Send times may run this far ahead of our clock (the same tolerance as terminal events). */
const MAX_FUTURE_MS = 15 * 60_000;
const MAX_BILL_LENGTH = 35;

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

type Subject = { scope: 'container' | 'bill'; subject: string };
type Box = { id: string; number: string; direction: string; bill_numbers: string[] };

/**
 * The box visits of a call that instructions for these subjects concern: a box by its number, and
 * every box carrying a bill. With `lock`, key-share locked in id order (one statement).
 */
const boxesOf = async (db: DbOrTx, portCallId: string, subjects: Subject[], lock: boolean): Promise<Box[]> => {
  const numbers = subjects.filter((s) => s.scope === 'container').map((s) => s.subject);
  const bills = subjects.filter((s) => s.scope === 'bill').map((s) => s.subject);
  // bpchar[] keeps the visit index usable; a bill branch only when there are bills (no index on bill_numbers)
  const byNumber = numbers.length > 0 ? sql`number = any(${numbers}::bpchar[])` : sql`false`;
  const byBill = bills.length > 0 ? sql`bill_numbers && ${bills}::text[]` : sql`false`;
  const rows = await sql<Box>`
    select id, number, direction, bill_numbers from containers
    where port_call_id = ${portCallId} and (${byNumber} or ${byBill})
    order by id ${lock ? sql`for key share` : sql``}`.execute(db);
  return rows.rows;
};

/** One key per subject of a call (scope and number), for the maps below. */
const keyOf = (s: { scope: string; subject: string }): string => `${s.scope}|${s.subject}`;

const concerns = (s: Subject) => (b: Box) => (s.scope === 'container' ? b.number === s.subject : b.bill_numbers.includes(s.subject));

/**
 * The I/E side of an instruction that names none: that of the boxes concerned when they agree,
 * else the code's usual side (the code table).
 */
export const directionFor = async (
  db: DbOrTx,
  q: { portCallId: string; scope: 'container' | 'bill'; subject: string; code: InstructionCode },
): Promise<'import' | 'export'> => {
  const boxes = await boxesOf(db, q.portCallId, [{ scope: q.scope, subject: normaliseSubject(q.scope, q.subject) }], false);
  const sides = new Set(boxes.map((b) => b.direction));
  const only = sides.size === 1 ? [...sides][0] : undefined;
  return only === 'import' || only === 'export' ? only : INSTRUCTION_CODES[q.code].direction;
};

/** The customs organisation box events are sent as: the issuer's own, when it acts for the call's district. */
const customsSender = async (trx: Tx, actor: Actor, districtCode: string): Promise<Principal> => {
  const issuerOrg =
    actor.type === 'user' || actor.type === 'api-key'
      ? sql`(select org_id from ${sql.table(actor.type === 'user' ? 'users' : 'api_keys')} where id = ${actor.id})`
      : sql`null`;
  // one statement: the issuer's own customs organisation first, else the district's first by code
  const org = (
    await sql<{ id: string; code: string; district_code: string }>`
      select id, code, district_code from organisations
      where kind = 'customs' and district_code = ${districtCode}
      order by (id is not distinct from ${issuerOrg}) desc, code
      limit 1`.execute(trx)
  ).rows[0];
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
const lockInstructionSubjects = async (trx: Tx, portCallId: string, subjects: Subject[]): Promise<void> => {
  const keys = [...new Set(subjects.map((s) => `${portCallId}|${s.scope}|${s.subject}`))].sort();
  // a function scan yields the array in order, so the locks are taken in key order, in one round trip
  await sql`select pg_advisory_xact_lock(${SUBJECT_LOCK_CLASS}, hashtext(k)) from unnest(${keys}::text[]) as t(k)`.execute(trx);
};

/** What one order to the terminals of a call says, for each of its subjects. */
export type InstructionOrder = {
  portCallId: string;
  direction: 'import' | 'export';
  code: InstructionCode;
  sendTime: Date;
  declarationId?: string | null;
  actor: Actor;
};

/**
 * Issues one instruction per subject (a box or a bill) of one call, inside the caller's
 * transaction; the declarations module calls it when it releases or orders an inspection.
 * Must-copy rule (domain.md §1.3, §16.3): when any subject already has an instruction in force
 * sent at the same time or later, the order is refused (409 at /sendTime) and nothing is stored.
 * Releasing codes record a customs-release event for each box concerned, inspection orders a
 * customs-hold, so the box flags, IFTSTA and the gate agree.
 *
 * Events (box audit, `customs.instruction-issued`) go to `sink`: the caller appends them with its
 * own, once, at its end. Locks, in the platform's order: the boxes concerned (key share, id
 * order), then the subjects (lockInstructionSubjects), which serialises issuers of the same
 * subject so the in-force read sees any instruction committed before it; the event chain only
 * at the caller's append. A fixed number of statements, whatever the number of subjects.
 */
export const issueInstructions = async (
  trx: Tx,
  clock: Clock,
  order: InstructionOrder,
  sent: Subject[],
  sink: NewEvent[],
): Promise<InstructionView[]> => {
  const now = clock.now();
  const pathOf = (k: number) => (sent.length === 1 ? '/subject' : `/subjects/${k}`);
  const normalised = sent.map((s, k) => ({ scope: s.scope, subject: normaliseSubject(s.scope, s.subject, pathOf(k)) }));
  // the same subject twice is one instruction (send times are unique per subject)
  const subjects = [...new Map(normalised.map((s) => [keyOf(s), s])).values()];
  if (subjects.length === 0) {
    return [];
  }
  if (order.sendTime.getTime() > now.getTime() + MAX_FUTURE_MS) {
    throw fieldError(
      'INVALID_INPUT',
      InstructionErrorCode.SEND_TIME_IN_FUTURE,
      '/sendTime',
      `send time ${order.sendTime.toISOString()} is more than 15 minutes ahead of ${now.toISOString()}`,
    );
  }
  const declarationId = order.declarationId ?? null;
  // the call and, when named, the declaration in one read
  const call = await trx
    .selectFrom('port_calls')
    .select(['id', 'district_code', 'terminal_org_ids'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('declarations')
            .select('declarations.id')
            .where('declarations.id', '=', declarationId ?? ''),
        )
        .as('declaration_exists'),
    )
    .where('id', '=', order.portCallId)
    .executeTakeFirst();
  if (call === undefined) {
    throw fieldError('NOT_FOUND', InstructionErrorCode.CALL_NOT_FOUND, '/portCallId', `No port call ${order.portCallId}`);
  }
  if (declarationId !== null && !call.declaration_exists) {
    throw fieldError('NOT_FOUND', InstructionErrorCode.DECLARATION_NOT_FOUND, '/declarationId', `No declaration ${declarationId}`);
  }
  const all = await boxesOf(trx, call.id, subjects, true);
  const boxesFor = new Map(
    subjects.map((s) => {
      const mine = all.filter(concerns(s));
      // A box number can have an import and an export visit on one call: the instruction's side wins.
      const sameSide = mine.filter((b) => b.direction === order.direction);
      return [keyOf(s), s.scope === 'container' && sameSide.length > 0 ? sameSide : mine];
    }),
  );
  // the box numbers an instruction for this subject concerns
  const numbersOf = (s: { scope: string; subject: string }): string[] => [...new Set((boxesFor.get(keyOf(s)) ?? []).map((b) => b.number))];
  const bare = subjects.filter((s) => numbersOf(s).length === 0);
  if (bare.length > 0) {
    // a bill with no boxes yet is still a subject when it is on a manifest of the call
    const bills = bare.filter((s) => s.scope === 'bill').map((s) => s.subject);
    const known = new Set(
      bills.length === 0
        ? []
        : (await trx.selectFrom('bills').select('number').where('port_call_id', '=', call.id).where('number', 'in', bills).execute()).map(
            (b) => b.number,
          ),
    );
    const missing = bare.find((s) => s.scope === 'container' || !known.has(s.subject));
    if (missing !== undefined) {
      throw fieldError(
        'NOT_FOUND',
        InstructionErrorCode.SUBJECT_NOT_ON_CALL,
        pathOf(subjects.indexOf(missing)),
        `No ${missing.scope === 'container' ? 'box' : 'bill'} ${missing.subject} on a manifest of call ${call.id}`,
      );
    }
  }
  const entry = INSTRUCTION_CODES[order.code];
  const boxed = entry.box !== 'none' && bare.length < subjects.length;
  const sender = boxed ? await customsSender(trx, order.actor, call.district_code) : null;

  await lockInstructionSubjects(trx, call.id, subjects);
  const inForce = await sql<{ id: string; code: string; send_time: Date; scope: string; subject: string }>`
    select distinct on (scope, subject) id, code, send_time, scope, subject from customs_instructions
    where port_call_id = ${call.id}
      and (scope, subject) in (select * from unnest(${subjects.map((s) => s.scope)}::text[], ${subjects.map((s) => s.subject)}::text[]))
    order by scope, subject, send_time desc`.execute(trx);
  const inForceOf = new Map(inForce.rows.map((r) => [keyOf(r), { ...r, send_time: new Date(r.send_time) }]));
  subjects.forEach((s, k) => {
    const current = inForceOf.get(keyOf(s));
    if (current !== undefined && current.send_time.getTime() >= order.sendTime.getTime()) {
      throw new AppError(
        'CONFLICT',
        InstructionErrorCode.OLDER_THAN_IN_FORCE,
        `Instruction ${current.code} sent at ${current.send_time.toISOString()} is in force for ${s.scope} ${s.subject}; an instruction sent at ${order.sendTime.toISOString()} is not newer and is refused`,
        [
          {
            path: '/sendTime',
            message: `must be later than ${current.send_time.toISOString()}, the send time of instruction ${current.id} (code ${current.code}) in force${sent.length === 1 ? '' : ` for ${pathOf(k)}`}`,
          },
        ],
      );
    }
  });
  const rows = await trx
    .insertInto('customs_instructions')
    .values(
      subjects.map((s) => ({
        id: newId('instruction', now),
        scope: s.scope,
        subject: s.subject,
        port_call_id: call.id,
        direction: order.direction,
        code: order.code,
        send_time: order.sendTime,
        declaration_id: declarationId,
        district_code: call.district_code,
        terminal_org_ids: call.terminal_org_ids,
        issued_by: order.actor.id,
        received_at: now,
      })),
    )
    .returningAll()
    .execute();

  if (sender !== null) {
    // Through the cargo ingest, so flags, timelines and IFTSTA read these like any customs event.
    const kind = entry.box === 'release' ? 'customs-release' : 'customs-hold';
    const result = await ingestContainerEvents(
      { db: trx, clock },
      sender,
      rows.flatMap((row) =>
        numbersOf(row).map((n) => ({
          eventId: row.scope === 'container' ? row.id : `${row.id}:${n}`,
          kind,
          containerNumber: n,
          occurredAt: order.sendTime.toISOString(),
          portCallId: call.id,
        })),
      ),
      { source: 'customs-instruction', actor: order.actor, sink },
    );
    const refused = result.results.find((r) => r.status !== 'accepted');
    if (refused !== undefined) {
      throw new Error(`instructions ${rows.map((r) => r.id).join(', ')}: box event not accepted: ${JSON.stringify(refused)}`);
    }
  }
  rows.forEach((row) =>
    sink.push({
      type: 'customs.instruction-issued',
      aggregateType: 'customs-instruction',
      aggregateId: row.id,
      orgIds: call.terminal_org_ids,
      districtCode: call.district_code,
      actor: order.actor,
      occurredAt: order.sendTime,
      payload: {
        scope: row.scope,
        subject: row.subject,
        portCallId: call.id,
        direction: order.direction,
        code: order.code,
        sendTime: order.sendTime.toISOString(),
        declarationId,
        containers: numbersOf(row),
        supersedes: inForceOf.get(keyOf(row))?.id ?? null,
      },
    }),
  );
  // newer than the one in force, under the subject's lock: each is the one in force now
  return rows.map((row) => presentInstruction({ ...row, in_force: true }));
};

export type IssueInstructionInput = InstructionOrder & Subject;

/** One instruction, appended at once: the API's issue and callers with a single subject. */
export const issueInstruction = async (trx: Tx, clock: Clock, input: IssueInstructionInput): Promise<InstructionView> => {
  const { scope, subject, ...order } = input;
  const events: NewEvent[] = [];
  const [view] = await issueInstructions(trx, clock, order, [{ scope, subject }], events);
  await appendEvents(trx, clock, events);
  if (view === undefined) {
    throw new Error('issueInstructions returned no instruction for one subject');
  }
  return view;
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
export const raiseInterlockAlarms = async (
  trx: Tx,
  clock: Clock,
  moves: InterlockMove[],
  actor: Actor,
  // the ingest's pending events: the alarms are appended with its audit events, in one append
  sink: NewEvent[],
): Promise<number> => {
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
  sink.push(...alarms);
  await openAlerts(
    trx,
    clock,
    breaches.map((b) => ({
      ruleId: INTERLOCK_RULE,
      ruleVersion: null,
      severity: 'alarm',
      subjectType: 'container',
      subjectId: b.m.containerId,
      subjectLabel: b.m.containerNumber,
      districtCode: b.state.districtCode,
      orgIds: b.m.terminalOrgIds,
      detail: detailOf(b),
    })),
    sink,
  );
  return breaches.length;
};

const INTERLOCK_RULE = 'unreleased-box-moved';
export const INTERLOCK_WITHDRAWN = 'the move was permitted: customs released the box before it, reported later';

/**
 * Out-of-order reports can prove an interlock alarm wrong: a customs release effective at or before
 * the move, received after it. For the boxes of a batch of customs events, each open alarm is judged
 * again at its move's time against everything now stored (the same rule as the gate check) and
 * resolved as the rule when the move is now allowed. Its `container.interlock-breached` event stays
 * on the record. Events go to `sink`. Returns the number of alarms withdrawn.
 */
export const withdrawInterlockAlarms = async (trx: Tx, clock: Clock, containerIds: string[], sink: NewEvent[]): Promise<number> => {
  if (containerIds.length === 0) {
    return 0;
  }
  const open = await trx
    .selectFrom('alerts')
    .select(['id', 'subject_id', 'detail'])
    .where('rule_id', '=', INTERLOCK_RULE)
    .where('subject_type', '=', 'container')
    .where('subject_id', 'in', [...new Set(containerIds)])
    .where('state', '<>', 'resolved')
    .execute();
  if (open.length === 0) {
    return 0;
  }
  const moves = open.map((a) => {
    const d = a.detail as { move: GateMove; occurredAt: string };
    return { id: a.id, containerId: a.subject_id, move: d.move, at: new Date(d.occurredAt) };
  });
  const states = await releaseStates(
    trx,
    moves.map((m) => ({ containerId: m.containerId, at: m.at })),
  );
  const permitted = moves.filter((m, i) => {
    const state = states[i];
    return state !== undefined && decideMove(m.move, state.instruction, state.flags).allowed;
  });
  return (
    await resolveAlertsAsRule(
      trx,
      clock,
      permitted.map((m) => m.id),
      INTERLOCK_WITHDRAWN,
      sink,
    )
  ).length;
};
