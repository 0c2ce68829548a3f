import { describe, expect, it } from 'vitest';
import { buildAlertMessage } from '../../src/alerts/build-alert-message.ts';
import { renderText } from '../../src/channels/console/render-text.ts';
import { renderDiscord } from '../../src/channels/discord/render-discord.ts';
import { renderSlack } from '../../src/channels/slack/render-slack.ts';
import { renderTelegram } from '../../src/channels/telegram/render-telegram.ts';
import type { Alert } from '../../src/domain/alert.ts';

const OPENED = Date.parse('2026-11-26T10:26:00Z');
/** A learned silence of an event type a stranger named: the label reaches the title. */
const alert: Alert = {
  id: '01m8bk3a10befe84',
  kind: 'silence',
  subject: { type: 'endpoint', id: 'ab12cd34', event: '<b>@everyone</b> <!channel> *x*' },
  subjectName: 'billing',
  chat: { platform: 'test', chatId: '1' },
  since: OPENED - 40 * 60_000,
  openedAt: OPENED,
  message: 'Usually within 30m (learned from 12 deliveries); last delivery 2026-11-26 09:46:00 UTC',
  count: 1,
  toldAt: OPENED,
};
const opened = buildAlertMessage(alert, 'opened', OPENED + 60_000);
const reminder = buildAlertMessage({ ...alert, remindedAt: OPENED + 86_400_000 }, 'reminder', OPENED + 86_400_000);
const resolved = buildAlertMessage({ ...alert, resolvedAt: OPENED + 3_600_000, resolution: 'delivery 01m8bq1n0093h51a' }, 'resolved', OPENED + 3_600_000);

describe('alert messages on every platform', () => {
  it('say what is silent, since when, and how long it lasted when it ends', () => {
    expect(opened.title).toBe('billing: no <b>@everyone</b> <!channel> *x* for 41m');
    expect(reminder.title).toBe('Still: billing: no <b>@everyone</b> <!channel> *x* for 1d 40m');
    expect(resolved).toMatchObject({ title: 'billing back after 1h 40m', tone: 'success', lines: ['Resolved by delivery 01m8bq1n0093h51a.'] });
    expect(resolved.buttons).toBeUndefined();
  });

  it('on Telegram: an icon per tone, the label escaped, and Acknowledge as the first button', () => {
    const out = renderTelegram(opened);
    expect(out.html.split('\n')[0]).toBe('<b>⛔ billing: no &lt;b&gt;@everyone&lt;/b&gt; &lt;!channel&gt; *x* for 41m</b>');
    expect(out.keyboard?.inline_keyboard[0]?.[0]).toEqual({ text: 'Acknowledge', callback_data: 'ack 01m8bk3a10befe84' });
    expect(renderTelegram(reminder).html).toMatch(/^<b>⚠️ Still: /);
    expect(renderTelegram(resolved).keyboard).toBeUndefined();
  });

  it('on Slack: the title in a plain-text header, a primary Acknowledge button, no mention in mrkdwn', () => {
    const out = renderSlack(opened);
    expect(out.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: '⛔ billing: no <b>@everyone</b> <!channel> *x* for 41m' } });
    expect(out.text).toBe('billing: no &lt;b&gt;@everyone&lt;/b&gt; &lt;!channel&gt; *x* for 41m');
    expect(out.blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ text: { text: 'Acknowledge' }, value: 'ack 01m8bk3a10befe84', style: 'primary' }, { value: 'last ab12cd34' }] });
  });

  it('on Discord: a red embed, then amber for reminders and green when resolved, nobody pinged', () => {
    const out = renderDiscord(opened);
    expect(out.embeds[0]).toMatchObject({ title: 'billing: no <b>@everyone</b> <!channel> \\*x\\* for 41m', color: 0xef4444, timestamp: '2026-11-26T10:26:00.000Z' });
    expect(out.allowedMentions).toEqual({ parse: [] });
    expect(out.components[0]?.components[0]).toMatchObject({ custom_id: 'ack 01m8bk3a10befe84', label: 'Acknowledge' });
    expect(renderDiscord(reminder).embeds[0]?.color).toBe(0xf59e0b);
    expect(renderDiscord(resolved).embeds[0]?.color).toBe(0x22c55e);
  });

  it('on the console: the button as the command it runs', () => {
    expect(renderText(opened, (name, args) => [name, ...args].join(' '))).toContain('[Acknowledge: ack 01m8bk3a10befe84]  [Last deliveries: last ab12cd34]');
  });
});
