import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import nacl from 'tweetnacl';
import type { ProviderRequest } from '../../../src/providers/provider.ts';
import { providerRequest } from '../../../src/providers/provider-request.ts';
import { fixtureBytes, type Fixture } from '../../helpers/fixtures.ts';

/** The shared fixtures carry two fields the helper's type does not name. */
export type ProviderFixture = Fixture & { eventId?: string; url?: string };

export const DEFAULT_URL = 'https://hooks.example.com/wh/TOKEN';
export const NOW_S = 1_764_000_000;

export function requestOf(headers: Record<string, string>, body: Buffer | string, url = DEFAULT_URL): ProviderRequest {
  return providerRequest({ headers: Object.entries(headers), body: Buffer.from(body), url });
}

export interface FixtureChange {
  headers?: Record<string, string>;
  drop?: string;
  body?: Buffer;
}

/** A fixture as a request, optionally with headers replaced or one dropped, or another body. */
export function fixtureRequest(fixture: ProviderFixture, change: FixtureChange = {}): ProviderRequest {
  const headers = { ...fixture.headers, ...change.headers };
  if (change.drop !== undefined) delete headers[change.drop];
  return requestOf(headers, change.body ?? fixtureBytes(fixture), fixture.url ?? DEFAULT_URL);
}

const hex = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest('hex');

// Requests signed the way each provider without a shared fixture signs them.
export function slackRequest(secret: string, body: string, at = NOW_S): ProviderRequest {
  const headers = { 'content-type': 'application/json', 'x-slack-request-timestamp': String(at), 'x-slack-signature': `v0=${hex(secret, `v0:${at}:${body}`)}` };
  return requestOf(headers, body);
}

export function paddleRequest(secret: string, body: string, at = NOW_S): ProviderRequest {
  return requestOf({ 'content-type': 'application/json', 'paddle-signature': `ts=${at};h1=${hex(secret, `${at}:${body}`)}` }, body);
}

export function linearRequest(secret: string, body: string): ProviderRequest {
  const headers = { 'content-type': 'application/json', 'linear-event': 'Issue', 'linear-delivery': 'd-1', 'linear-signature': hex(secret, body) };
  return requestOf(headers, body);
}

// Discord's own examples sign and verify with tweetnacl: the signature comes from there, not from node:crypto as hookwatch's check does.
const discordKeys = nacl.sign.keyPair();
export const discordPublicKey = Buffer.from(discordKeys.publicKey).toString('hex');

export function discordRequest(body: string, at = NOW_S): ProviderRequest {
  const signature = Buffer.from(nacl.sign.detached(Buffer.from(`${at}${body}`), discordKeys.secretKey)).toString('hex');
  return requestOf({ 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': String(at) }, body);
}

/** Signed with each key by the standardwebhooks package (several while a secret rotates). */
export function standardWebhooksRequest(keys: Buffer[], body: string, at = NOW_S, id = 'msg_1'): ProviderRequest {
  const signatures = keys.map((key) => new Webhook(key, { format: 'raw' }).sign(id, new Date(at * 1000), body));
  return requestOf({ 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signatures.join(' ') }, body);
}
