import { sql, type Kysely } from 'kysely';
import type { Principal } from '../../auth/principal.ts';
import { visibleTo } from '../../auth/scope.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { columnOf, type EntitySpec } from './registry.entities.ts';

/** Registry rows are read generically by table name, so the row type is loose here. */
export type RegistryRow = Record<string, unknown> & { id: string; valid_from: string; valid_to: string | null };
type Loose = Kysely<Record<string, RegistryRow>>;
const loose = (db: DbOrTx): Loose => db as unknown as Loose;

/** Rows valid on `date`: valid_from <= date < valid_to (of `table` when a query joins several). */
export const validAt = (date: string, table?: string) => {
  const col = (c: string) => sql.ref(table === undefined ? c : `${table}.${c}`);
  return sql<boolean>`${col('valid_from')} <= ${date}::date and (${col('valid_to')} is null or ${col('valid_to')} > ${date}::date)`;
};

export type ListFilter = {
  asOf: string;
  equals: Record<string, unknown>;
  q?: string;
  /** Keyset paging in id order (the default). */
  afterId?: string;
  /** Or: sort by a column (descending with `desc`) and page by offset, for tables that jump to page n. */
  sort?: { column: string; desc: boolean };
  offset?: number;
  limit: number;
  principal: Reader;
};

/**
 * Who reads: a caller (null when anonymous) or 'system' for commands that must see every row
 * (e.g. versioning an entity an administrator is allowed to change).
 */
export type Reader = Principal | null | 'system';

const scoped = (spec: EntitySpec, reader: Reader) =>
  spec.tenant === undefined || reader === 'system'
    ? sql<boolean>`true`
    : reader === null
      ? sql<boolean>`false`
      : visibleTo(spec.tenant, reader);

const filtered = (db: DbOrTx, spec: EntitySpec, f: ListFilter) => {
  let qb = loose(db).selectFrom(spec.table).where(validAt(f.asOf)).where(scoped(spec, f.principal));
  for (const [field, value] of Object.entries(f.equals)) {
    qb = qb.where(sql.ref(columnOf(field)), '=', value);
  }
  if (f.q !== undefined && f.q !== '') {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    qb = qb.where(
      sql<boolean>`(${sql.join(
        spec.search.map((c) => sql`${sql.ref(c)}::text ilike ${pattern}`),
        sql` or `,
      )})`,
    );
  }
  return qb;
};

export const listVersionsAt = async (db: DbOrTx, spec: EntitySpec, f: ListFilter): Promise<RegistryRow[]> => {
  let qb = filtered(db, spec, f).selectAll();
  if (f.sort !== undefined) {
    qb = qb.orderBy(sql.ref(f.sort.column), f.sort.desc ? 'desc' : 'asc').orderBy('id');
    return (await qb
      .offset(f.offset ?? 0)
      .limit(f.limit + 1)
      .execute()) as RegistryRow[];
  }
  if (f.afterId !== undefined) {
    qb = qb.where('id', '>', f.afterId);
  }
  qb = qb.orderBy('id');
  if (f.offset !== undefined) {
    qb = qb.offset(f.offset);
  }
  return (await qb.limit(f.limit + 1).execute()) as RegistryRow[];
};

export const countVersionsAt = async (db: DbOrTx, spec: EntitySpec, f: ListFilter): Promise<number> => {
  const row = await filtered(db, spec, f)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
};

export const findVersionAt = async (
  db: DbOrTx,
  spec: EntitySpec,
  id: string,
  date: string,
  principal: Reader,
): Promise<RegistryRow | undefined> =>
  loose(db)
    .selectFrom(spec.table)
    .selectAll()
    .where('id', '=', id)
    .where(validAt(date))
    .where(scoped(spec, principal))
    .executeTakeFirst() as Promise<RegistryRow | undefined>;

export const listVersions = async (db: DbOrTx, spec: EntitySpec, id: string, principal: Reader): Promise<RegistryRow[]> =>
  loose(db)
    .selectFrom(spec.table)
    .selectAll()
    .where('id', '=', id)
    .where(scoped(spec, principal))
    .orderBy('valid_from')
    .execute() as Promise<RegistryRow[]>;

export const existsAt = async (db: DbOrTx, table: EntitySpec['table'], id: string, date: string): Promise<boolean> =>
  (await loose(db).selectFrom(table).select('id').where('id', '=', id).where(validAt(date)).executeTakeFirst()) !== undefined;

/** Another entity holding the same natural key in an overlapping period. */
export const findClash = async (
  db: DbOrTx,
  spec: EntitySpec,
  values: Record<string, unknown>,
  period: { from: string; to: string | null },
  excludeId: string | null,
): Promise<RegistryRow | undefined> => {
  let qb = loose(db).selectFrom(spec.table).selectAll();
  for (const field of spec.unique) {
    qb = qb.where(sql.ref(columnOf(field)), '=', values[field]);
  }
  if (excludeId !== null) {
    qb = qb.where('id', '<>', excludeId);
  }
  const to = period.to;
  qb = qb.where(sql<boolean>`(valid_to is null or valid_to > ${period.from}::date)`);
  if (to !== null) {
    qb = qb.where(sql<boolean>`valid_from < ${to}::date`);
  }
  return (await qb.limit(1).executeTakeFirst()) as RegistryRow | undefined;
};

export const insertVersion = async (db: DbOrTx, spec: EntitySpec, row: RegistryRow): Promise<void> => {
  await loose(db).insertInto(spec.table).values(row).execute();
};

export const replaceVersion = async (db: DbOrTx, spec: EntitySpec, row: RegistryRow): Promise<void> => {
  const { id, valid_from: validFrom, ...rest } = row;
  await loose(db).updateTable(spec.table).set(rest).where('id', '=', id).where('valid_from', '=', validFrom).execute();
};

export const closeVersion = async (db: DbOrTx, spec: EntitySpec, id: string, validFrom: string, validTo: string): Promise<void> => {
  await loose(db).updateTable(spec.table).set({ valid_to: validTo }).where('id', '=', id).where('valid_from', '=', validFrom).execute();
};

export const customsOfficeDistrict = async (db: DbOrTx, code: string, date: string): Promise<string | null> => {
  const row = await db
    .selectFrom('customs_offices')
    .select('district_code')
    .where('code', '=', code)
    .where(validAt(date))
    .executeTakeFirst();
  return row?.district_code ?? null;
};

export const organisationExists = async (db: DbOrTx, id: string): Promise<boolean> =>
  (await db.selectFrom('organisations').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
