import { sql } from 'kysely';
import type { Tx } from '../../db/tx.ts';

/**
 * Locks box visits in id order. Every transaction that changes boxes does this before it appends
 * events (which takes the chain lock last), so two writers always meet their locks in the same
 * order and cannot deadlock.
 */
export const lockBoxes = async (trx: Tx, ids: string[], strength: 'update' | 'key share'): Promise<void> => {
  if (ids.length === 0) {
    return;
  }
  await sql`select id from containers where id = any(${ids}::text[]) order by id for ${sql.raw(strength === 'update' ? 'update' : 'key share')}`.execute(
    trx,
  );
};

/** The visits a manifest filing may touch: its own and those of its boxes on the call and direction. */
export const lockManifestBoxes = async (
  trx: Tx,
  q: { manifestId: string | null; portCallId: string; direction: string; numbers: string[] },
): Promise<void> => {
  await sql`
    select id from containers
    where (port_call_id = ${q.portCallId} and direction = ${q.direction} and number = any(${q.numbers}::bpchar[]))
       or manifest_id = ${q.manifestId}
    order by id for update`.execute(trx);
};
