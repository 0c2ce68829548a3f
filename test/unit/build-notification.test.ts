import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/domain/delivery.ts';
import type { Endpoint } from '../../src/domain/endpoint.ts';
import { truncationNote } from '../../src/domain/truncate.ts';
import { buildNotification, PREVIEW_MAX_CHARS } from '../../src/notify/build-notification.ts';
import { fixtureBytes, fixtureNamed } from '../helpers/fixtures.ts';

const endpoint: Endpoint = { id: 'ab12cd34', token: 't', name: 'stripe', owner: { platform: 'test', chatId: 'c' }, createdAt: 0, mutedUntil: null };

function delivery(body: Buffer | string, contentType?: string, extra: Partial<Delivery> = {}): Delivery {
  const bytes = Buffer.from(body);
  return {
    id: '01jd3k8q2m000000',
    endpointId: endpoint.id,
    receivedAt: Date.UTC(2026, 10, 26, 16, 44, 33),
    method: 'POST',
    subPath: '',
    query: '',
    headers: contentType ? [['Content-Type', contentType]] : [],
    body: bytes.toString('base64'),
    size: bytes.length,
    sourceIp: '127.0.0.1',
    ...extra,
  };
}

describe('buildNotification', () => {
  it('names the endpoint, method, path, time, size, type and id, with the three buttons', () => {
    const message = buildNotification(delivery('{"a":1}', 'application/json', { subPath: '/events', query: 'x=1' }), endpoint);
    expect(message.title).toBe('stripe · POST /events');
    expect(message.fields).toEqual([
      { label: 'Received', value: '2026-11-26 16:44:33 UTC' },
      { label: 'Size', value: '7 B' },
      { label: 'Content type', value: 'application/json' },
      { label: 'Delivery', value: '01jd3k8q2m000000' },
      { label: 'Query', value: 'x=1' },
    ]);
    expect(message.code).toEqual({ language: 'json', content: '{\n  "a": 1\n}' });
    expect(message.buttons?.map((button) => [button.label, button.action.command, ...button.action.args])).toEqual([
      ['Payload', 'payload', '01jd3k8q2m000000'],
      ['Headers', 'headers', '01jd3k8q2m000000'],
      ['Mute 1h', 'mute', 'id:ab12cd34', '1h'],
    ]);
  });

  it('truncates a long preview visibly', () => {
    const big = JSON.stringify({ items: Array.from({ length: 500 }, (_, i) => ({ i })) });
    const { code } = buildNotification(delivery(big, 'application/json'), endpoint);
    expect(code!.content.length).toBeLessThanOrEqual(PREVIEW_MAX_CHARS);
    expect(truncationNote(code!)).toMatch(/^… truncated: [\d,]+ of [\d,]+ characters shown$/);
  });

  it('flags malformed JSON and shows it as text', () => {
    const fixture = fixtureNamed('malformed-json');
    const message = buildNotification(delivery(fixtureBytes(fixture), 'application/json'), endpoint);
    expect(message.lines).toEqual(['Not valid JSON: shown as text.']);
    expect(message.code).toEqual({ language: 'text', content: fixture.body });
  });

  it('shows form bodies as fields', () => {
    const message = buildNotification(delivery(fixtureBytes(fixtureNamed('twilio')), 'application/x-www-form-urlencoded'), endpoint);
    expect(message.code).toBeUndefined();
    expect(message.fields?.map((field) => field.label)).toContain('Body');
  });

  it('shows binary as its size only', () => {
    const message = buildNotification(delivery(fixtureBytes(fixtureNamed('binary')), 'application/octet-stream'), endpoint);
    expect(message.code).toBeUndefined();
    expect(message.lines).toEqual(['Binary body: 64 B. Use Payload to download it.']);
  });

  it('never splits an emoji when cutting', () => {
    const { code } = buildNotification(delivery('🔥'.repeat(2000), 'text/plain'), endpoint);
    expect(code!.content.endsWith('🔥')).toBe(true);
  });

  it('previews 5,000 nested arrays (10 KB of valid JSON) as its first lines, with the whole length', () => {
    const { code } = buildNotification(delivery('['.repeat(5000) + ']'.repeat(5000), 'application/json'), endpoint);
    expect(code!.content.startsWith('[\n  [\n    [')).toBe(true);
    expect(code!.content.length).toBeLessThanOrEqual(PREVIEW_MAX_CHARS);
    expect(truncationNote(code!)).toMatch(/of 50,000,000 characters shown$/);
  });

  it('says a signed delivery without a secret to check it is signed, not verified, and how to set one', () => {
    const signed = delivery('{}', 'application/json', {
      analysis: { provider: 'stripe', providerName: 'Stripe', event: 'charge.succeeded', signature: { status: 'unverified' } },
    });
    expect(buildNotification(signed, endpoint).lines?.[0]).toBe('Stripe · charge.succeeded · signed, not verified: set a secret with "secret stripe <secret>"');
  });
});
