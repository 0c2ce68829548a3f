import { checkTimestamp } from './check-timestamp.ts';
import { fromHex } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { firstString, numberAt, stringAt } from './json-fields.ts';
import { oneLine } from './one-line.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, VALID, WRONG_SIGNATURE } from './verdicts.ts';

const HEADER = 'Linear-Signature';

/** `Linear-Signature`: hex HMAC-SHA256 of the body; the signed body's `webhookTimestamp` (ms) bounds replays. */
export const linear: Provider = {
  id: 'linear',
  name: 'Linear',
  headers: ['linear-signature', 'linear-event', 'linear-delivery'],
  signatureHeaders: [HEADER.toLowerCase()],
  sniff: ({ json }) => numberAt(json, 'webhookTimestamp') !== undefined && stringAt(json, 'organizationId') !== undefined,
  describe(request) {
    const { json } = request;
    const type = stringAt(json, 'type') ?? request.header('linear-event');
    const action = stringAt(json, 'action');
    const title = firstString(json, ['data.title', 'data.name', 'data.body']);
    const summary = [stringAt(json, 'data.identifier'), title === undefined ? undefined : oneLine(title, 100)].filter(Boolean).join(' ');
    return { event: type && action ? `${type}.${action}` : type, eventId: request.header('linear-delivery'), summary: summary || undefined };
  },
  verify(request, secret, nowMs) {
    const header = request.header(HEADER);
    if (header === undefined) return missingHeader(HEADER);
    const signature = fromHex(header.trim(), 32);
    if (!signature) return malformedHeader(HEADER);
    if (!safeEqual(hmac('sha256', secret, request.body), signature)) return WRONG_SIGNATURE;
    const sentAt = numberAt(request.json, 'webhookTimestamp');
    return sentAt === undefined ? VALID : checkTimestamp(sentAt / 1000, nowMs);
  },
};
