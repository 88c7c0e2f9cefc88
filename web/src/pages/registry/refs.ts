import { useQueries } from '@tanstack/react-query';
import { get, type Page } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import type { FetchParams, FetchResult } from '../../components/DataTable.tsx';
import { fetchAllRows } from '../../components/table/fetch-all.ts';
import type { Lang } from '../../lib/prefs.ts';
import { entityDef, referencedEntities, usesCustoms, usesOrgs, type EntityDef, type EntityName, type RegistryRecord } from './entities.ts';

/** One page of a registry list as the DataTable asks for it. */
export const fetchRegistryPage = async (entity: EntityName, asOf: string, p: FetchParams): Promise<FetchResult<RegistryRecord>> => {
  const page = await get<Page<RegistryRecord>>(`/api/v1/${entity}`, {
    asOf,
    offset: p.offset,
    limit: p.limit,
    sort: p.sort,
    q: p.q,
    ...p.filters,
  });
  return { items: page.items, total: page.total ?? page.items.length };
};

const REF_MAX = 5000;

const fetchAllRegistry = (entity: EntityName, asOf: string): Promise<RegistryRecord[]> =>
  fetchAllRows((p) => fetchRegistryPage(entity, asOf, p), { filters: {} }, { max: REF_MAX });

export type Organisation = { id: string; code: string; nameZh: string; nameEn: string; kind: string; districtCode: string | null };

const fetchAllOrganisations = async (): Promise<Organisation[]> => {
  const out: Organisation[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i += 1) {
    const page: Page<Organisation> = await get<Page<Organisation>>('/api/v1/organisations', { limit: 500, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) {
      break;
    }
  }
  return out;
};

/** The code that identifies a record to people: its code, or its code pair. */
export const codeOf = (def: EntityDef, row: Record<string, unknown>): string =>
  def.codeKeys.map((k) => (row[k] === null || row[k] === undefined ? '' : String(row[k] as string))).join('/');

export const nameOf = (def: EntityDef, row: Record<string, unknown>, lang: Lang): string => {
  if (def.names === 'none') {
    return '';
  }
  const key = def.names === 'bilingual' ? (lang === 'zh-CN' ? 'nameZh' : 'nameEn') : def.names.key;
  const v = row[key];
  return typeof v === 'string' ? v : '';
};

/** `code · name`, how a record is named wherever it is referred to. */
export const recordLabel = (def: EntityDef, row: Record<string, unknown>, lang: Lang): string => {
  const code = codeOf(def, row);
  const name = nameOf(def, row, lang);
  return name === '' ? code : `${code} · ${name}`;
};

export type RefOption = { value: string; label: string };
export type RefIndex = { byKey: Map<string, string>; options: RefOption[]; loading: boolean; failed: boolean };

const EMPTY: RefIndex = { byKey: new Map(), options: [], loading: false, failed: false };

const indexOf = (options: RefOption[], loading: boolean, failed: boolean): RefIndex => ({
  byKey: new Map(options.map((o) => [o.value, o.label])),
  options,
  loading,
  failed,
});

export type RefData = {
  /** Records of another entity, by id. */
  entity: (name: EntityName) => RefIndex;
  /** Customs offices, by 4-digit code. */
  customs: RefIndex;
  /** Organisations the user may see, by id. */
  orgs: RefIndex;
  /** Some list could not be loaded: references show raw ids. */
  failed: boolean;
};

/**
 * The records an entity's fields refer to, valid on the as-of date, for showing `code · name`
 * instead of ids and for the reference selects of the forms. Cached per entity and date.
 */
export const useRefData = (def: EntityDef, asOf: string, lang: Lang): RefData => {
  const { can } = useSession();
  const entities = referencedEntities(def);
  const needCustoms = usesCustoms(def);
  const needOrgs = usesOrgs(def) && can('GET /api/v1/organisations');

  const results = useQueries({
    queries: [
      ...entities.map((e) => ({
        queryKey: ['registry-ref', e, asOf],
        queryFn: () => fetchAllRegistry(e, asOf),
        staleTime: 60_000,
        enabled: can(`GET /api/v1/${e}`),
      })),
      {
        queryKey: ['registry-ref', 'customs-offices', asOf],
        queryFn: () => fetchAllRegistry('customs-offices', asOf),
        staleTime: 60_000,
        enabled: needCustoms,
      },
    ],
  });
  const [orgResult] = useQueries({
    queries: [{ queryKey: ['organisations', 'all'], queryFn: fetchAllOrganisations, staleTime: 300_000, enabled: needOrgs }],
  });

  const byEntity = new Map<EntityName, RefIndex>();
  entities.forEach((e, i) => {
    const r = results[i];
    const target = entityDef(e);
    const options = (r?.data ?? []).map((row) => ({ value: row.id, label: recordLabel(target, row, lang) }));
    byEntity.set(e, indexOf(options, r?.isPending === true && r.fetchStatus !== 'idle', r?.isError === true));
  });
  const customsResult = results[entities.length];
  const customsDef = entityDef('customs-offices');
  const customs = needCustoms
    ? indexOf(
        (customsResult?.data ?? []).map((row) => ({ value: String(row.code), label: recordLabel(customsDef, row, lang) })),
        customsResult?.isPending === true && customsResult.fetchStatus !== 'idle',
        customsResult?.isError === true,
      )
    : EMPTY;
  const orgs = needOrgs
    ? indexOf(
        (orgResult?.data ?? []).map((o) => ({ value: o.id, label: `${o.code} · ${lang === 'zh-CN' ? o.nameZh : o.nameEn}` })),
        orgResult?.isPending === true,
        orgResult?.isError === true,
      )
    : EMPTY;

  return {
    entity: (name) => byEntity.get(name) ?? EMPTY,
    customs,
    orgs,
    failed: [...byEntity.values()].some((x) => x.failed) || customs.failed || orgs.failed,
  };
};
