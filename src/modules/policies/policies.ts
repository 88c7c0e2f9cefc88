import { sql } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { inTransaction, type DbOrTx, type Tx } from '../../db/tx.ts';
import { appendEvent, lockEventChain, type Actor } from '../../events/event-log.ts';

/**
 * Versioned policies: rule sets that are data (quarantine risk rules now, customs risk rules
 * later). A published version never changes; the one in force at an instant is the latest whose
 * effective_from is not after it. The owning module validates the document and exposes routes.
 */
export type PolicyVersion<D> = {
  id: string;
  kind: string;
  version: number;
  effectiveFrom: string;
  document: D;
  note: string;
  publishedBy: string | null;
  createdAt: string;
};

export const PolicyErrorCode = {
  NONE_IN_FORCE: 'policy.none-in-force',
  BACKDATED: 'policy.backdated',
} as const;

type Row = {
  id: string;
  kind: string;
  version: number;
  effective_from: Date;
  document: unknown;
  note: string;
  published_by: string | null;
  created_at: Date;
};

// A published version never changes, so each process keeps one parsed copy of its document: every
// request then hands the same object to the rule engines, whose compiled forms are cached per object.
const documents = new Map<string, unknown>();
const documentOf = (r: Row): unknown => {
  const cached = documents.get(r.id);
  if (cached !== undefined) {
    return cached;
  }
  documents.set(r.id, r.document);
  return r.document;
};

const present = <D>(r: Row): PolicyVersion<D> => ({
  id: r.id,
  kind: r.kind,
  version: r.version,
  effectiveFrom: r.effective_from.toISOString(),
  document: documentOf(r) as D,
  note: r.note,
  publishedBy: r.published_by,
  createdAt: r.created_at.toISOString(),
});

// One lock per kind, so two publishers never take the same version number. The event chain's lock
// first: a publisher appends an event after this, and the seed holds the chain lock when it publishes.
const lockKind = async (trx: Tx, kind: string) => {
  await lockEventChain(trx);
  await sql`select pg_advisory_xact_lock(74290100, hashtext(${kind}))`.execute(trx);
};

/**
 * Publishes the next version of a policy kind (the caller has validated `document`). A version may
 * not take effect before now: history already decided under the old one stays explained by it.
 */
export const publishPolicy = async <D>(
  { db, clock }: { db: DbOrTx; clock: Clock },
  input: { kind: string; document: D; effectiveFrom?: Date; note?: string; actor: Actor; allowBackdating?: boolean },
): Promise<PolicyVersion<D>> =>
  inTransaction(db, async (trx) => {
    await lockKind(trx, input.kind);
    const now = clock.now();
    const effectiveFrom = input.effectiveFrom ?? now;
    if (input.allowBackdating !== true && effectiveFrom.getTime() < now.getTime() - 60_000) {
      throw new AppError('INVALID_INPUT', PolicyErrorCode.BACKDATED, 'effectiveFrom may not be in the past', [
        { path: '/effectiveFrom', message: 'may not be in the past: decisions already taken stay under the version then in force' },
      ]);
    }
    const last = await trx
      .selectFrom('policy_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('kind', '=', input.kind)
      .executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const row = await trx
      .insertInto('policy_versions')
      .values({
        id: newId('policyVersion', now),
        kind: input.kind,
        version,
        effective_from: effectiveFrom,
        document: JSON.stringify(input.document),
        note: input.note ?? '',
        published_by: input.actor.id,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = present<D>(row);
    await appendEvent(trx, clock, {
      type: 'policy.version-published',
      aggregateType: 'policy',
      aggregateId: `${input.kind}`,
      actor: input.actor,
      payload: { kind: view.kind, version: view.version, effectiveFrom: view.effectiveFrom, note: view.note },
    });
    return view;
  });

/** The version in force at `at`; throws when there is none (a decision must name its rule version). */
export const policyInForce = async <D>(db: DbOrTx, kind: string, at: Date): Promise<PolicyVersion<D>> => {
  const row = await db
    .selectFrom('policy_versions')
    .select(['id', 'kind', 'version', 'effective_from', 'note', 'published_by', 'created_at'])
    // a document this process holds already is not sent again (nor parsed: the driver parses jsonb)
    .select(sql<unknown>`case when id = any(${[...documents.keys()]}::text[]) then null else document end`.as('document'))
    .where('kind', '=', kind)
    .where('effective_from', '<=', at)
    .orderBy('effective_from', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (row === undefined) {
    throw new AppError('UNPROCESSABLE', PolicyErrorCode.NONE_IN_FORCE, `No ${kind} policy is in force at ${at.toISOString()}`);
  }
  return present<D>(row);
};

export const listPolicyVersions = async <D>(db: DbOrTx, kind: string): Promise<PolicyVersion<D>[]> => {
  const rows = await db.selectFrom('policy_versions').selectAll().where('kind', '=', kind).orderBy('version').execute();
  return rows.map((r) => present<D>(r));
};
