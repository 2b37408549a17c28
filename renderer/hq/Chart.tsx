import { useEffect, useRef } from 'react';
// ECharts: only the pieces used (bar + line, grid, tooltip, legend, canvas).
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use, type EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface ChartSeries {
  name: string;
  type: 'bar' | 'line';
  data: number[];
}

export function Chart({ categories, series, height = 280, label }: { categories: string[]; series: ChartSeries[]; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    chart.current = init(ref.current, undefined, { renderer: 'canvas' });
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(
      {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 60, right: 20, top: 30, bottom: 30 },
        xAxis: { type: 'category', data: categories },
        yAxis: { type: 'value' },
        series: series.map((s) => ({ ...s, smooth: s.type === 'line' })),
        animation: false,
      },
      true,
    );
  }, [categories, series]);
  return <div ref={ref} className="hq-chart" role="img" aria-label={label} style={{ height }} />;
}
