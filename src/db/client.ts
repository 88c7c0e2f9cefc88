import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';
import { PROJECT_ROOT } from '../core/paths.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export type DatabaseHandle = {
  db: Db;
  /** The PGlite instance itself (PGlite only): for dumps in tests. */
  raw?: PGlite;
  kind: 'pglite' | 'postgres';
  /** Where this instance keeps its data (for messages), never a password. */
  description: string;
  close(): Promise<void>;
};

// Both drivers return the same JS types: int8 and numeric as numbers, date as 'YYYY-MM-DD'.
const OID_INT8 = 20;
const OID_NUMERIC = 1700;
const OID_DATE = 1082;
const toNumber = (v: string): number => Number(v);
const identity = (v: string): string => v;

export type OpenOptions = {
  /** PGlite only: start from this data-dir dump (tests clone a migrated template). */
  loadDataDir?: Blob;
  /** Postgres only: confine this handle to one schema (tests isolate files this way). */
  schema?: string;
};

/**
 * The empty cluster `npm install` prepared (bin/prepare-pglite-template.js), for a data dir that
 * does not exist yet: copying it skips initdb, the bulk of a cold start.
 */
const pgliteTemplate = (dataDir: string): Blob | undefined => {
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
    return undefined;
  }
  try {
    const version = (
      JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }
    ).version;
    const file = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'portcluster', `pglite-${version}.tar`);
    return fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : undefined;
  } catch {
    return undefined;
  }
};

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt
 * it. A lock file with the owner's pid makes the second one stop with a clear message instead; a
 * lock left by a process that no longer runs is taken over.
 */
const lockDataDir = (dataDir: string): (() => void) => {
  const file = path.join(dataDir, 'portcluster.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw err;
      }
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner}. PGlite serves one process at a time: ` +
            'stop that process first, or run several processes against PostgreSQL (DATABASE_URL).',
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
};

export const openDatabase = async (config: DatabaseConfig, opts: OpenOptions = {}): Promise<DatabaseHandle> => {
  if (config.kind === 'pglite') {
    const template = opts.loadDataDir ?? (config.dataDir !== null ? pgliteTemplate(config.dataDir) : undefined);
    let unlock = (): void => undefined;
    if (config.dataDir !== null) {
      fs.mkdirSync(config.dataDir, { recursive: true });
      unlock = lockDataDir(config.dataDir);
    }
    let pgl: PGlite;
    try {
      pgl = await PGlite.create({
        ...(config.dataDir !== null ? { dataDir: config.dataDir } : {}),
        ...(template !== undefined ? { loadDataDir: template } : {}),
        parsers: { [OID_INT8]: toNumber, [OID_NUMERIC]: toNumber, [OID_DATE]: identity },
      });
    } catch (err) {
      unlock();
      throw err;
    }
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pgl) });
    return {
      db,
      raw: pgl,
      kind: 'pglite',
      description: config.dataDir === null ? 'PGlite (in memory)' : `PGlite at ${config.dataDir}`,
      close: async () => {
        await db.destroy();
        unlock();
      },
    };
  }
  const schema = opts.schema ?? config.schema;
  const pool = new pg.Pool({
    connectionString: config.url,
    max: 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    types: {
      getTypeParser: (oid: number, format?: string) => {
        if (oid === OID_INT8 || oid === OID_NUMERIC) {
          return toNumber;
        }
        if (oid === OID_DATE) {
          return identity;
        }
        return pg.types.getTypeParser(oid, format as 'text') as (v: string) => unknown;
      },
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safeUrl = new URL(config.url);
  safeUrl.password = '';
  return {
    db,
    kind: 'postgres',
    description: `PostgreSQL ${safeUrl.host}${safeUrl.pathname}${schema !== undefined ? ` schema ${schema}` : ''}`,
    close: () => db.destroy(),
  };
};

/** True when the database answers a trivial query. */
export const isReachable = async (db: Db): Promise<boolean> => {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
};
