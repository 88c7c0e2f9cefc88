import type { Transaction } from 'kysely';
import type { Db } from './client.ts';
import type { Database } from './schema.ts';

/** A handle inside a transaction. Functions that must share the caller's transaction take Tx. */
export type Tx = Transaction<Database>;

/** Either a plain handle or a transaction: for reads that may run inside or outside one. */
export type DbOrTx = Db | Tx;

/** Runs fn in a transaction. */
export const inTransaction = <T>(db: Db, fn: (trx: Tx) => Promise<T>): Promise<T> => db.transaction().execute(fn);
