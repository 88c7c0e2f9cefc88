import { Segmented, Space, Typography, theme } from 'antd';
import { EffectScatterChart, LinesChart, ScatterChart } from 'echarts/charts';
import { GeoComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { usePrefs } from '../../lib/prefs-context.tsx';
import land from './cluster-land.geo.json';
import { buildMapModel, type ClusterData } from './map-model.ts';
import { buildMapOption, itemOf, MAP_NAME, type MapView } from './map-option.ts';
import { nameOf } from './registry-data.ts';

// Only what the map draws, so the overview stays light (echarts/core instead of the whole library).
echarts.use([EffectScatterChart, ScatterChart, LinesChart, GeoComponent, TooltipComponent, LegendComponent, CanvasRenderer]);
echarts.registerMap(MAP_NAME, land as unknown as Parameters<typeof echarts.registerMap>[1]);

const reducedMotion = (): boolean =>
  typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * The cluster map: Natural Earth land (cluster-land.geo.json, see SOURCES.md) under ports, port
 * areas, inland ports, bonded zones and sea–rail corridors. Clicking a port (or one of its areas or
 * bonded zones) opens /ports/:id. Test hooks: data-testid="cluster-map" and data-ports, the
 * LOCODEs of the ports placed in the ports series (from the same model the series is built from).
 */
const ClusterMap = ({ data, height = 560 }: { data: ClusterData; height?: number }) => {
  const { t, i18n } = useTranslation();
  const { lang } = usePrefs();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const navigateRef = useRef(navigate);
  const [view, setView] = useState<MapView>('network');
  navigateRef.current = navigate;

  const model = useMemo(() => buildMapModel(data), [data]);
  const placedPorts = model.ports.map((p) => p.locode).join(',');

  useEffect(() => {
    const node = el.current;
    if (node === null) {
      return undefined;
    }
    const instance = echarts.init(node, null, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => {
      const portId = itemOf(params.data)?.portId;
      if (portId !== undefined) {
        void navigateRef.current(`/ports/${encodeURIComponent(portId)}`);
      }
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(node);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(buildMapOption(model, { t, lang, view, motion: !reducedMotion(), fontFamily: token.fontFamily }), {
      notMerge: true,
    });
    // i18n.language: redraw the labels when the language changes
  }, [model, t, lang, view, token.fontFamily, i18n.language]);

  return (
    <div style={{ position: 'relative' }}>
      <div
        ref={el}
        role="img"
        aria-label={t('map.aria')}
        data-testid="cluster-map"
        data-ports={placedPorts}
        style={{ width: '100%', height, borderRadius: token.borderRadius, overflow: 'hidden' }}
      />
      <Segmented<MapView>
        size="small"
        value={view}
        onChange={setView}
        options={[
          { value: 'network', label: t('map.view.network') },
          { value: 'coast', label: t('map.view.coast') },
        ]}
        style={{ position: 'absolute', top: 12, right: 12, boxShadow: token.boxShadowTertiary }}
        data-testid="map-view"
      />
      {model.offMap.length > 0 && (
        <Space size={4} wrap style={{ marginTop: 8 }} data-testid="off-map">
          <Typography.Text type="secondary">{t('map.offMapTitle')}:</Typography.Text>
          {model.offMap.map((o) => (
            <Typography.Text key={o.inland.id}>
              {nameOf(o.inland, lang)}
              <Typography.Text type="secondary">
                {' '}
                ({o.distances.map((d) => `${nameOf(d.port, lang)} ${d.km.toLocaleString(lang)} km`).join(', ')})
              </Typography.Text>
            </Typography.Text>
          ))}
        </Space>
      )}
    </div>
  );
};

export default ClusterMap;
