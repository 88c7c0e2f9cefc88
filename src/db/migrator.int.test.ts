import { runCli } from '../../test/cli.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, usingPostgres } from '../../test/db.ts';
import { openDatabase, type DatabaseHandle, type Db } from './client.ts';
import { loadMigrations, migrate, migrationStatus, type Migration } from './migrator.ts';

const tempDirs: string[] = [];
const tempDir = (prefix: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of tempDirs) {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

/** A folder of migration files. */
const migrationDir = (files: Record<string, string>): string => {
  const dir = tempDir('portcluster-migrations-');
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
};

/**
 * An empty database: a schema of its own, with nothing migrated. On PostgreSQL a pooled handle
 * confined to it (plus `handles` more on the same schema, for races); on PGlite a template copy
 * whose single session's search_path points at it, so the template's tables are out of sight.
 */
const freshDatabase = async (extraHandles = 0): Promise<{ db: Db; others: Db[]; close(): Promise<void> }> => {
  const schema = `m_${randomBytes(6).toString('hex')}`;
  if (usingPostgres()) {
    const url = process.env.DATABASE_URL as string;
    const admin = await openDatabase({ kind: 'postgres', url });
    await sql`create schema ${sql.id(schema)}`.execute(admin.db);
    const handles: DatabaseHandle[] = [];
    for (let i = 0; i <= extraHandles; i += 1) {
      handles.push(await openDatabase({ kind: 'postgres', url }, { schema }));
    }
    return {
      db: (handles[0] as DatabaseHandle).db,
      others: handles.slice(1).map((h) => h.db),
      close: async () => {
        await Promise.all(handles.map((h) => h.close()));
        await sql`drop schema ${sql.id(schema)} cascade`.execute(admin.db);
        await admin.close();
      },
    };
  }
  const h = await createTestDatabase();
  await sql`create schema ${sql.id(schema)}`.execute(h.db);
  await sql`set search_path to ${sql.id(schema)}`.execute(h.db);
  // One PGlite session: "other handles" are the same connection.
  return { db: h.db, others: Array.from({ length: extraHandles }, () => h.db), close: () => h.close() };
};

const tableExists = async (db: Db, name: string): Promise<boolean> =>
  (await sql<{ t: string | null }>`select to_regclass(${name})::text as t`.execute(db)).rows[0]?.t !== null;

const applied = async (db: Db): Promise<string[]> =>
  (await db.selectFrom('schema_migrations').select('version').orderBy('version').execute()).map((r) => r.version);

const OK = { '20000101T000000-ok.sql': 'create table m_ok (id int primary key);\ninsert into m_ok values (1);\n' };

let fresh: Awaited<ReturnType<typeof freshDatabase>> | null = null;
afterEach(async () => {
  await fresh?.close();
  fresh = null;
});

describe('migrate()', () => {
  it('applies every migration to an empty database in order, and nothing the second time', async () => {
    fresh = await freshDatabase();
    const all = loadMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((m) => m.file)).toEqual([...all.map((m) => m.file)].sort());
    expect(await migrationStatus(fresh.db)).toEqual({ applied: [], pending: all.map((m) => m.file) });

    const seen: string[] = [];
    const first = await migrate(fresh.db, { onApply: (m) => seen.push(m.file) });
    expect(first.map((m) => m.file)).toEqual(all.map((m) => m.file));
    expect(seen).toEqual(all.map((m) => m.file));
    expect(await tableExists(fresh.db, 'events')).toBe(true);
    const rows = await fresh.db.selectFrom('schema_migrations').select(['version', 'name', 'checksum']).orderBy('version').execute();
    expect(rows).toEqual(all.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));

    expect(await migrate(fresh.db)).toEqual([]);
    expect(await migrationStatus(fresh.db)).toEqual({ applied: all.map((m) => m.file), pending: [] });
  });

  it('applies each migration once when two processes migrate at the same time', async () => {
    fresh = await freshDatabase(1);
    // Nothing exists yet, not even schema_migrations: creating it races too (it is under the lock).
    const results = await Promise.all([migrate(fresh.db), migrate(fresh.others[0] as Db)]);
    const files = results
      .flat()
      .map((m) => m.file)
      .sort();
    expect(files).toEqual(loadMigrations().map((m) => m.file));
    expect(await applied(fresh.db)).toEqual(loadMigrations().map((m) => m.version));
  });

  it('survives many racing migrations on an empty database (the schema_migrations creation race)', async () => {
    for (let round = 0; round < 5; round += 1) {
      const db = await freshDatabase(2);
      try {
        const results = await Promise.all([migrate(db.db), migrate(db.others[0] as Db), migrate(db.others[1] as Db)]);
        expect(results.flat().length).toBe(loadMigrations().length);
      } finally {
        await db.close();
      }
    }
  }, 120_000);

  it('rolls a failing migration back entirely, names its file, and keeps the ones before it', async () => {
    fresh = await freshDatabase();
    const dir = migrationDir({
      ...OK,
      // The table is created before the failing statement: it must not survive.
      '20000101T000100-bad.sql': 'create table m_bad (id int);\ninsert into m_missing values (1);\n',
    });
    const err = await migrate(fresh.db, { dir }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/^Migration 20000101T000100-bad\.sql failed: .*m_missing/);
    expect(err?.cause).toBeInstanceOf(Error);
    expect(await tableExists(fresh.db, 'm_ok')).toBe(true);
    expect(await tableExists(fresh.db, 'm_bad')).toBe(false);
    expect(await applied(fresh.db)).toEqual(['20000101T000000']);

    // Fixing the file lets the next run apply exactly it.
    fs.writeFileSync(path.join(dir, '20000101T000100-bad.sql'), 'create table m_bad (id int);\n');
    expect((await migrate(fresh.db, { dir })).map((m: Migration) => m.file)).toEqual(['20000101T000100-bad.sql']);
    expect(await tableExists(fresh.db, 'm_bad')).toBe(true);
  });

  it('refuses an applied migration whose file was edited, and applies nothing after it', async () => {
    fresh = await freshDatabase();
    const dir = migrationDir(OK);
    expect(await migrate(fresh.db, { dir })).toHaveLength(1);
    const file = path.join(dir, '20000101T000000-ok.sql');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, `${original}-- a harmless-looking comment\n`);
    fs.writeFileSync(path.join(dir, '20000101T000200-next.sql'), 'create table m_next (id int);\n');

    await expect(migrate(fresh.db, { dir })).rejects.toThrow('Migration 20000101T000000-ok.sql was edited after it was applied');
    expect(await tableExists(fresh.db, 'm_next')).toBe(false);
    expect(await applied(fresh.db)).toEqual(['20000101T000000']);

    fs.writeFileSync(file, original);
    expect((await migrate(fresh.db, { dir })).map((m) => m.file)).toEqual(['20000101T000200-next.sql']);
  });

  it('refuses a badly named file before applying anything', async () => {
    fresh = await freshDatabase();
    for (const bad of [
      'add_thing.sql',
      '20000101T000100_underscore.sql',
      '20000101-000100-dash.sql',
      '20000101T000100-Upper.sql',
      '20000101T000100-.sql',
    ]) {
      const dir = migrationDir({ ...OK, [bad]: 'select 1;', 'README.md': 'not a migration' });
      await expect(migrate(fresh.db, { dir })).rejects.toThrow(
        `Migration file name "${bad}" must look like 20260101T120000-what-it-does.sql`,
      );
    }
    expect(await tableExists(fresh.db, 'm_ok')).toBe(false);
    // Files that are not .sql are ignored.
    expect((await migrate(fresh.db, { dir: migrationDir({ ...OK, 'README.md': 'notes' }) })).map((m) => m.file)).toEqual([
      '20000101T000000-ok.sql',
    ]);
  });
});

const cli = runCli;

// The CLI opens the environment's database, so only the PGlite run exercises it.
describe.skipIf(usingPostgres())('portcluster migrate', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('portcluster-migrate-cli-');
  });

  it('applies everything to a new data dir, then nothing', async () => {
    const first = await cli(['migrate'], dir);
    expect(first.code, first.stderr).toBe(0);
    const files = loadMigrations().map((m) => m.file);
    expect(first.stdout.split('\n').filter((l) => l.startsWith('applied '))).toEqual(files.map((f) => `applied ${f}`));
    expect(first.stdout).toContain(`Applied ${files.length} migration(s) on PGlite at ${dir}`);

    const second = await cli(['migrate'], dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`Nothing to apply on PGlite at ${dir}`);
  }, 120_000);

  it('exits 1 naming the file when an applied migration no longer matches', async () => {
    const first = loadMigrations()[0] as Migration;
    const h = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await h.db.updateTable('schema_migrations').set({ checksum: 'edited' }).where('version', '=', first.version).execute();
    } finally {
      await h.close();
    }
    const run = await cli(['migrate'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: Migration ${first.file} was edited after it was applied`);
  }, 120_000);
});
