import { describe, expect, it } from 'vitest';
import { CALLBACK_DATA_MAX_BYTES, renderTelegram, TEXT_MAX } from '../../src/channels/telegram/render-telegram.ts';
import { escapeHtml } from '../../src/domain/escape-html.ts';
import type { Delivery } from '../../src/domain/delivery.ts';
import type { Endpoint } from '../../src/domain/endpoint.ts';
import { buildNotification } from '../../src/notify/build-notification.ts';
import { fixtureBytes, fixtureNamed, fixtures } from '../helpers/fixtures.ts';
import { parseTelegramHtml } from '../fakes/telegram-fake.ts';

const endpoint: Endpoint = { id: 'ab12cd34', token: 't', name: 'signup', owner: { platform: 'telegram', chatId: '1' }, createdAt: 0, mutedUntil: null };

function deliveryOf(body: Buffer, contentType = 'application/json'): Delivery {
  return { id: '01jd3k8q2m000000', endpointId: endpoint.id, receivedAt: 0, method: 'POST', subPath: '/<b>', query: '', headers: [['content-type', contentType]], body: body.toString('base64'), size: body.length, sourceIp: '' };
}

/** What Telegram shows: tags removed, the four named entities decoded. */
function plain(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('renderTelegram', () => {
  it('escapes every untrusted string of the hostile fixture and keeps only its own tags', () => {
    const out = renderTelegram(buildNotification(deliveryOf(fixtureBytes(fixtureNamed('hostile-text'))), endpoint));
    const tags = out.html.match(/<[^>]*>/g) ?? [];
    expect(new Set(tags)).toEqual(new Set(['<b>', '</b>', '<i>', '</i>', '<pre>', '</pre>', '<code class="language-json">', '</code>']));
    expect(plain(out.html)).toMatch(/… truncated: /);
    expect(plain(out.html)).toContain('<script>alert(1)</script>');
    expect(plain(out.html)).toContain('signup · POST /<b>');
  });

  it('puts the preview in a language-json code block under three buttons of at most 64 bytes of data', () => {
    const out = renderTelegram(buildNotification(deliveryOf(Buffer.from('{"a":1}')), endpoint));
    expect(out.html).toContain('<pre><code class="language-json">{\n  &quot;a&quot;: 1\n}</code></pre>');
    expect(out.keyboard?.inline_keyboard[0]?.map((button) => button.text)).toEqual(['Payload', 'Headers', 'Mute 1h']);
    for (const button of out.keyboard!.inline_keyboard.flat()) expect(Buffer.byteLength((button as { callback_data: string }).callback_data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
  });

  it('keeps a long code block within 4096 characters after parsing, with a visible note', () => {
    const content = '<&>'.repeat(3000);
    const out = renderTelegram({ title: 'Payload', code: { language: 'text', content } });
    expect(plain(out.html).length).toBeLessThanOrEqual(TEXT_MAX);
    expect(plain(out.html)).toMatch(/… truncated: [\d,]+ of 9,000 characters shown$/);
  });

  it('sends the whole content as a document when it does not fit and a file is offered', () => {
    const bytes = Buffer.from('x'.repeat(5000));
    const out = renderTelegram({ title: 'Payload of 01', code: { language: 'text', content: bytes.toString() }, attachment: { filename: 'payload-01.txt', contentType: 'text/plain', bytes, when: 'overflow' } });
    expect(out.document?.filename).toBe('payload-01.txt');
    expect(out.document?.bytes.equals(bytes)).toBe(true);
    expect(plain(out.html).length).toBeLessThanOrEqual(1024);
  });

  it.each(fixtures.map((fixture) => [fixture.file, fixture] as const))('renders %s as HTML Telegram accepts, within 4096 characters', (_name, fixture) => {
    const out = renderTelegram(buildNotification(deliveryOf(fixtureBytes(fixture), fixture.headers['content-type']), endpoint));
    const parsed = parseTelegramHtml(out.html, { strictAmpersand: true });
    expect('error' in parsed ? parsed.error : parsed.text.length).toBeLessThanOrEqual(TEXT_MAX);
  });

  it('escapes & before the brackets', () => {
    expect(escapeHtml('<a href="x">&amp;</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('escapes with references Telegram decodes back to the text, apostrophes included', () => {
    const text = `it's <b>"&"</b>`;
    expect(parseTelegramHtml(escapeHtml(text), { strictAmpersand: true })).toEqual({ text, entities: [] });
  });
});
