import type { DbOrTx } from '../../db/tx.ts';
import { validAt } from './registry.repository.ts';

export type CodePair = { portCode: string; customsCode: string };

export type Resolution = {
  date: string;
  declared: CodePair;
  canonical: CodePair;
  /** The declared pair was an alias on that date. */
  viaAlias: boolean;
  /** The declared pair (or its canonical) is registered on that date. */
  known: boolean;
};

/**
 * The canonical regulatory code of a (port code, customs code) pair on a date. Aliases are
 * effective-dated: from 2023-10-23 CNQWG/4258 resolves to CNQGD/4218, before that it is its own
 * code. Aliases are followed transitively (bounded, so a loop in the data cannot hang us).
 */
export const resolveCode = async (db: DbOrTx, pair: CodePair, date: string): Promise<Resolution> => {
  let current = pair;
  let viaAlias = false;
  for (let hop = 0; hop < 8; hop += 1) {
    const alias = await db
      .selectFrom('code_aliases')
      .select(['canonical_port_code', 'canonical_customs_code'])
      .where('port_code', '=', current.portCode)
      .where('customs_code', '=', current.customsCode)
      .where(validAt(date))
      .executeTakeFirst();
    if (alias === undefined) {
      break;
    }
    current = { portCode: alias.canonical_port_code, customsCode: alias.canonical_customs_code.trimEnd() };
    viaAlias = true;
  }
  const registered = await db
    .selectFrom('regulatory_codes')
    .select('id')
    .where('port_code', '=', current.portCode)
    .where('customs_code', '=', current.customsCode)
    .where(validAt(date))
    .executeTakeFirst();
  return { date, declared: pair, canonical: current, viaAlias, known: registered !== undefined };
};

export type BerthCode = Resolution & { berthId: string; supervisionSiteId: string; supervisionSiteCode: string };

/** The code a berth sits under on a date (via its supervision site), resolved to canonical. */
export const berthCode = async (db: DbOrTx, berthId: string, date: string): Promise<BerthCode | null> => {
  const row = await db
    .selectFrom('berths')
    .innerJoin('supervision_sites', 'supervision_sites.id', 'berths.supervision_site_id')
    .select([
      'supervision_sites.id as site_id',
      'supervision_sites.code as site_code',
      'supervision_sites.port_code',
      'supervision_sites.customs_code',
    ])
    .where('berths.id', '=', berthId)
    .where(validAt(date, 'berths'))
    .where(validAt(date, 'supervision_sites'))
    .executeTakeFirst();
  if (row === undefined) {
    return null;
  }
  const r = await resolveCode(db, { portCode: row.port_code, customsCode: row.customs_code.trimEnd() }, date);
  return { ...r, berthId, supervisionSiteId: row.site_id, supervisionSiteCode: row.site_code };
};

/** Whether a vessel declared under `declared` may use `berthId` on `date` without re-declaring. */
export const sameCanonicalCode = async (db: DbOrTx, declared: CodePair, berthId: string, date: string): Promise<boolean | null> => {
  const [a, b] = await Promise.all([resolveCode(db, declared, date), berthCode(db, berthId, date)]);
  if (b === null) {
    return null;
  }
  return a.canonical.portCode === b.canonical.portCode && a.canonical.customsCode === b.canonical.customsCode;
};
