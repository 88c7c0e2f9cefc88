import type { Lang } from './prefs.ts';

/**
 * Formatting for the viewer's language and time zone (Asia/Shanghai unless they chose another).
 * Intl does the work, so dates follow each locale's conventions: 2026/11/27 14:05 in Chinese,
 * 27 Nov 2026, 14:05 in English.
 */
export const formatDateTime = (value: string | Date | null | undefined, lang: Lang, timeZone: string): string => {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) {
    return String(value);
  }
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    year: 'numeric',
    month: lang === 'zh-CN' ? '2-digit' : 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
};

/** A calendar date (YYYY-MM-DD, no time of day): shown as is in Chinese, spelled out in English. */
export const formatDate = (value: string | null | undefined, lang: Lang): string => {
  if (value === null || value === undefined || value === '') {
    return '—';
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m === null) {
    return value;
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(lang, {
    timeZone: 'UTC',
    year: 'numeric',
    month: lang === 'zh-CN' ? '2-digit' : 'short',
    day: '2-digit',
  }).format(d);
};

export const formatNumber = (value: number | null | undefined, lang: Lang, fractionDigits = 0): string =>
  value === null || value === undefined
    ? '—'
    : new Intl.NumberFormat(lang, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
