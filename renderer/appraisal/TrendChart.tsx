import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// The 12-month trend as a line chart (Apache ECharts). Only the line chart, its grid, legend and
// tooltip and the SVG renderer are bundled; SVG prints as sharply as the text around it, and the
// chart draws without animation so a print or a PDF catches it whole.
echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface TrendSeries {
  name: string;
  values: (number | null)[];
}

export function TrendChart({ periods, series, label, yMax, height = 280, onReady }: { periods: string[]; series: TrendSeries[]; label: string; yMax?: number | undefined; height?: number; onReady?: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 32, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', min: 0, ...(yMax !== undefined ? { max: yMax } : {}) },
      series: series.map((s) => ({ type: 'line', name: s.name, data: s.values, connectNulls: false, symbolSize: 6 })),
    });
    onReady?.();
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [periods, series, yMax, onReady]);
  return <div ref={ref} className="appraisal-chart" role="img" aria-label={label} style={{ height }} />;
}
