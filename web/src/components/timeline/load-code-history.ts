import { get } from '../../api/client.ts';
import { fetchAll } from '../map/registry-data.ts';
import {
  buildCodeHistory,
  pairKey,
  relevantPairs,
  type AliasVersion,
  type CodeHistoryEntry,
  type CodePair,
  type CodeVersion,
  type SiteVersion,
} from './code-history.ts';

type History<T> = { items: T[] };

/** The day before a YYYY-MM-DD date (the last day a version ending there was valid). */
export const dayBefore = (date: string): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/**
 * Reads what the code history of a port's supervision sites needs, then builds it:
 * 1. every version of each site (/supervision-sites/:id/history);
 * 2. the regulatory codes and code aliases valid on each date a site version began or ended, and
 *    today (a retired code or an ended alias is only listed on dates it was valid);
 * 3. every version of those that concern the sites' codes, or the port's own (LOCODE and customs
 *    code), read with /:id/history.
 */
export const loadCodeHistory = async (siteIds: string[], asOf: string, ownPairs: CodePair[] = []): Promise<CodeHistoryEntry[]> => {
  const sites = (
    await Promise.all(siteIds.map((id) => get<History<SiteVersion>>(`/api/v1/supervision-sites/${encodeURIComponent(id)}/history`)))
  ).flatMap((h) => h.items);
  const dates = new Set<string>([asOf]);
  for (const v of sites) {
    dates.add(v.validFrom);
    if (v.validTo !== null) {
      dates.add(dayBefore(v.validTo));
      dates.add(v.validTo);
    }
  }
  const [codeLists, aliasLists] = await Promise.all([
    Promise.all([...dates].map((d) => fetchAll<CodeVersion>('regulatory-codes', { asOf: d }))),
    Promise.all([...dates].map((d) => fetchAll<AliasVersion>('code-aliases', { asOf: d }))),
  ]);
  const uniqueById = <T extends { id: string }>(lists: T[][]): T[] => [...new Map(lists.flat().map((x) => [x.id, x])).values()];
  const aliasesSeen = uniqueById(aliasLists);
  const pairs = new Set([...relevantPairs(sites, aliasesSeen), ...ownPairs].map(pairKey));
  const aliases = aliasesSeen.filter(
    (a) => pairs.has(pairKey(a)) || pairs.has(pairKey({ portCode: a.canonicalPortCode, customsCode: a.canonicalCustomsCode })),
  );
  const codes = uniqueById(codeLists).filter((c) => pairs.has(pairKey(c)));

  const [codeHistories, aliasHistories] = await Promise.all([
    Promise.all(codes.map((c) => get<History<CodeVersion>>(`/api/v1/regulatory-codes/${encodeURIComponent(c.id)}/history`))),
    Promise.all(aliases.map((a) => get<History<AliasVersion>>(`/api/v1/code-aliases/${encodeURIComponent(a.id)}/history`))),
  ]);
  return buildCodeHistory({
    sites,
    codes: codeHistories.flatMap((h) => h.items),
    aliases: aliasHistories.flatMap((h) => h.items),
  });
};
