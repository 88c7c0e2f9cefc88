import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { actorOf } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { OrgKind } from '../../auth/roles.ts';
import { validateContainerNumber } from '../../core/codes.ts';
import type { Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import { appendEvents, type Actor, type NewEvent } from '../../events/event-log.ts';
import { raiseInterlockAlarms, withdrawInterlockAlarms } from '../instructions/index.ts';
import { lockBoxes } from './box-locks.ts';
import { CargoErrorCode } from './cargo.errors.ts';

/**
 * What each container event kind means: who may report it, which visit direction it belongs to
 * and which flag timestamp it advances (domain.md §2.4, §16.4). Flags are only ever moved by
 * these events: the latest event time per kind, read when asked, so arrival order does not matter.
 */
export const CONTAINER_EVENT_KINDS = {
  discharge: { senders: ['terminal'], direction: 'import', column: 'discharged_at', eventType: 'container.discharged' },
  load: { senders: ['terminal'], direction: 'export', column: 'loaded_at', eventType: 'container.loaded' },
  'gate-in': { senders: ['terminal'], direction: 'export', column: 'gated_in_at', eventType: 'container.gated-in' },
  'gate-out': { senders: ['terminal'], direction: 'import', column: 'gated_out_at', eventType: 'container.gated-out' },
  'yard-move': { senders: ['terminal'], direction: null, column: null, eventType: 'container.yard-moved' },
  'terminal-release': {
    senders: ['terminal'],
    direction: 'import',
    column: 'terminal_released_at',
    eventType: 'container.terminal-released',
  },
  'customs-release': { senders: ['customs'], direction: null, column: 'customs_released_at', eventType: 'container.customs-released' },
  'customs-hold': { senders: ['customs'], direction: null, column: 'customs_hold_at', eventType: 'container.customs-held' },
  'customs-hold-lifted': {
    senders: ['customs'],
    direction: null,
    column: 'customs_hold_lifted_at',
    eventType: 'container.customs-hold-lifted',
  },
} as const satisfies Record<
  string,
  { senders: readonly OrgKind[]; direction: 'import' | 'export' | null; column: string | null; eventType: string }
>;

export type ContainerEventKind = keyof typeof CONTAINER_EVENT_KINDS;
export const CONTAINER_EVENT_KIND_NAMES = Object.keys(CONTAINER_EVENT_KINDS) as ContainerEventKind[];

/** At most this many events in one batch request. */
export const MAX_BATCH_EVENTS = 10_000;
const MAX_FUTURE_MS = 15 * 60_000;
const MAX_TEXT = 35;

/** An event as a terminal (or customs) sends it. */
export type ContainerEventInput = {
  eventId: string;
  kind: ContainerEventKind;
  containerNumber: string;
  occurredAt: string;
  location?: string | null;
  portCallId?: string | null;
  vehicle?: string | null;
  seals?: string[];
  fullness?: 'full' | 'empty' | null;
};

export type IngestItemResult =
  // eventSeq: the audit event's place in the log; absent when the caller appends the events itself (IngestOptions.sink)
  | { index: number; eventId: string | null; status: 'accepted'; containerId: string; eventSeq?: number }
  | { index: number; eventId: string | null; status: 'duplicate'; containerId: string }
  | { index: number; eventId: string | null; status: 'rejected'; code: string; path: string; reason: string };

export type IngestResult = { accepted: number; duplicates: number; rejected: number; results: IngestItemResult[] };

type Valid = {
  index: number;
  eventId: string;
  kind: ContainerEventKind;
  number: string;
  occurredAt: Date;
  location: string | null;
  portCallId: string | null;
  details: Record<string, unknown>;
  hash: string;
};

const ALLOWED_FIELDS = new Set([
  'eventId',
  'kind',
  'containerNumber',
  'occurredAt',
  'location',
  'portCallId',
  'vehicle',
  'seals',
  'fullness',
]);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

const optionalText = (o: Record<string, unknown>, key: string): string | null | { error: string } => {
  const v = o[key];
  if (v === undefined || v === null) {
    return null;
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT) {
    return { error: `must be a text of 1 to ${MAX_TEXT} characters` };
  }
  return v;
};

/** Checks one event on its own; the first problem found is its reason. */
const validateOne = (
  raw: unknown,
  index: number,
  senderKind: OrgKind,
  now: Date,
): Valid | { index: number; eventId: string | null; path: string; code: string; reason: string } => {
  const at = (field: string) => `/events/${index}${field === '' ? '' : `/${field}`}`;
  const reject = (field: string, reason: string, code: string = CargoErrorCode.INVALID_EVENT) => ({
    index,
    eventId: typeof (raw as { eventId?: unknown } | null)?.eventId === 'string' ? (raw as { eventId: string }).eventId : null,
    path: at(field),
    code,
    reason,
  });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject('', 'must be an object');
  }
  const o = raw as Record<string, unknown>;
  const unknownField = Object.keys(o).find((k) => !ALLOWED_FIELDS.has(k));
  if (unknownField !== undefined) {
    return reject(unknownField, 'is not a field of a container event');
  }
  if (typeof o.eventId !== 'string' || o.eventId.length === 0 || o.eventId.length > 100) {
    return reject('eventId', "is required: the sender's own id of this event, 1 to 100 characters");
  }
  if (typeof o.kind !== 'string' || !(o.kind in CONTAINER_EVENT_KINDS)) {
    return reject('kind', `must be one of ${CONTAINER_EVENT_KIND_NAMES.join(', ')}`);
  }
  const kind = o.kind as ContainerEventKind;
  if (!(CONTAINER_EVENT_KINDS[kind].senders as readonly string[]).includes(senderKind)) {
    return reject(
      'kind',
      `${kind} events are reported by ${CONTAINER_EVENT_KINDS[kind].senders.join(' or ')} organisations`,
      CargoErrorCode.NOT_YOUR_EVENT,
    );
  }
  if (typeof o.containerNumber !== 'string') {
    return reject('containerNumber', 'is required');
  }
  const number = validateContainerNumber(o.containerNumber);
  if (!number.ok) {
    return reject('containerNumber', number.reason, CargoErrorCode.BAD_CONTAINER_NUMBER);
  }
  if (typeof o.occurredAt !== 'string' || !ISO_TIME.test(o.occurredAt) || Number.isNaN(Date.parse(o.occurredAt))) {
    return reject('occurredAt', 'must be an ISO 8601 date-time with offset');
  }
  const occurredAt = new Date(o.occurredAt);
  if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
    return reject('occurredAt', 'is in the future');
  }
  const location = optionalText(o, 'location');
  if (typeof location === 'object' && location !== null) {
    return reject('location', location.error);
  }
  const portCallId = optionalText(o, 'portCallId');
  if (typeof portCallId === 'object' && portCallId !== null) {
    return reject('portCallId', portCallId.error);
  }
  const vehicle = optionalText(o, 'vehicle');
  if (typeof vehicle === 'object' && vehicle !== null) {
    return reject('vehicle', vehicle.error);
  }
  const details: Record<string, unknown> = {};
  if (vehicle !== null) {
    details.vehicle = vehicle;
  }
  if (o.seals !== undefined) {
    if (
      !Array.isArray(o.seals) ||
      o.seals.length > 10 ||
      !o.seals.every((x) => typeof x === 'string' && x.length > 0 && x.length <= MAX_TEXT)
    ) {
      return reject('seals', `must be a list of at most 10 seal numbers of 1 to ${MAX_TEXT} characters`);
    }
    details.seals = o.seals;
  }
  if (o.fullness !== undefined && o.fullness !== null) {
    if (o.fullness !== 'full' && o.fullness !== 'empty') {
      return reject('fullness', 'must be full or empty');
    }
    details.fullness = o.fullness;
  }
  const hash = createHash('sha256')
    .update(JSON.stringify([kind, number.value, occurredAt.toISOString(), location, portCallId, details]))
    .digest('hex');
  return { index, eventId: o.eventId, kind, number: number.value, occurredAt, location, portCallId, details, hash };
};

type Visit = {
  id: string;
  number: string;
  port_call_id: string;
  direction: string;
  district_code: string;
  agent_org_id: string;
  terminal_org_ids: string[];
  closed: boolean;
  eta: Date;
};

/**
 * The visit an event belongs to: the one on the named call if given; else, among the visits of
 * that number the sender may report on, one of the kind's direction, open before closed, latest
 * call first.
 */
const pickVisit = (visits: Visit[] | undefined, v: Valid): Visit | undefined => {
  if (visits === undefined) {
    return undefined;
  }
  const direction = CONTAINER_EVENT_KINDS[v.kind].direction;
  const candidates = visits.filter(
    (x) => (v.portCallId === null || x.port_call_id === v.portCallId) && (direction === null || x.direction === direction),
  );
  const pool =
    candidates.length > 0 || direction === null
      ? candidates
      : visits.filter((x) => v.portCallId === null || x.port_call_id === v.portCallId);
  return [...pool].sort((a, b) => Number(a.closed) - Number(b.closed) || b.eta.getTime() - a.eta.getTime())[0];
};

export type IngestOptions = {
  source?: 'api' | 'edifact' | 'customs-instruction';
  /** Who the audit events name when not the principal (a customs instruction's issuer). */
  actor?: Actor;
  /**
   * A command that ingests as one step of a larger transaction passes its list of pending events:
   * the audit (and any alarm) events go there, and the command appends everything once at its end,
   * so it takes the event chain lock once. Without it, the batch appends its own events.
   */
  sink?: NewEvent[];
};

/**
 * Terminal (and customs) events for many boxes in one transaction: each event is checked on its
 * own and rejected with its reason without failing the rest; a resend under the same sender event
 * id is reported as a duplicate and changes nothing. Accepted events write their row, their audit
 * event and the boxes' flags with a fixed number of statements per batch, not per event.
 */
export const ingestContainerEvents = async (
  { db, clock }: { db: DbOrTx; clock: Clock },
  principal: Principal,
  items: readonly unknown[],
  { source = 'api', actor: actorOverride, sink }: IngestOptions = {},
): Promise<IngestResult> => {
  const now = clock.now();
  const results: IngestItemResult[] = new Array<IngestItemResult>(items.length);
  const valid: Valid[] = [];
  const firstById = new Map<string, Valid>();
  const repeats: { index: number; first: number }[] = [];
  items.forEach((raw, index) => {
    const v = validateOne(raw, index, principal.orgKind, now);
    if (!('hash' in v)) {
      results[index] = { index: v.index, eventId: v.eventId, status: 'rejected', code: v.code, path: v.path, reason: v.reason };
      return;
    }
    const first = firstById.get(v.eventId);
    if (first !== undefined) {
      if (first.hash === v.hash) {
        repeats.push({ index, first: first.index });
      }
      results[index] =
        first.hash === v.hash
          ? { index, eventId: v.eventId, status: 'duplicate', containerId: '' }
          : {
              index,
              eventId: v.eventId,
              status: 'rejected',
              code: CargoErrorCode.EVENT_ID_REUSED,
              path: `/events/${index}/eventId`,
              reason: `event id ${v.eventId} is used by event ${first.index} of this batch with other content`,
            };
      return;
    }
    firstById.set(v.eventId, v);
    valid.push(v);
  });

  const ingest =
    valid.length === 0
      ? Promise.resolve()
      : inTransaction(db, async (trx) => {
          const ids = valid.map((v) => v.eventId);
          const existing = await sql<{ sender_event_id: string; content_hash: string; container_id: string }>`
      select sender_event_id, content_hash, container_id from container_events
      where sender_org_id = ${principal.orgId} and sender_event_id = any(${ids}::text[])`.execute(trx);
          const known = new Map(existing.rows.map((r) => [r.sender_event_id, r]));
          const numbers = [...new Set(valid.map((v) => v.number))];
          // The boxes the sender may report on are those it may see (auth/scope.ts). The numbers go as
          // bpchar[]: a text[] would cast the char(11) column and lose its index (a scan per batch).
          const visitRows = await sql<Visit>`
      select containers.id, containers.number, containers.port_call_id, containers.direction, containers.district_code,
             port_calls.agent_org_id, port_calls.terminal_org_ids, port_calls.eta,
             exists (select 1 from container_events e where e.container_id = containers.id and e.kind in ('gate-out', 'load')) as closed
      from containers join port_calls on port_calls.id = containers.port_call_id
      where containers.number = any(${numbers}::bpchar[]) and ${visibleTo('containers', principal)}`.execute(trx);
          const byNumber = new Map<string, Visit[]>();
          for (const r of visitRows.rows) {
            const list = byNumber.get(r.number) ?? [];
            list.push({ ...r, eta: new Date(r.eta) });
            byNumber.set(r.number, list);
          }
          const toInsert: { v: Valid; visit: Visit; id: string }[] = [];
          for (const v of valid) {
            const prior = known.get(v.eventId);
            if (prior !== undefined) {
              results[v.index] =
                prior.content_hash === v.hash
                  ? { index: v.index, eventId: v.eventId, status: 'duplicate', containerId: prior.container_id }
                  : {
                      index: v.index,
                      eventId: v.eventId,
                      status: 'rejected',
                      code: CargoErrorCode.EVENT_ID_REUSED,
                      path: `/events/${v.index}/eventId`,
                      reason: `event id ${v.eventId} was already received with other content`,
                    };
              continue;
            }
            const visit = pickVisit(byNumber.get(v.number), v);
            if (visit === undefined) {
              results[v.index] = {
                index: v.index,
                eventId: v.eventId,
                status: 'rejected',
                code: CargoErrorCode.UNKNOWN_CONTAINER,
                path: `/events/${v.index}/containerNumber`,
                reason:
                  v.portCallId === null
                    ? `container ${v.number} is on no manifest of a call you serve`
                    : `container ${v.number} is on no manifest of call ${v.portCallId} that you serve`,
              };
              continue;
            }
            toInsert.push({ v, visit, id: newId('containerEvent', v.occurredAt) });
          }
          if (toInsert.length === 0) {
            return;
          }
          // The event rows' foreign keys share-lock their boxes; taking those locks in id order first
          // keeps one lock order with the manifest commands (boxes, then the chain lock in
          // appendEvents). Share locks do not block each other: only the audit append is serial.
          await lockBoxes(trx, [...new Set(toInsert.map((x) => x.visit.id))], 'key share');
          const inserted = await sql<{ id: string }>`
      insert into container_events (id, container_id, sender_org_id, sender_event_id, content_hash, kind, occurred_at,
                                    recorded_at, location, details, source)
      select t.id, t.container_id, ${principal.orgId}, t.sender_event_id, t.content_hash, t.kind, t.occurred_at,
             ${now.toISOString()}::timestamptz, t.location, t.details::jsonb, ${source}
      from unnest(${toInsert.map((x) => x.id)}::text[], ${toInsert.map((x) => x.visit.id)}::text[],
                  ${toInsert.map((x) => x.v.eventId)}::text[], ${toInsert.map((x) => x.v.hash)}::text[],
                  ${toInsert.map((x) => x.v.kind)}::text[], ${toInsert.map((x) => x.v.occurredAt.toISOString())}::timestamptz[],
                  ${toInsert.map((x) => x.v.location)}::text[], ${toInsert.map((x) => JSON.stringify(x.v.details))}::text[])
        as t(id, container_id, sender_event_id, content_hash, kind, occurred_at, location, details)
      on conflict (sender_org_id, sender_event_id) do nothing
      returning id`.execute(trx);
          const insertedIds = new Set(inserted.rows.map((r) => r.id));
          // A concurrent batch may have taken some of these ids between our read and our insert:
          // told apart like any resend, by the content the winner stored.
          const lost = toInsert.filter((x) => !insertedIds.has(x.id));
          const winners =
            lost.length === 0
              ? new Map<string, string>()
              : new Map(
                  (
                    await sql<{ sender_event_id: string; content_hash: string }>`
                      select sender_event_id, content_hash from container_events
                      where sender_org_id = ${principal.orgId} and sender_event_id = any(${lost.map((x) => x.v.eventId)}::text[])`.execute(
                      trx,
                    )
                  ).rows.map((r) => [r.sender_event_id, r.content_hash]),
                );
          for (const x of lost) {
            results[x.v.index] =
              winners.get(x.v.eventId) === x.v.hash
                ? { index: x.v.index, eventId: x.v.eventId, status: 'duplicate', containerId: x.visit.id }
                : {
                    index: x.v.index,
                    eventId: x.v.eventId,
                    status: 'rejected',
                    code: CargoErrorCode.EVENT_ID_REUSED,
                    path: `/events/${x.v.index}/eventId`,
                    reason: `event id ${x.v.eventId} was received at the same time with other content`,
                  };
          }
          const written = toInsert.filter((x) => insertedIds.has(x.id));
          if (written.length === 0) {
            return;
          }
          const actor = actorOverride ?? actorOf(principal);
          const audit: NewEvent[] = written.map(({ v, visit, id }) => ({
            type: CONTAINER_EVENT_KINDS[v.kind].eventType,
            aggregateType: 'container',
            aggregateId: visit.id,
            orgIds: [visit.agent_org_id, ...visit.terminal_org_ids, principal.orgId],
            districtCode: visit.district_code,
            actor,
            occurredAt: v.occurredAt,
            payload: {
              containerEventId: id,
              senderEventId: v.eventId,
              number: v.number,
              portCallId: visit.port_call_id,
              kind: v.kind,
              location: v.location,
              source,
              ...v.details,
            },
          }));
          const pending = sink ?? [];
          const auditStart = pending.length;
          pending.push(...audit);
          // Interlock (domain.md §16.5): a load or gate-out of a box customs had not released at
          // that moment is kept (it happened) and raises an alarm in this transaction; one query
          // per batch, and only for batches that move boxes out.
          const moves = written.filter((x) => x.v.kind === 'gate-out' || x.v.kind === 'load');
          if (moves.length > 0) {
            await raiseInterlockAlarms(
              trx,
              clock,
              moves.map(({ v, visit, id }) => ({
                containerId: visit.id,
                containerNumber: v.number,
                portCallId: visit.port_call_id,
                move: v.kind as 'gate-out' | 'load',
                occurredAt: v.occurredAt,
                containerEventId: id,
                senderEventId: v.eventId,
                terminalOrgIds: principal.orgKind === 'terminal' ? [principal.orgId] : visit.terminal_org_ids,
              })),
              actor,
              pending,
            );
          }
          // A customs release or hold-lifted reported late may show an earlier move was allowed after all.
          const customs = written.filter((x) => x.v.kind === 'customs-release' || x.v.kind === 'customs-hold-lifted');
          if (customs.length > 0) {
            await withdrawInterlockAlarms(
              trx,
              clock,
              customs.map((x) => x.visit.id),
              pending,
            );
          }
          // one append for the audit and the alarms: the chain lock for one call and the commit
          const stored = sink === undefined ? await appendEvents(trx, clock, pending) : undefined;
          written.forEach(({ v, visit }, i) => {
            const seq = stored?.[auditStart + i]?.seq;
            results[v.index] =
              seq === undefined
                ? { index: v.index, eventId: v.eventId, status: 'accepted', containerId: visit.id }
                : { index: v.index, eventId: v.eventId, status: 'accepted', containerId: visit.id, eventSeq: seq };
          });
        });
  await ingest;
  for (const { index, first } of repeats) {
    const r = results[first];
    if (r === undefined) {
      continue;
    }
    if (r.status === 'rejected') {
      // the first copy was rejected, so is its repeat, for the same reason
      results[index] = { ...r, index };
    } else {
      results[index] = { index, eventId: r.eventId, status: 'duplicate', containerId: r.containerId };
    }
  }
  let accepted = 0;
  let duplicates = 0;
  for (const r of results) {
    if (r.status === 'accepted') {
      accepted += 1;
    } else if (r.status === 'duplicate') {
      duplicates += 1;
    }
  }
  return { accepted, duplicates, rejected: results.length - accepted - duplicates, results };
};
