import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../core/paths.ts';
import { sql } from 'kysely';
import type { Db } from './client.ts';

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'src', 'db', 'migrations');

export type Migration = { version: string; name: string; file: string; sql: string; checksum: string };

const FILE_SHAPE = /^(\d{8}T\d{6})-([a-z0-9-]+)\.sql$/;

/** Reads migration files in version order; a file that does not follow the naming rule is an error. */
export const loadMigrations = (dir: string = MIGRATIONS_DIR): Migration[] =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file) => {
      const m = FILE_SHAPE.exec(file);
      if (m === null) {
        throw new Error(`Migration file name "${file}" must look like 20260101T120000-what-it-does.sql`);
      }
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: m[1] as string,
        name: m[2] as string,
        file,
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK_KEY = 74290001;

// Under the lock too: two processes creating the table at once collide in the catalogue.
const ensureTable = async (db: Db): Promise<void> => {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
    await sql`create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx);
  });
};

export type MigrationStatus = { applied: string[]; pending: string[] };

export const migrationStatus = async (db: Db, dir?: string): Promise<MigrationStatus> => {
  const all = loadMigrations(dir);
  await ensureTable(db);
  const rows = await db.selectFrom('schema_migrations').select(['version']).execute();
  const done = new Set(rows.map((r) => r.version));
  return {
    applied: all.filter((m) => done.has(m.version)).map((m) => m.file),
    pending: all.filter((m) => !done.has(m.version)).map((m) => m.file),
  };
};

/**
 * Applies pending migrations, each in its own transaction under an advisory lock so two
 * processes starting together do not both apply one. An applied file whose text changed is
 * refused: migrations are forward-only and never edited. Throws on the first failure.
 */
export const migrate = async (db: Db, opts: { dir?: string; onApply?: (m: Migration) => void } = {}): Promise<Migration[]> => {
  const all = loadMigrations(opts.dir);
  await ensureTable(db);
  // The usual start: everything applied and unchanged. One read instead of a locked transaction each.
  const known = new Map(
    (await db.selectFrom('schema_migrations').select(['version', 'checksum']).execute()).map((r) => [r.version, r.checksum]),
  );
  if (all.every((m) => known.get(m.version) === m.checksum)) {
    return [];
  }
  const applied: Migration[] = [];
  for (const m of all) {
    const did = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      const row = await trx.selectFrom('schema_migrations').select(['checksum']).where('version', '=', m.version).executeTakeFirst();
      if (row !== undefined) {
        if (row.checksum !== m.checksum) {
          throw new Error(`Migration ${m.file} was edited after it was applied; add a new migration instead`);
        }
        return false;
      }
      try {
        await sql.raw(m.sql).execute(trx);
      } catch (err) {
        throw new Error(`Migration ${m.file} failed: ${(err as Error).message}`, { cause: err });
      }
      await trx.insertInto('schema_migrations').values({ version: m.version, name: m.name, checksum: m.checksum }).execute();
      return true;
    });
    if (did) {
      applied.push(m);
      opts.onApply?.(m);
    }
  }
  return applied;
};
