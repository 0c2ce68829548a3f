import { describe, expect, it } from 'vitest';
import { handshakeResponse } from '../../../src/providers/handshake-response.ts';
import type { Verification } from '../../../src/providers/provider.ts';
import { discordRequest, requestOf, slackRequest } from './requests.ts';

const VALID: Verification = { status: 'valid' };
const UNSIGNED: Verification = { status: 'unsigned' };
const INVALID: Verification = { status: 'invalid', reason: 'wrong secret or changed body' };
const json = { 'content-type': 'application/json' };

describe('handshakeResponse', () => {
  it('echoes the Slack url_verification challenge as JSON', () => {
    const request = slackRequest('s', '{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}');
    expect(handshakeResponse(request, VALID)).toEqual({ status: 200, contentType: 'application/json', body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}' });
    expect(handshakeResponse(request, INVALID)).toBeUndefined();
  });

  it('answers Discord interaction and webhook-event PINGs, and 401 to a bad Discord signature', () => {
    expect(handshakeResponse(discordRequest('{"type":1,"application_id":"1"}'), VALID)).toEqual({ status: 200, contentType: 'application/json', body: '{"type":1}' });
    expect(handshakeResponse(discordRequest('{"version":1,"type":0}'), UNSIGNED)).toMatchObject({ status: 204, body: '' });
    expect(handshakeResponse(discordRequest('{"type":1,"event":{"type":"APPLICATION_AUTHORIZED"}}'), VALID)).toBeUndefined();
    expect(handshakeResponse(discordRequest('{"type":1}'), INVALID)).toMatchObject({ status: 401 });
  });

  it('echoes a bare {"challenge"} body (monday.com) and a Twitch EventSub challenge as text', () => {
    expect(handshakeResponse(requestOf(json, '{"challenge":"abc"}'), UNSIGNED)).toEqual({ status: 200, contentType: 'application/json', body: '{"challenge":"abc"}' });
    const twitch = requestOf({ ...json, 'twitch-eventsub-message-type': 'webhook_callback_verification' }, '{"challenge":"pogchamp-kappa","subscription":{}}');
    expect(handshakeResponse(twitch, UNSIGNED)).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'pogchamp-kappa' });
  });

  it('echoes hub.challenge for a subscribe request and a Graph validationToken', () => {
    const meta = requestOf({}, '', 'https://h.example/wh/T?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=x');
    expect(handshakeResponse(meta, UNSIGNED)).toMatchObject({ status: 200, body: '1158201444' });
    expect(handshakeResponse(requestOf({}, '', 'https://h.example/wh/T?validationToken=a%20b'), UNSIGNED)).toMatchObject({ body: 'a b' });
  });

  it('leaves ordinary deliveries and oversized or mixed challenges alone', () => {
    expect(handshakeResponse(requestOf(json, '{"type":"invoice.paid"}'), UNSIGNED)).toBeUndefined();
    expect(handshakeResponse(requestOf(json, '{"challenge":"abc","other":1}'), UNSIGNED)).toBeUndefined();
    expect(handshakeResponse(requestOf(json, JSON.stringify({ challenge: 'x'.repeat(2000) })), UNSIGNED)).toBeUndefined();
    expect(handshakeResponse(requestOf({}, '', 'https://h.example/wh/T?hub.challenge=1'), UNSIGNED)).toBeUndefined();
  });
});
