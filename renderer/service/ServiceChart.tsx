import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// The service report's charts (Apache ECharts): counts as bars on the left axis, rates (%) as a
// line on a right axis from 0 to 100. SVG, without animation, so a print catches it whole and
// sharp, as the appraisal trend draws.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface ServiceSeries {
  name: string;
  type: 'bar' | 'line';
  /** A rate in percent (right axis, 0–100); otherwise a count (left axis). */
  percent?: boolean;
  data: (number | null)[];
}

export function ServiceChart({ categories, series, label, height = 280 }: { categories: string[]; series: ServiceSeries[]; label: string; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    const hasPercent = series.some((s) => s.percent);
    chart.setOption({
      animation: false,
      grid: { left: 48, right: hasPercent ? 48 : 16, top: 32, bottom: 48 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
      yAxis: [{ type: 'value', min: 0, minInterval: 1 }, ...(hasPercent ? [{ type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }] : [])],
      series: series.map((s) => ({ type: s.type, name: s.name, data: s.data, yAxisIndex: s.percent ? 1 : 0, connectNulls: false, symbolSize: 6 })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [categories, series]);
  return <div ref={ref} className="service-chart" role="img" aria-label={label} style={{ height }} />;
}
