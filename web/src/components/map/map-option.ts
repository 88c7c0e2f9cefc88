import type { EffectScatterSeriesOption, LinesSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { GeoComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { TFunction } from 'i18next';
import type { Lang } from '../../lib/prefs.ts';
import { ASPECT, labelSides, VIEW, type LabelSide, type LonLat, type MapModel } from './map-model.ts';
import { nameOf } from './registry-data.ts';
import { term } from './terms.ts';

export type MapOption = ComposeOption<
  EffectScatterSeriesOption | ScatterSeriesOption | LinesSeriesOption | GeoComponentOption | TooltipComponentOption | LegendComponentOption
>;

export const MAP_NAME = 'portcluster-land';

export const COLORS = {
  sea: '#d5e5f2',
  land: '#eef0eb',
  coast: '#a9b6c1',
  port: '#1160b7',
  area: '#2a8c82',
  inland: '#d0701c',
  bonded: '#7a4cb0',
  corridor: '#d0701c',
  text: '#1f2d3d',
} as const;

/** Preset views: the whole drawn network, or the Shandong coast where the port areas separate. */
export type MapView = 'network' | 'coast';
const COAST = { center: [120.3, 36.55], zoom: 3.2 };

/** A data item, with what the tooltip shows and where a click goes. */
type Item = { name: string; value: LonLat; tip: string; portId?: string; label?: { position: LabelSide } };
export const itemOf = (data: unknown): Item | null =>
  typeof data === 'object' && data !== null && 'tip' in data && typeof (data as Item).tip === 'string' ? (data as Item) : null;

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const tip = (title: string, other: string, lines: [string, string][], foot?: string): string =>
  [
    `<div style="font-weight:600;font-size:14px">${esc(title)}${other !== title ? ` <span style="font-weight:400;color:#8c8c8c">${esc(other)}</span>` : ''}</div>`,
    ...lines.map(([k, v]) => `<div><span style="color:#8c8c8c">${esc(k)}</span>&nbsp;&nbsp;${esc(v)}</div>`),
    foot === undefined ? '' : `<div style="margin-top:4px;color:${COLORS.port}">${esc(foot)}</div>`,
  ].join('');

export const buildMapOption = (
  model: MapModel,
  opts: { t: TFunction; lang: Lang; view: MapView; motion: boolean; fontFamily: string },
): MapOption => {
  const { t, lang } = opts;
  const other: Lang = lang === 'zh-CN' ? 'en-US' : 'zh-CN';
  const layer = {
    ports: t('map.layers.ports'),
    areas: t('map.layers.areas'),
    inland: t('map.layers.inland'),
    bonded: t('map.layers.bonded'),
    corridors: t('map.layers.corridors'),
  };
  const label = { fontFamily: opts.fontFamily, textBorderColor: 'rgba(255,255,255,0.9)', textBorderWidth: 3 };

  const PORT_FONT = 14;
  const PORT_MARKER = 15;
  // Judged at the whole-network view on a small screen (about 45 px per degree), the tightest case.
  const sides = labelSides(
    model.ports.map((p) => ({ lon: p.lon, lat: p.lat, label: nameOf(p, lang) })),
    { pxPerDeg: 45, fontSize: PORT_FONT, marker: PORT_MARKER, gap: 7 },
  );
  const ports: Item[] = model.ports.map((p, i) => ({
    name: nameOf(p, lang),
    value: [p.lon, p.lat],
    portId: p.id,
    label: { position: sides[i] ?? 'right' },
    tip: tip(
      nameOf(p, lang),
      nameOf(p, other),
      [
        [t('map.kind.port'), term(t, 'portKind', p.kind)],
        [t('map.tooltip.locode'), p.locode],
        [t('map.tooltip.customsCode'), p.customsCode],
      ],
      t('map.tooltip.openPort'),
    ),
  }));
  const areas: Item[] = model.areas.map((a) => ({
    name: nameOf(a, lang),
    value: [a.lon, a.lat],
    ...(a.port === undefined ? {} : { portId: a.port.id }),
    tip: tip(
      nameOf(a, lang),
      nameOf(a, other),
      [
        [t('map.kind.portArea'), a.code],
        [t('map.tooltip.port'), a.port === undefined ? '—' : `${nameOf(a.port, lang)} (${a.port.locode})`],
      ],
      a.port === undefined ? undefined : t('map.tooltip.openPort'),
    ),
  }));
  const inlandTip = (i: MapModel['inland'][number], extra: [string, string][] = [], foot?: string): string =>
    tip(
      nameOf(i, lang),
      nameOf(i, other),
      [
        [t('map.kind.inlandPort'), i.code],
        ...(i.locode === null ? [] : [[t('map.tooltip.locode'), i.locode] as [string, string]]),
        [t('map.tooltip.customsCode'), i.customsCode],
        [t('map.tooltip.province'), term(t, 'province', i.province)],
        ...extra,
      ],
      foot,
    );
  const inland: Item[] = model.inland.map((i) => ({ name: nameOf(i, lang), value: [i.lon, i.lat], tip: inlandTip(i) }));
  const offMap = model.offMap.map((o) => ({
    name: nameOf(o.inland, lang),
    value: o.at,
    symbolRotate: o.rotate,
    tip: inlandTip(
      { ...o.inland, lon: o.at[0], lat: o.at[1] },
      o.distances.map((d): [string, string] => [
        '',
        t('map.tooltip.distance', { km: d.km.toLocaleString(lang), port: nameOf(d.port, lang) }),
      ]),
      t('map.tooltip.offMap'),
    ),
  }));
  const bonded: Item[] = model.bonded.map((b) => ({
    name: nameOf(b, lang),
    value: [b.lon, b.lat],
    ...(b.port === undefined ? {} : { portId: b.port.id }),
    tip: tip(nameOf(b, lang), nameOf(b, other), [
      [t('map.kind.bondedZone'), term(t, 'bondedKind', b.kind)],
      [t('map.tooltip.code'), b.code],
      [t('map.tooltip.customsCode'), b.customsCode],
      [t('map.tooltip.port'), b.port === undefined ? '—' : `${nameOf(b.port, lang)} (${b.port.locode})`],
    ]),
  }));
  const corridors = model.corridors.map((c) => ({
    name: nameOf(c.corridor, lang),
    coords: [c.from, c.to],
    lineStyle: c.offMap ? { type: 'dashed' as const } : {},
    tip: tip(nameOf(c.corridor, lang), nameOf(c.corridor, other), [
      [t('map.kind.corridor'), c.corridor.code],
      [t('map.tooltip.mode'), term(t, 'corridorMode', c.corridor.mode)],
      [t('map.tooltip.route'), `${nameOf(c.port, lang)} → ${nameOf(c.inland, lang)}`],
    ]),
  }));

  const view = opts.view === 'coast' ? COAST : { center: undefined, zoom: 1 };
  const series: MapOption['series'] = [
    {
      id: 'corridors',
      name: layer.corridors,
      type: 'lines',
      coordinateSystem: 'geo',
      zlevel: 1,
      data: corridors,
      lineStyle: { color: COLORS.corridor, width: 1.6, opacity: 0.55, curveness: 0.12 },
      emphasis: { lineStyle: { width: 3, opacity: 0.9 } },
      effect: opts.motion
        ? { show: true, period: 7, trailLength: 0.2, symbol: 'arrow', symbolSize: 5, color: COLORS.corridor, loop: true }
        : { show: false },
    },
    {
      id: 'bonded',
      name: layer.bonded,
      type: 'scatter',
      coordinateSystem: 'geo',
      zlevel: 2,
      symbol: 'rect',
      symbolSize: 8,
      itemStyle: { color: COLORS.bonded, borderColor: '#fff', borderWidth: 1 },
      data: bonded,
    },
    {
      id: 'areas',
      name: layer.areas,
      type: 'scatter',
      coordinateSystem: 'geo',
      zlevel: 2,
      symbol: 'circle',
      symbolSize: 6,
      itemStyle: { color: COLORS.area, borderColor: '#fff', borderWidth: 1 },
      data: areas,
    },
    {
      id: 'inland',
      name: layer.inland,
      type: 'scatter',
      coordinateSystem: 'geo',
      zlevel: 2,
      symbol: 'diamond',
      symbolSize: 13,
      itemStyle: { color: COLORS.inland, borderColor: '#fff', borderWidth: 1.5 },
      label: { show: true, position: 'right', formatter: '{b}', color: '#7a3f0c', fontSize: 12, ...label },
      data: inland,
    },
    {
      id: 'inland-off-map',
      name: layer.inland,
      type: 'scatter',
      coordinateSystem: 'geo',
      zlevel: 2,
      symbol: 'arrow',
      symbolSize: [11, 14],
      itemStyle: { color: COLORS.inland, borderColor: '#fff', borderWidth: 1 },
      label: { show: true, position: 'right', distance: 6, formatter: '{b}', color: '#7a3f0c', fontSize: 12, ...label },
      data: offMap,
    },
    {
      id: 'ports',
      name: layer.ports,
      type: opts.motion ? 'effectScatter' : 'scatter',
      coordinateSystem: 'geo',
      zlevel: 3,
      symbolSize: PORT_MARKER,
      rippleEffect: { scale: 2.6, brushType: 'stroke', period: 4 },
      itemStyle: { color: COLORS.port, borderColor: '#fff', borderWidth: 2, shadowBlur: 6, shadowColor: 'rgba(17,96,183,0.35)' },
      label: {
        show: true,
        position: 'right',
        distance: 7,
        formatter: '{b}',
        color: COLORS.text,
        fontSize: PORT_FONT,
        fontWeight: 600,
        ...label,
      },
      cursor: 'pointer',
      data: ports,
    },
  ];

  return {
    backgroundColor: COLORS.sea,
    textStyle: { fontFamily: opts.fontFamily },
    animationDuration: 400,
    tooltip: {
      trigger: 'item',
      confine: true,
      borderColor: '#d9d9d9',
      textStyle: { fontFamily: opts.fontFamily, fontSize: 12, color: COLORS.text },
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        return itemOf(p?.data)?.tip ?? '';
      },
    },
    legend: {
      right: 12,
      bottom: 12,
      orient: 'vertical',
      backgroundColor: 'rgba(255,255,255,0.88)',
      borderRadius: 6,
      padding: [8, 12],
      itemGap: 8,
      textStyle: { fontFamily: opts.fontFamily, fontSize: 12, color: COLORS.text },
      data: [
        { name: layer.ports, icon: 'circle', itemStyle: { color: COLORS.port } },
        { name: layer.areas, icon: 'circle', itemStyle: { color: COLORS.area } },
        { name: layer.inland, icon: 'diamond', itemStyle: { color: COLORS.inland } },
        { name: layer.bonded, icon: 'rect', itemStyle: { color: COLORS.bonded } },
        { name: layer.corridors, icon: 'path://M0,5 L20,5 L20,7 L0,7 Z', itemStyle: { color: COLORS.corridor } },
      ],
    },
    geo: {
      map: MAP_NAME,
      boundingCoords: [
        [VIEW[0], VIEW[3]],
        [VIEW[2], VIEW[1]],
      ],
      aspectScale: ASPECT,
      left: 0,
      right: 0,
      top: 0,
      bottom: 0,
      roam: true,
      roamTrigger: 'global',
      scaleLimit: { min: 1, max: 10 },
      ...view,
      silent: true,
      itemStyle: { areaColor: COLORS.land, borderColor: COLORS.coast, borderWidth: 0.7 },
      emphasis: { disabled: true },
      select: { disabled: true },
    },
    series,
  };
};
