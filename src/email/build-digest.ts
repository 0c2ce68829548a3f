import type { Delivery, Rejection } from '../domain/delivery.ts';
import { escapeHtml } from '../domain/escape-html.ts';
import { formatZoned, formatZonedHour, periodEndAt } from './digest-period.ts';

export interface EndpointActivity {
  name: string;
  /** Deliveries in the period, oldest first. */
  deliveries: Delivery[];
  rejections: Rejection[];
  /** When the newest delivery before the period arrived (for endpoints that went silent). */
  lastBefore?: number;
  /** Why the endpoint's last notification could not reach the chat, if none went out since. */
  sendError?: { at: number; message: string };
  /** Alerts about the endpoint opened in the period. */
  alerts?: DigestAlert[];
}

export interface DigestAlert {
  /** `stripe silent`, `stripe: invalid signatures`. */
  name: string;
  message: string;
  openedAt: number;
  resolvedAt?: number;
}

export interface DigestInput {
  /** Who the digest is for, e.g. `Slack channel C0123`. */
  chatLabel: string;
  start: number;
  end: number;
  timeZone: string;
  endpoints: EndpointActivity[];
  unsubscribeUrl: string;
  /** A `digest now` preview of a period still running. */
  preview?: boolean;
  /** The chart attached inline (its Content-ID), and what it shows in words. */
  chart?: { cid: string; alt: string };
}

export interface DigestMail {
  subject: string;
  text: string;
  html: string;
}

const RECENT = 5;

interface Summary {
  name: string;
  total: number;
  byEvent: Array<[string, number]>;
  tooLarge: number;
  badSignature: number;
  first?: number;
  last?: number;
  busiest?: { start: number; count: number };
  sendError?: { at: number; message: string };
  recent: Array<{ id: string; at: number; event: string }>;
}

/** `Stripe · payment_intent.succeeded`, else the method and path. */
function eventOf(delivery: Delivery): string {
  const analysis = delivery.analysis;
  const text = analysis?.event ? `${analysis.providerName} · ${analysis.event}` : `${delivery.method} ${delivery.subPath || '/'}`;
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

function summarize(activity: EndpointActivity, timeZone: string): Summary {
  const events = new Map<string, number>();
  const hours = new Map<number, number>();
  for (const delivery of activity.deliveries) {
    const event = eventOf(delivery);
    events.set(event, (events.get(event) ?? 0) + 1);
    const hour = periodEndAt('hourly', delivery.receivedAt, { hour: 0, timeZone });
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
  }
  let busiest: Summary['busiest'];
  for (const [start, count] of hours) if (!busiest || count > busiest.count) busiest = { start, count };
  const times = activity.deliveries.map((delivery) => delivery.receivedAt);
  return {
    name: activity.name,
    total: activity.deliveries.length,
    byEvent: [...events].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    tooLarge: activity.rejections.length,
    badSignature: activity.deliveries.filter((delivery) => delivery.analysis?.signature.status === 'invalid').length,
    ...(times.length > 0 ? { first: Math.min(...times), last: Math.max(...times) } : {}),
    ...(busiest ? { busiest } : {}),
    ...(activity.sendError ? { sendError: activity.sendError } : {}),
    recent: activity.deliveries
      .slice(-RECENT)
      .reverse()
      .map((delivery) => ({ id: delivery.id, at: delivery.receivedAt, event: eventOf(delivery) })),
  };
}

const plural = (count: number, word: string) => `${count} ${count === 1 ? word : word.replace(/y$/, 'ie') + 's'}`;

/** True when the period had deliveries or rejections on any endpoint. */
export function hasActivity(input: Pick<DigestInput, 'endpoints'>): boolean {
  return input.endpoints.some((endpoint) => endpoint.deliveries.length > 0 || endpoint.rejections.length > 0 || (endpoint.alerts?.length ?? 0) > 0);
}

/**
 * The digest mail: plain text and simple HTML (tables, inline styles, no scripts; the chart, when
 * given, as an inline `cid:` image whose words are also in the text), every
 * untrusted string (endpoint names, event types, chat names) escaped in the HTML.
 */
export function buildDigest(input: DigestInput): DigestMail {
  const { timeZone } = input;
  const time = (ms: number) => formatZoned(ms, timeZone);
  const hour = (ms: number) => `${formatZonedHour(ms, timeZone)}–${formatZonedHour(ms + 3_600_000, timeZone)}`;
  const active = input.endpoints.filter((endpoint) => endpoint.deliveries.length > 0 || endpoint.rejections.length > 0).map((endpoint) => summarize(endpoint, timeZone));
  const silent = input.endpoints.filter((endpoint) => endpoint.deliveries.length === 0 && endpoint.rejections.length === 0 && endpoint.lastBefore !== undefined);
  const total = active.reduce((sum, endpoint) => sum + endpoint.total, 0);
  const rejected = active.reduce((sum, endpoint) => sum + endpoint.tooLarge + endpoint.badSignature, 0);
  const range = `${time(input.start)} – ${time(input.end)}`;
  const headline = `${plural(total, 'delivery')}${rejected > 0 ? `, ${rejected} rejected` : ''} on ${plural(active.length, 'endpoint')}`;
  const subject = `${input.preview ? '[preview] ' : ''}hookwatch digest: ${headline}`;

  const text: string[] = [`hookwatch digest for ${input.chatLabel}`, range + (input.preview ? ' (preview: the period is still running)' : ''), '', headline, ''];
  const html: string[] = [
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;margin:0;padding:16px">',
    `<h1 style="font-size:18px;margin:0 0 4px">hookwatch digest for ${escapeHtml(input.chatLabel)}</h1>`,
    `<p style="margin:0 0 12px;color:#555">${escapeHtml(range)}${input.preview ? ' (preview: the period is still running)' : ''}</p>`,
    `<p style="margin:0 0 16px"><strong>${escapeHtml(headline)}</strong></p>`,
  ];
  if (input.chart) {
    text.push(`${input.chart.alt}.`, '');
    html.push(`<p style="margin:0 0 16px"><img src="cid:${escapeHtml(input.chart.cid)}" alt="${escapeHtml(input.chart.alt)}" width="900" height="450" style="max-width:100%;height:auto"></p>`);
  }
  const cell = 'style="padding:4px 8px;border:1px solid #ddd;text-align:left;vertical-align:top"';
  const row = (cells: string[], header = false) => `<tr>${cells.map((c) => (header ? `<th ${cell}>${c}</th>` : `<td ${cell}>${c}</td>`)).join('')}</tr>`;
  const table = (rows: string[]) => `<table cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 12px">${rows.join('')}</table>`;

  for (const endpoint of active) {
    text.push(`== ${endpoint.name} ==`);
    html.push(`<h2 style="font-size:16px;margin:16px 0 6px">${escapeHtml(endpoint.name)}</h2>`);
    const facts: Array<[string, string]> = [['Deliveries', String(endpoint.total)]];
    if (endpoint.tooLarge > 0) facts.push(['Rejected as too large (413)', String(endpoint.tooLarge)]);
    if (endpoint.badSignature > 0) facts.push(['Failed signature check', String(endpoint.badSignature)]);
    if (endpoint.first !== undefined && endpoint.last !== undefined) facts.push(['First', time(endpoint.first)], ['Last', time(endpoint.last)]);
    if (endpoint.busiest) facts.push(['Busiest hour', `${hour(endpoint.busiest.start)} (${endpoint.busiest.count})`]);
    // The chat may never have seen these: the mail is where a bot removed from it can still say so.
    if (endpoint.sendError) facts.push(['Notifications to the chat failed', `${time(endpoint.sendError.at)}: ${endpoint.sendError.message}`]);
    for (const [label, value] of facts) text.push(`${label}: ${value}`);
    html.push(table(facts.map(([label, value]) => row([escapeHtml(label), escapeHtml(value)]))));
    if (endpoint.byEvent.length > 0) {
      text.push('By event:', ...endpoint.byEvent.map(([event, count]) => `  ${count} × ${event}`));
      html.push(table([row(['Event', 'Count'], true), ...endpoint.byEvent.map(([event, count]) => row([escapeHtml(event), String(count)]))]));
    }
    if (endpoint.recent.length > 0) {
      text.push('Most recent:', ...endpoint.recent.map((item) => `  ${item.id}  ${time(item.at)}  ${item.event}`));
      html.push(table([row(['Delivery id', 'Time', 'Event'], true), ...endpoint.recent.map((item) => row([`<code>${escapeHtml(item.id)}</code>`, escapeHtml(time(item.at)), escapeHtml(item.event)]))]));
    }
    text.push('');
  }

  if (silent.length > 0) {
    text.push('Silent in this period:', ...silent.map((endpoint) => `  ${endpoint.name} (last delivery ${time(endpoint.lastBefore!)})`), '');
    html.push(
      '<h2 style="font-size:16px;margin:16px 0 6px">Silent in this period</h2>',
      `<ul>${silent.map((endpoint) => `<li>${escapeHtml(endpoint.name)} (last delivery ${escapeHtml(time(endpoint.lastBefore!))})</li>`).join('')}</ul>`,
    );
  }
  const alerts = input.endpoints.flatMap((endpoint) => endpoint.alerts ?? []).sort((a, b) => a.openedAt - b.openedAt);
  if (alerts.length > 0) {
    const line = (alert: DigestAlert) => `${time(alert.openedAt)}  ${alert.name}: ${alert.message} (${alert.resolvedAt === undefined ? 'still open' : `resolved ${time(alert.resolvedAt)}`})`;
    text.push('Alerts in this period:', ...alerts.map((alert) => `  ${line(alert)}`), '');
    html.push('<h2 style="font-size:16px;margin:16px 0 6px">Alerts in this period</h2>', `<ul>${alerts.map((alert) => `<li>${escapeHtml(line(alert))}</li>`).join('')}</ul>`);
  }
  if (active.length === 0 && silent.length === 0) {
    text.push('No deliveries in this period.', '');
    html.push('<p>No deliveries in this period.</p>');
  }

  text.push('Use "last <endpoint>" and "payload <delivery id>" in the chat for details.', `Unsubscribe: ${input.unsubscribeUrl}`);
  html.push(
    '<p style="margin:16px 0 4px;color:#555">Use <code>last &lt;endpoint&gt;</code> and <code>payload &lt;delivery id&gt;</code> in the chat for details.</p>',
    `<p style="margin:0;color:#555"><a href="${escapeHtml(input.unsubscribeUrl)}">Unsubscribe</a> from these digests.</p>`,
    '</body></html>',
  );
  return { subject, text: text.join('\n'), html: html.join('\n') };
}
