import { theme } from 'antd';
import { CustomChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from 'echarts';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { formatDateTime } from '../../lib/format.ts';
import type { Lang } from '../../lib/prefs.ts';
import type { GanttRows } from './gantt.ts';

echarts.use([CustomChart, GridComponent, TooltipComponent, DataZoomComponent, CanvasRenderer]);

/** Closures are drawn in grey under the ships' colour. */
const closureColor = '#8c8c8c';

/** A berth × time chart: one row per berth, one bar per ship window (ECharts custom series). */
const BerthGantt = ({
  rows,
  lang,
  timeZone,
  color,
  testId,
}: {
  rows: GanttRows;
  lang: Lang;
  timeZone: string;
  color: string;
  testId: string;
}) => {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { token } = theme.useToken();

  useEffect(() => {
    const node = el.current;
    if (node === null) {
      return undefined;
    }
    const instance = echarts.init(node, null, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(node);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const renderItem = (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
      const row = Number(api.value(0));
      const start = api.coord([api.value(1), row]);
      const end = api.coord([api.value(2), row]);
      const size = api.size?.([0, 1]) as number[] | undefined;
      const height = (size?.[1] ?? 20) * 0.6;
      const x = start[0] ?? 0;
      const width = Math.max(2, (end[0] ?? 0) - x);
      return {
        type: 'group',
        children: [
          {
            type: 'rect',
            shape: { x, y: (start[1] ?? 0) - height / 2, width, height, r: 3 },
            style: { fill: api.value(4) === 'closure' ? closureColor : color, opacity: api.value(4) === 'closure' ? 0.55 : 0.85 },
          },
          {
            type: 'text',
            style: {
              text: String(api.value(3)),
              x: x + 4,
              y: (start[1] ?? 0) - 6,
              fill: '#fff',
              fontSize: 11,
              width: width - 6,
              overflow: 'truncate',
            },
          },
        ],
      };
    };
    chart.current?.setOption(
      {
        textStyle: { fontFamily: token.fontFamily },
        grid: { left: 90, right: 16, top: 8, bottom: 56 },
        tooltip: {
          formatter: (p: unknown) => {
            const v = (p as { value: [number, number, number, string] }).value;
            return `${v[3]}<br/>${formatDateTime(new Date(v[1]), lang, timeZone)} → ${formatDateTime(new Date(v[2]), lang, timeZone)}`;
          },
        },
        dataZoom: [{ type: 'slider', xAxisIndex: 0, height: 18, bottom: 8 }],
        xAxis: {
          type: 'time',
          min: rows.from,
          max: rows.to,
          axisLabel: { formatter: (v: number) => formatDateTime(new Date(v), lang, timeZone).replace(/:\d\d$/, '') },
        },
        yAxis: { type: 'category', data: rows.berths, inverse: true },
        series: [
          {
            type: 'custom',
            renderItem,
            encode: { x: [1, 2], y: 0 },
            data: rows.bars.map((b) => ({ value: [b.berthIndex, b.start, b.end, b.label, b.kind] })),
          },
        ],
      },
      { notMerge: true },
    );
  }, [rows, lang, timeZone, color, token.fontFamily]);

  return (
    <div
      ref={el}
      data-testid={testId}
      data-bars={rows.bars.filter((b) => b.kind === 'ship').length}
      style={{ width: '100%', height: Math.max(160, rows.berths.length * 34 + 70) }}
    />
  );
};

export default BerthGantt;
