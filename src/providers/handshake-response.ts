import { queryChallenge } from './query-challenge.ts';
import { zoomValidation } from './zoom-validation.ts';
import type { ProviderRequest, Verification } from './provider.ts';

export interface HandshakeResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Longer "challenges" are not echoed: a real one is short, and we do not reflect arbitrary bodies. */
export const CHALLENGE_MAX = 1024;

/**
 * The reply some senders need before they deliver anything; undefined means "answer as usual".
 * The request is still stored and notified like any other. Handled, because setup fails otherwise:
 * - Slack Events API `url_verification`: `{"challenge": …}` back as JSON.
 * - Discord interactions PING (`type: 1`, no `event`): `{"type":1}`; webhook-events PING (`type: 0`): 204.
 *   Discord also sends deliberately bad signatures and expects 401, so an invalid Discord signature gets 401.
 * - Twitch EventSub `webhook_callback_verification`: the challenge as plain text.
 * - monday.com: a body that is exactly `{"challenge": "…"}` is echoed as JSON.
 * - Meta (WhatsApp, Messenger, Instagram) and WebSub `?hub.mode=subscribe&hub.challenge=…`, and
 *   Microsoft Graph `?validationToken=…`: the value as plain text.
 * - Zoom `endpoint.url_validation`: `{plainToken, encryptedToken}`, the token's HMAC under the endpoint's secret.
 * Not handled: Asana (echoes a header), Okta (GET with a header).
 * A request whose signature is invalid gets no handshake: a forged or misconfigured setup should fail visibly.
 */
export function handshakeResponse(request: ProviderRequest, verification: Verification, secret?: string): HandshakeResponse | undefined {
  const discordSigned = request.header('x-signature-ed25519') !== undefined;
  if (verification.status === 'invalid') {
    return discordSigned ? { status: 401, contentType: 'text/plain', body: 'invalid request signature' } : undefined;
  }
  const { json } = request;
  const zoom = zoomValidation(json, secret, CHALLENGE_MAX);
  if (zoom !== undefined) return { status: 200, contentType: 'application/json', body: zoom };
  const challenge = typeof json?.challenge === 'string' && json.challenge.length <= CHALLENGE_MAX ? json.challenge : undefined;
  if (discordSigned && json?.event === undefined) {
    if (json?.type === 1) return { status: 200, contentType: 'application/json', body: '{"type":1}' };
    if (json?.type === 0) return { status: 204, contentType: 'text/plain', body: '' };
  }
  if (challenge !== undefined) {
    if (request.header('twitch-eventsub-message-type') === 'webhook_callback_verification') return text(challenge);
    const onlyChallenge = Object.keys(json ?? {}).length === 1;
    if (json?.type === 'url_verification' || onlyChallenge) return { status: 200, contentType: 'application/json', body: JSON.stringify({ challenge }) };
  }
  const fromQuery = queryChallenge(request.url);
  return fromQuery === undefined || fromQuery.length > CHALLENGE_MAX ? undefined : text(fromQuery);
}

function text(body: string): HandshakeResponse {
  return { status: 200, contentType: 'text/plain; charset=utf-8', body };
}
