import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/domain/delivery.ts';
import { collectStats, MAX_EVENT_TYPES, OTHER_EVENTS } from '../../../src/stats/collect-stats.ts';
import { CHART_HEIGHT, CHART_WIDTH, renderStatsChart } from '../../../src/stats/render-stats-chart.ts';
import { bucketLabels, statsWindow } from '../../../src/stats/stats-window.ts';
import { pngHeader } from '../../helpers/png-header.ts';

const NOW = Date.parse('2026-11-20T10:30:00Z');
const MINUTE = 60_000;

function delivery(minutesAgo: number, event: string, size = 100, signature: 'valid' | 'invalid' = 'valid'): Delivery {
  return {
    id: `d${minutesAgo}`, endpointId: 'e', receivedAt: NOW - minutesAgo * MINUTE, method: 'POST', subPath: '', query: '', headers: [], body: '', size, sourceIp: '',
    analysis: { provider: 'stripe', providerName: 'Stripe', event, signature: { status: signature } },
  };
}
const oldestFirst = (deliveries: Delivery[]) => [...deliveries].sort((a, b) => a.receivedAt - b.receivedAt);

describe('stats', () => {
  it('cuts 24h into whole UTC hours and 7d into days, the last one holding now', () => {
    const hours = statsWindow('24h', NOW);
    expect([new Date(hours.start).toISOString(), new Date(hours.end).toISOString()]).toEqual(['2026-11-19T11:00:00.000Z', '2026-11-20T11:00:00.000Z']);
    expect(bucketLabels(hours).slice(0, 2)).toEqual(['11:00', '12:00']);
    expect(bucketLabels(statsWindow('7d', NOW))).toEqual(['11-14', '11-15', '11-16', '11-17', '11-18', '11-19', '11-20']);
  });

  it('counts by event type and hour, invalid signatures, rejections, sizes and the typical gap', () => {
    const window = statsWindow('24h', NOW);
    const deliveries = oldestFirst([delivery(0, 'invoice.paid', 300), delivery(10, 'invoice.paid', 100), delivery(20, 'charge.refunded', 200, 'invalid'), delivery(90, 'invoice.paid', 5000)]);
    const stats = collectStats(window, deliveries, [{ at: NOW, reason: 'too-large', size: 9_999_999 }]);
    expect(stats).toMatchObject({ total: 4, rejected: 1, invalidSignatures: 1, sizeP50: 200, sizeMax: 5000, typicalGapMs: 10 * MINUTE });
    expect(stats.byEvent).toEqual([{ event: 'invoice.paid', count: 3 }, { event: 'charge.refunded', count: 1 }]);
    expect(stats.perBucket[23]).toEqual({ 'invoice.paid': 2, 'charge.refunded': 1 });
    expect(stats.perBucket[22]).toEqual({ 'invoice.paid': 1 });
  });

  it(`keeps ${MAX_EVENT_TYPES - 1} event types and sums the rest as "${OTHER_EVENTS}"`, () => {
    const deliveries = oldestFirst(Array.from({ length: 12 }, (_, i) => delivery(i, `type.${String(i).padStart(2, '0')}`)));
    const stats = collectStats(statsWindow('24h', NOW), deliveries, []);
    expect(stats.byEvent).toHaveLength(MAX_EVENT_TYPES);
    expect(stats.byEvent.at(-1)).toEqual({ event: OTHER_EVENTS, count: 12 - (MAX_EVENT_TYPES - 1) });
  });

  it('draws a real PNG of the chart size, titled, with a legend entry per event type', async () => {
    const window = statsWindow('24h', NOW);
    const stats = collectStats(window, oldestFirst([delivery(5, 'invoice.paid'), delivery(65, 'charge.refunded')]), []);
    const chart = await renderStatsChart('Deliveries per hour (UTC), stripe, last 24h', bucketLabels(window), stats);
    expect(chart.svg).toContain('>Deliveries per hour (UTC), stripe, last 24h</text>');
    expect(chart.svg).toContain('>charge.refunded</text>');
    expect(pngHeader(chart.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
    expect(chart.png.length).toBeGreaterThan(5_000);
    expect(chart.png.length).toBeLessThan(200_000);
  });

  it('draws a sender\'s markup in an event type as text and cuts a long one in the legend', async () => {
    const window = statsWindow('24h', NOW);
    const hostile = `<b>&"x</b>${'y'.repeat(100)}`;
    const chart = await renderStatsChart('t', bucketLabels(window), collectStats(window, [delivery(5, hostile)], []));
    expect(chart.svg).not.toContain('<b>');
    expect(chart.svg).toContain(`>&lt;b&gt;&amp;&quot;x&lt;/b&gt;${'y'.repeat(29)}…</text>`);
    expect(pngHeader(chart.png)).toEqual({ width: CHART_WIDTH, height: CHART_HEIGHT });
  });
});
