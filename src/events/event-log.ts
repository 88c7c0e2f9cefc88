import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../core/canonical-json.ts';
import type { Clock } from '../core/clock.ts';
import { newId } from '../core/ids.ts';
import type { Db } from '../db/client.ts';
import { pgTextArray } from '../db/pg-array.ts';
import type { Tx } from '../db/tx.ts';

export type ActorType = 'user' | 'api-key' | 'system' | 'rule';
export type Actor = { type: ActorType; id: string | null };
export const SYSTEM_ACTOR: Actor = { type: 'system', id: null };

export type NewEvent = {
  /** `<domain>.<past-tense>`, e.g. `registry.berth-created`. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  /** Organisations (besides customs of the district and admins) that may see this event. */
  orgIds?: string[];
  districtCode?: string | null;
  actor: Actor;
  payload: Record<string, unknown>;
  occurredAt?: Date;
};

export type StoredEvent = {
  seq: number;
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  orgIds: string[];
  districtCode: string | null;
  actorType: ActorType;
  actorId: string | null;
  occurredAt: Date;
  payload: unknown;
  prevHash: string;
  hash: string;
};

export const GENESIS_HASH = '0'.repeat(64);
// Serialises appends so each event links to the one committed before it.
const EVENT_CHAIN_LOCK_KEY = 74290002;

export const FAN_OUT_JOB = 'webhooks.fan-out';

type HashInput = Omit<StoredEvent, 'seq' | 'hash'>;

/**
 * Takes the chain lock now (appends take it anyway). Code that takes another advisory lock and then
 * appends calls this first, so every transaction meets the two locks in the same order.
 */
export const lockEventChain = async (trx: Tx): Promise<void> => {
  await sql`select pg_advisory_xact_lock(${EVENT_CHAIN_LOCK_KEY})`.execute(trx);
};

/** What the hash covers: every field a reader relies on, so changing any byte of them breaks the chain. */
const hashDocument = (e: HashInput) => ({
  id: e.id,
  type: e.type,
  aggregateType: e.aggregateType,
  aggregateId: e.aggregateId,
  orgIds: e.orgIds,
  districtCode: e.districtCode,
  actorType: e.actorType,
  actorId: e.actorId,
  occurredAt: e.occurredAt.toISOString(),
  payload: e.payload,
  prevHash: e.prevHash,
});

export const eventHash = (e: HashInput): string =>
  createHash('sha256')
    .update(canonicalJson(hashDocument(e)))
    .digest('hex');

/**
 * Appends one event inside the caller's transaction, chained to the previous one, and puts it
 * in the outbox for webhooks. Must be called in the same transaction as the state change it
 * records, so neither exists without the other.
 */
export const appendEvent = async (trx: Tx, clock: Clock, e: NewEvent): Promise<StoredEvent> => {
  const [stored] = await appendEvents(trx, clock, [e]);
  if (stored === undefined) {
    throw new Error('appendEvents returned no event for one given');
  }
  return stored;
};

/**
 * Appends many events in one go. Everything of each event but its link to the previous one — ids,
 * the canonical JSON split around the previous hash, parameter arrays — is prepared here, before
 * the chain lock; one call of the database function append_events then takes the lock, reads the
 * head, reserves the seq range, chains the hashes (one SHA-256 each) and writes events, outbox and
 * the fan-out job. The lock is held for that call and the commit. Seqs are written explicitly so
 * the chain order is the hash order; `verifyChain` recomputes the same hashes here.
 */
export const appendEvents = async (trx: Tx, clock: Clock, list: NewEvent[]): Promise<StoredEvent[]> => {
  if (list.length === 0) {
    return [];
  }
  const recordedAt = clock.now();
  const prepared = list.map((e) => {
    const occurredAt = e.occurredAt ?? recordedAt;
    // Round-trip the payload through JSON so the hash is over exactly what jsonb stores.
    const payloadText = JSON.stringify(e.payload);
    const base: HashInput = {
      id: newId('event', occurredAt),
      type: e.type,
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      orgIds: [...new Set(e.orgIds ?? [])].sort(),
      districtCode: e.districtCode ?? null,
      actorType: e.actor.type,
      actorId: e.actor.id,
      occurredAt,
      payload: JSON.parse(payloadText) as unknown,
      prevHash: '',
    };
    return { base, payloadText, parts: hashParts(base) };
  });
  const cols = {
    id: prepared.map((p) => p.base.id),
    type: prepared.map((p) => p.base.type),
    aggregateType: prepared.map((p) => p.base.aggregateType),
    aggregateId: prepared.map((p) => p.base.aggregateId),
    orgIds: prepared.map((p) => pgTextArray(p.base.orgIds)),
    district: prepared.map((p) => p.base.districtCode),
    actorType: prepared.map((p) => p.base.actorType),
    actorId: prepared.map((p) => p.base.actorId),
    occurredAt: prepared.map((p) => p.base.occurredAt.toISOString()),
    payload: prepared.map((p) => p.payloadText),
  };
  // one round trip under the lock: append_events (migration 20261127T120000) takes it, reads the
  // head, chains the hashes and writes events, outbox and the fan-out job
  const chained = await sql<{ out_seq: string; out_prev_hash: string; out_hash: string }>`
    select out_seq, out_prev_hash, out_hash from append_events(
      ${EVENT_CHAIN_LOCK_KEY}::int8, ${recordedAt.toISOString()}::timestamptz, ${newId('job', recordedAt)}::text, ${FAN_OUT_JOB}::text,
      ${cols.id}::text[], ${cols.type}::text[], ${cols.aggregateType}::text[], ${cols.aggregateId}::text[], ${cols.orgIds}::text[],
      ${cols.district}::text[], ${cols.actorType}::text[], ${cols.actorId}::text[], ${cols.occurredAt}::timestamptz[],
      ${cols.payload}::text[], ${prepared.map((p) => p.parts.head)}::text[], ${prepared.map((p) => p.parts.tail)}::text[])`.execute(trx);
  if (chained.rows.length !== list.length) {
    throw new Error(`append_events wrote ${chained.rows.length} events of ${list.length}`);
  }
  const stored: StoredEvent[] = prepared.map((p, i) => {
    const r = chained.rows[i] as { out_seq: string; out_prev_hash: string; out_hash: string };
    return { ...p.base, seq: Number(r.out_seq), prevHash: r.out_prev_hash, hash: r.out_hash };
  });
  return stored;
};

const PREV_SENTINEL = '\u0000prev-hash\u0000';
const PREV_SENTINEL_JSON = JSON.stringify(PREV_SENTINEL);

/**
 * The canonical JSON `eventHash` hashes, split around the prevHash value, so the part that does
 * not depend on the chain can be built outside the lock. Keys are sorted and only `type` follows
 * `prevHash`, so the last occurrence of the sentinel is the field (a payload cannot fake it).
 */
const hashParts = (base: HashInput): { head: string; tail: string } => {
  const text = canonicalJson(hashDocument({ ...base, prevHash: PREV_SENTINEL }));
  const at = text.lastIndexOf(PREV_SENTINEL_JSON);
  return { head: text.slice(0, at), tail: text.slice(at + PREV_SENTINEL_JSON.length) };
};

type EventRow = {
  seq: number;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  org_ids: string[];
  district_code: string | null;
  actor_type: string;
  actor_id: string | null;
  occurred_at: Date;
  payload: unknown;
  prev_hash: string;
  hash: string;
};

export const toStoredEvent = (r: EventRow): StoredEvent => ({
  seq: r.seq,
  id: r.id,
  type: r.type,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  orgIds: r.org_ids,
  districtCode: r.district_code,
  actorType: r.actor_type as ActorType,
  actorId: r.actor_id,
  occurredAt: r.occurred_at,
  payload: r.payload,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export const EVENT_COLUMNS = [
  'seq',
  'id',
  'type',
  'aggregate_type',
  'aggregate_id',
  'org_ids',
  'district_code',
  'actor_type',
  'actor_id',
  'occurred_at',
  'payload',
  'prev_hash',
  'hash',
] as const;

export type ChainReport =
  { ok: true; checked: number; lastHash: string } | { ok: false; checked: number; brokenAt: { seq: number; id: string; reason: string } };

/**
 * Walks the whole chain in seq order and stops at the first event whose stored hash does not
 * match its content or whose prev_hash does not match the event before it.
 */
export const verifyChain = async (
  db: Db,
  opts: { batchSize?: number; onProgress?: (checked: number, total: number) => void } = {},
): Promise<ChainReport> => {
  const batch = opts.batchSize ?? 1000;
  const total = Number(
    (
      await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  let prev = GENESIS_HASH;
  let after = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('events').select(EVENT_COLUMNS).where('seq', '>', after).orderBy('seq').limit(batch).execute();
    if (rows.length === 0) {
      return { ok: true, checked, lastHash: prev };
    }
    for (const r of rows) {
      const e = toStoredEvent(r);
      if (e.prevHash !== prev) {
        return { ok: false, checked, brokenAt: { seq: e.seq, id: e.id, reason: 'prev_hash does not match the previous event' } };
      }
      if (eventHash(e) !== e.hash) {
        return { ok: false, checked, brokenAt: { seq: e.seq, id: e.id, reason: 'content does not match its hash' } };
      }
      prev = e.hash;
      after = e.seq;
      checked += 1;
    }
    opts.onProgress?.(checked, total);
  }
};
