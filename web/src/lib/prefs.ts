/** User preferences kept in this browser: language and display time zone. */
export type Lang = 'zh-CN' | 'en-US';

export const DEFAULT_LANG: Lang = 'zh-CN';
export const DEFAULT_TZ = 'Asia/Shanghai';
const LANG_KEY = 'portcluster.lang';
const TZ_KEY = 'portcluster.tz';

const storage = (): Storage | null => (typeof window === 'undefined' ? null : window.localStorage);

export const loadLang = (): Lang => {
  const v = storage()?.getItem(LANG_KEY);
  return v === 'en-US' || v === 'zh-CN' ? v : DEFAULT_LANG;
};
export const saveLang = (lang: Lang): void => storage()?.setItem(LANG_KEY, lang);

export const loadTimeZone = (): string => storage()?.getItem(TZ_KEY) ?? DEFAULT_TZ;
export const saveTimeZone = (tz: string): void => storage()?.setItem(TZ_KEY, tz);

/** Zones offered in the picker: the cluster's own first, then the trading partners' usual ones. */
export const TIME_ZONES = ['Asia/Shanghai', 'UTC', 'Asia/Tokyo', 'Asia/Singapore', 'Europe/Rotterdam', 'America/Los_Angeles'] as const;
