import { describe, expect, it } from 'vitest';
import { deliveryInput } from '../../../src/providers/delivery-input.ts';
import { detectProvider } from '../../../src/providers/detect-provider.ts';
import type { Provider } from '../../../src/providers/provider.ts';
import { providerRequest } from '../../../src/providers/provider-request.ts';
import { requestOf } from './requests.ts';

const json = { 'content-type': 'application/json' };
const stripeShaped = JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.refunded' });

describe('detectProvider', () => {
  it('trusts headers over body shapes', () => {
    expect(detectProvider(requestOf({ ...json, 'webhook-id': 'msg_9', 'webhook-timestamp': '1' }, stripeShaped))).toMatchObject({ provider: 'standard-webhooks', eventId: 'msg_9' });
  });

  it('recognises forwarded deliveries by their body alone', () => {
    expect(detectProvider(requestOf(json, stripeShaped))).toMatchObject({ provider: 'stripe', event: 'charge.refunded', eventId: 'evt_1' });
    expect(detectProvider(requestOf(json, '{"object_kind":"pipeline","project":{}}'))).toMatchObject({ provider: 'gitlab', event: 'pipeline' });
    const sms = 'AccountSid=AC1&MessageSid=SM9&SmsStatus=received&From=%2B1&Body=hi';
    expect(detectProvider(requestOf({ 'content-type': 'application/x-www-form-urlencoded' }, sms))).toMatchObject({ provider: 'twilio', event: 'sms.received', eventId: 'SM9' });
  });

  it('names Slack slash commands and interactivity payloads, which arrive as forms', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-signature': 'v0=x', 'x-slack-request-timestamp': '1' };
    expect(detectProvider(requestOf(form, 'command=%2Fhook&text=new+stripe&user_name=jane'))).toMatchObject({ event: 'slash_command', summary: '/hook new stripe by jane' });
    expect(detectProvider(requestOf(form, `payload=${encodeURIComponent('{"type":"block_actions","user":{"name":"jane"}}')}`))).toMatchObject({ event: 'block_actions', summary: 'by jane' });
  });

  it('falls back to type, event, event_type or action, and to nothing for arrays, text and forms', () => {
    expect(detectProvider(requestOf(json, '{"action":"created"}'))).toEqual({ provider: 'generic', providerName: 'Generic', event: 'created' });
    expect(detectProvider(requestOf(json, '[{"type":"a"}]'))).toBeUndefined();
    expect(detectProvider(requestOf({ 'content-type': 'text/plain' }, 'type=a'))).toBeUndefined();
    expect(detectProvider(requestOf({}, ''))).toBeUndefined();
  });

  it('reads header names in any case and keeps sender values on one bounded line', () => {
    const detection = detectProvider(requestOf({ 'X-GitHub-Event': `push\n${'x'.repeat(300)}`, 'X-GitHub-Delivery': 'd1' }, '{}'));
    expect(detection).toMatchObject({ provider: 'github', eventId: 'd1' });
    expect(detection?.event).toMatch(/^push x+…$/);
    expect(detection?.event).toHaveLength(100);
  });

  it('takes a provider list, so a new provider is one more entry', () => {
    const acme: Provider = { id: 'acme', name: 'Acme', headers: ['x-acme-event'], describe: (request) => ({ event: request.header('x-acme-event') }) };
    expect(detectProvider(requestOf({ 'x-acme-event': 'boom' }, ''), [acme])).toEqual({ provider: 'acme', providerName: 'Acme', event: 'boom' });
  });
});

describe('deliveryInput', () => {
  it('rebuilds the URL the sender called from the endpoint URL, sub-path and query', () => {
    const delivery = { id: 'd', endpointId: 'e', receivedAt: 0, method: 'POST', subPath: '/sms', query: 'a=1', headers: [['X-A', 'b']] as Array<[string, string]>, body: Buffer.from('hi').toString('base64'), size: 2, sourceIp: '::1' };
    const input = deliveryInput(delivery, 'https://hooks.example.com/wh/TOKEN');
    expect(input.url).toBe('https://hooks.example.com/wh/TOKEN/sms?a=1');
    expect(providerRequest(input).header('x-a')).toBe('b');
    expect(input.body.toString()).toBe('hi');
  });
});
