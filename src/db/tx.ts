import type { Transaction } from 'kysely';
import type { Db } from './client.ts';
import type { Database } from './schema.ts';

/** A handle inside a transaction. Functions that must share the caller's transaction take Tx. */
export type Tx = Transaction<Database>;

/** Either a plain handle or a transaction: for reads that may run inside or outside one. */
export type DbOrTx = Db | Tx;

/**
 * Runs fn in a transaction, or inside the caller's when `db` already is one, so a command can be
 * composed into a larger atomic unit (the seed loads a whole dataset all-or-nothing).
 */
export const inTransaction = <T>(db: DbOrTx, fn: (trx: Tx) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db as Tx) : db.transaction().execute(fn);
