import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { fromHex } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { slackEvent } from './slack-event.ts';
import { malformedHeader, missingHeader, UNSUPPORTED_VERSION, WRONG_SIGNATURE } from './verdicts.ts';

const HEADER = 'X-Slack-Signature';
const TIMESTAMP_HEADER = 'X-Slack-Request-Timestamp';

/** `X-Slack-Signature: v0=<hex>` of `v0:${timestamp}:${body}` with the app's signing secret. */
export const slack: Provider = {
  id: 'slack',
  name: 'Slack',
  headers: ['x-slack-signature', 'x-slack-request-timestamp'],
  signatureHeaders: [HEADER.toLowerCase()],
  sniff: ({ json }) =>
    (json?.type === 'event_callback' && stringAt(json, 'api_app_id') !== undefined) ||
    (json?.type === 'url_verification' && typeof json.challenge === 'string' && typeof json.token === 'string'),
  describe: slackEvent,
  verify(request, secret, nowMs) {
    const header = request.header(HEADER);
    const timestamp = request.header(TIMESTAMP_HEADER);
    if (header === undefined) return missingHeader(HEADER);
    if (timestamp === undefined) return missingHeader(TIMESTAMP_HEADER);
    if (!UNIX_SECONDS.test(timestamp)) return malformedHeader(TIMESTAMP_HEADER);
    const match = /^(v\d+)=(.*)$/.exec(header);
    if (!match) return malformedHeader(HEADER);
    if (match[1] !== 'v0') return UNSUPPORTED_VERSION;
    const signature = fromHex(match[2] ?? '', 32);
    if (!signature) return malformedHeader(HEADER);
    const expected = hmac('sha256', secret, `v0:${timestamp}:`, request.body);
    return safeEqual(expected, signature) ? checkTimestamp(Number(timestamp), nowMs) : WRONG_SIGNATURE;
  },
};
