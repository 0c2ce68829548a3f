import { fromBase64 } from './decode-signature.ts';
import { hmac } from './hmac.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { twilioContent } from './twilio-content.ts';
import { twilioEvent } from './twilio-event.ts';
import { invalid, malformedHeader, missingHeader, VALID } from './verdicts.ts';

const HEADER = 'X-Twilio-Signature';

/** `X-Twilio-Signature`: base64 HMAC-SHA1, keyed with the auth token, of the URL plus the sorted form. */
export const twilio: Provider = {
  id: 'twilio',
  name: 'Twilio',
  headers: ['x-twilio-signature'],
  signatureHeaders: [HEADER.toLowerCase()],
  sniff: ({ form }) => /^AC/.test(form?.get('AccountSid') ?? '') && ['MessageSid', 'SmsSid', 'CallSid'].some((key) => form?.has(key)),
  describe: (request) => twilioEvent(request.form),
  verify(request, secret) {
    const header = request.header(HEADER);
    if (header === undefined) return missingHeader(HEADER);
    const signature = fromBase64(header.trim(), 20);
    if (!signature) return malformedHeader(HEADER);
    const content = twilioContent(request);
    if (content === undefined) return invalid('body does not match its bodySHA256');
    // The URL is signed too: a PUBLIC_URL that differs from what Twilio calls fails here.
    return safeEqual(hmac('sha1', secret, content), signature) ? VALID : invalid('wrong auth token, changed body or different URL');
  },
};
