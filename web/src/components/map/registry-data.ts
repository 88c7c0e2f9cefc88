import { get, type Page, type Query } from '../../api/client.ts';
import type { Lang } from '../../lib/prefs.ts';

/**
 * The registry entities the cluster map and the port page read (GET /api/v1/<entity>; all public),
 * typed as the API presents them (src/modules/registry/registry.entities.ts), and the one helper
 * that reads a whole list.
 */
export type Versioned = { id: string; validFrom: string; validTo: string | null };
type Named = { nameZh: string; nameEn: string };

export type Port = Versioned &
  Named & {
    locode: string;
    kind: 'seaport' | 'river';
    province: string;
    lat: number | null;
    lon: number | null;
    customsCode: string;
  };
export type PortArea = Versioned & Named & { portId: string; code: string; lat: number | null; lon: number | null };
export type Terminal = Versioned & Named & { portAreaId: string; code: string; cargoTypes: string[]; operatorOrgId: string | null };
export type Berth = Versioned &
  Named & {
    terminalId: string;
    code: string;
    lengthM: number;
    depthM: number;
    maxDwt: number | null;
    cargoTypes: string[];
    supervisionSiteId: string;
  };
export type SupervisionSite = Versioned &
  Named & { code: string; kind: string; portAreaId: string | null; portCode: string; customsCode: string };
export type CustomsOffice = Versioned &
  Named & { code: string; districtCode: string; parentCode: string | null; kind: 'district' | 'office' };
export type RegulatoryCode = Versioned & Named & { portCode: string; customsCode: string };
export type CodeAlias = Versioned & {
  portCode: string;
  customsCode: string;
  canonicalPortCode: string;
  canonicalCustomsCode: string;
  note: string;
};
export type InlandPort = Versioned &
  Named & {
    code: string;
    province: string;
    locode: string | null;
    lat: number | null;
    lon: number | null;
    customsCode: string;
  };
export type BondedZone = Versioned &
  Named & {
    code: string;
    kind: string;
    portId: string | null;
    lat: number | null;
    lon: number | null;
    customsCode: string;
  };
export type Corridor = Versioned & Named & { code: string; mode: string; portId: string; inlandPortId: string };

export const nameOf = (e: Named, lang: Lang): string => (lang === 'zh-CN' ? e.nameZh : e.nameEn);

const PAGE = 500;
/** Enough for any registry list we draw; a runaway cursor stops here instead of looping. */
const MAX_PAGES = 40;

/** Every item of a registry list valid on `asOf`, following the cursor page by page. */
export const fetchAll = async <T>(entity: string, query: Query = {}): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i += 1) {
    const page: Page<T> = await get<Page<T>>(`/api/v1/${entity}`, { ...query, limit: PAGE, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
    if (cursor === null) {
      break;
    }
  }
  return items;
};

/** How many items a list holds on `asOf`, without reading them. */
export const countOf = async (entity: string, query: Query = {}): Promise<number> => {
  const page = await get<Page<unknown>>(`/api/v1/${entity}`, { ...query, limit: 1 });
  return page.total ?? page.items.length;
};

/** Today's date (YYYY-MM-DD) in the viewer's time zone: the date registry lists are read for. */
export const todayIn = (timeZone: string, now: Date = new Date()): string => {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
};
