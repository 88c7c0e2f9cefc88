import { theme } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ChannelBar } from './model.ts';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Grouped bars: declarations per channel under the rules they got vs under the draft. */
export const DryRunChart = ({
  bars,
  channelLabel,
  currentLabel,
  draftLabel,
}: {
  bars: ChannelBar[];
  channelLabel: (c: string) => string;
  currentLabel: string;
  draftLabel: string;
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
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, data: [currentLabel, draftLabel] },
        grid: { left: 48, right: 16, top: 36, bottom: 48 },
        xAxis: { type: 'category', data: bars.map((b) => channelLabel(b.channel)), axisLabel: { interval: 0 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            name: currentLabel,
            type: 'bar',
            data: bars.map((b) => b.current),
            itemStyle: { color: token.colorTextQuaternary },
            label: { show: true, position: 'top' },
          },
          {
            name: draftLabel,
            type: 'bar',
            data: bars.map((b) => b.draft),
            itemStyle: { color: token.colorPrimary },
            label: { show: true, position: 'top' },
          },
        ],
      },
      true,
    );
  }, [bars, channelLabel, currentLabel, draftLabel, token]);

  return <div ref={el} style={{ width: '100%', height: 300 }} data-testid="dry-run-chart" />;
};
