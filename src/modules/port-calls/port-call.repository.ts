import type { Selectable } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { PortCallsTable } from '../../db/schema.ts';
import type { DbOrTx, Tx } from '../../db/tx.ts';
import type { PortCallState } from './port-call.machine.ts';

export type PortCallRow = Selectable<PortCallsTable>;

/** One call as its caller may see it; undefined when it does not exist for them. */
export const findCall = (db: DbOrTx, id: string, principal: Principal): Promise<PortCallRow | undefined> =>
  db.selectFrom('port_calls').selectAll().where('id', '=', id).where(visibleTo('port_calls', principal)).executeTakeFirst();

/** The same, locked for the rest of the transaction (commands serialise on the call row). */
export const lockCall = (trx: Tx, id: string, principal: Principal): Promise<PortCallRow | undefined> =>
  trx.selectFrom('port_calls').selectAll().where('id', '=', id).where(visibleTo('port_calls', principal)).forUpdate().executeTakeFirst();

/** Unscoped, for other modules acting inside their own checked transaction. */
export const lockCallById = (trx: Tx, id: string): Promise<PortCallRow | undefined> =>
  trx.selectFrom('port_calls').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export type CallFilter = {
  states?: PortCallState[];
  portLocode?: string;
  etaFrom?: Date;
  etaTo?: Date;
  q?: string;
  /** ETA-ordered keyset: the last row's (eta, id). */
  after?: { eta: Date; id: string };
  limit: number;
};

const filtered = (db: DbOrTx, f: Omit<CallFilter, 'after' | 'limit'>, principal: Principal) => {
  let qb = db.selectFrom('port_calls').where(visibleTo('port_calls', principal));
  if (f.states !== undefined && f.states.length > 0) {
    qb = qb.where('state', 'in', f.states);
  }
  if (f.portLocode !== undefined) {
    qb = qb.where('port_locode', '=', f.portLocode);
  }
  if (f.etaFrom !== undefined) {
    qb = qb.where('eta', '>=', f.etaFrom);
  }
  if (f.etaTo !== undefined) {
    qb = qb.where('eta', '<', f.etaTo);
  }
  if (f.q !== undefined && f.q !== '') {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb = qb.where((eb) => eb.or([eb('vessel_imo', 'ilike', like), eb('vessel_name', 'ilike', like), eb('voyage', 'ilike', like)]));
  }
  return qb;
};

export const listCalls = (db: DbOrTx, f: CallFilter, principal: Principal): Promise<PortCallRow[]> => {
  let qb = filtered(db, f, principal).selectAll();
  if (f.after !== undefined) {
    const { eta, id } = f.after;
    qb = qb.where((eb) => eb.or([eb('eta', '>', eta), eb.and([eb('eta', '=', eta), eb('id', '>', id)])]));
  }
  return qb
    .orderBy('eta')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
};

export const countCalls = async (db: DbOrTx, f: Omit<CallFilter, 'after' | 'limit'>, principal: Principal): Promise<number> => {
  const r = await filtered(db, f, principal)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
};
