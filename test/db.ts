import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/db/client.ts';
import { migrate } from '../src/db/migrator.ts';

export const usingPostgres = (): boolean => process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';

/**
 * A fresh, migrated database for one test file: a copy of the PGlite template, or a schema of
 * its own on PostgreSQL (dropped by close()).
 */
export const createTestDatabase = async (): Promise<DatabaseHandle> => {
  if (usingPostgres()) {
    const url = process.env.DATABASE_URL as string;
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ kind: 'postgres', url });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    await admin.close();
    const h = await openDatabase({ kind: 'postgres', url }, { schema });
    await migrate(h.db);
    return {
      ...h,
      close: async () => {
        await h.close();
        const a = await openDatabase({ kind: 'postgres', url });
        await sql`drop schema ${sql.id(schema)} cascade`.execute(a.db);
        await a.close();
      },
    };
  }
  const template = inject('pgliteTemplate');
  const blob = new Blob([fs.readFileSync(template)]);
  return openDatabase({ kind: 'pglite', dataDir: null }, { loadDataDir: blob });
};
