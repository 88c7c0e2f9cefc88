import type { TFunction } from 'i18next';

/** Labels for the registry's coded values (kinds, cargo types, provinces), the raw value when unknown. */
export type TermGroup = 'portKind' | 'siteKind' | 'bondedKind' | 'cargo' | 'corridorMode' | 'province';

export const term = (t: TFunction, group: TermGroup, value: string | null | undefined): string =>
  value === null || value === undefined || value === '' ? '—' : t(`clusterTerms.${group}.${value}`, { defaultValue: value });

/** 36.050° N, 120.217° E in English; 北纬36.050°, 东经120.217° in Chinese. */
export const formatCoordinates = (t: TFunction, lat: number | null, lon: number | null): string => {
  if (lat === null || lon === null) {
    return '—';
  }
  const one = (v: number, pos: string, neg: string): string =>
    t('clusterTerms.coord', { value: Math.abs(v).toFixed(3), hemi: t(`clusterTerms.${v >= 0 ? pos : neg}`) });
  return `${one(lat, 'north', 'south')}, ${one(lon, 'east', 'west')}`;
};

/** A code pair as customs write it: CNQGD/4218. */
export const codeText = (p: { portCode: string; customsCode: string }): string => `${p.portCode}/${p.customsCode}`;
