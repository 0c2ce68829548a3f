import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { createFieldDescriber } from './create-field-describer.ts';
import { fromHex } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import { recordAt, stringAt } from './json-fields.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { invalid, WRONG_SIGNATURE } from './verdicts.ts';

/** Mailgun signs inside the body: `signature.signature` is hex HMAC-SHA256 of `timestamp + token` with the signing key. */
export const mailgun: Provider = {
  id: 'mailgun',
  name: 'Mailgun',
  headers: [],
  sniff: ({ json }) => stringAt(json, 'signature.token') !== undefined && recordAt(json, 'event-data') !== undefined,
  describe: createFieldDescriber({
    event: ['event-data.event'],
    eventId: ['event-data.id'],
    facts: ['{event-data.recipient}', '{event-data.message.headers.subject}', '{event-data.severity} {event-data.reason}'],
  }),
  verify({ json }, secret, nowMs) {
    const [timestamp, token, value] = ['timestamp', 'token', 'signature'].map((field) => stringAt(json, `signature.${field}`));
    if (timestamp === undefined || token === undefined || value === undefined) return invalid('missing signature fields in the body');
    const signature = fromHex(value, 32);
    if (!signature || !UNIX_SECONDS.test(timestamp)) return invalid('malformed signature fields in the body');
    return safeEqual(hmac('sha256', secret, timestamp, token), signature) ? checkTimestamp(Number(timestamp), nowMs) : WRONG_SIGNATURE;
  },
};
