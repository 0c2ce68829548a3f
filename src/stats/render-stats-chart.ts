import { createRequire } from 'node:module';
import type { Stats } from './collect-stats.ts';

export const CHART_WIDTH = 900;
export const CHART_HEIGHT = 450;
const FONT = 'Arimo';
/** Event types are a sender's text: long ones are cut so the legend stays within the picture. */
const LEGEND_LABEL_MAX = 40;

export interface StatsChart {
  svg: string;
  png: Buffer;
}

const require = createRequire(import.meta.url);
/** Arimo has Arial's metrics, which ECharts measures text with; with no font loaded resvg draws no text at all. */
const fontFiles = () => ['400Regular/Arimo_400Regular.ttf', '700Bold/Arimo_700Bold.ttf'].map((file) => require.resolve(`@expo-google-fonts/arimo/${file}`));

/**
 * Deliveries over time, stacked by event type, as SVG (ECharts' server-side renderer) and PNG
 * (resvg), without a browser. The libraries load on the first chart, so start-up does not pay for them.
 */
export async function renderStatsChart(title: string, labels: string[], stats: Stats): Promise<StatsChart> {
  const [echarts, { Resvg }] = await Promise.all([import('echarts'), import('@resvg/resvg-js')]);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: FONT },
      title: { text: title, left: 'center', top: 10 },
      legend: { top: 42, type: 'plain', formatter: (name: string) => (name.length > LEGEND_LABEL_MAX ? `${name.slice(0, LEGEND_LABEL_MAX - 1)}…` : name) },
      // Room for two rows of legend.
      grid: { top: 105, left: 50, right: 30, bottom: 40 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', minInterval: 1 },
      series: stats.byEvent.map(({ event }) => ({ name: event, type: 'bar', stack: 'deliveries', data: stats.perBucket.map((bucket) => bucket[event] ?? 0) })),
    });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, { background: 'white', font: { loadSystemFonts: false, defaultFontFamily: FONT, fontFiles: fontFiles() } }).render().asPng();
    return { svg, png };
  } finally {
    chart.dispose();
  }
}
