import { fromHex } from './decode-signature.ts';
import { formPayload } from './form-payload.ts';
import { githubSummary } from './github-summary.ts';
import { hmac } from './hmac.ts';
import type { Provider } from './provider.ts';
import { safeEqual } from './safe-equal.ts';
import { malformedHeader, missingHeader, UNSUPPORTED_VERSION, VALID, WRONG_SIGNATURE } from './verdicts.ts';

const HEADER = 'X-Hub-Signature-256';

/** `X-Hub-Signature-256: sha256=<hex>` of the body; GitHub signs nothing else, so there is no replay window. */
export const github: Provider = {
  id: 'github',
  name: 'GitHub',
  headers: ['x-github-event', 'x-github-delivery', 'x-hub-signature-256'],
  signatureHeaders: ['x-hub-signature-256', 'x-hub-signature'],
  describe(request) {
    const event = request.header('x-github-event');
    return { event, eventId: request.header('x-github-delivery'), summary: githubSummary(event, request.json ?? formPayload(request)) };
  },
  verify(request, secret) {
    const header = request.header(HEADER);
    // Only the legacy SHA-1 `X-Hub-Signature` arrives from very old GitHub Enterprise servers.
    if (header === undefined) return request.header('x-hub-signature') === undefined ? missingHeader(HEADER) : UNSUPPORTED_VERSION;
    const match = /^(\w+)=(.*)$/.exec(header);
    if (!match) return malformedHeader(HEADER);
    if (match[1] !== 'sha256') return UNSUPPORTED_VERSION;
    const signature = fromHex(match[2] ?? '', 32);
    if (!signature) return malformedHeader(HEADER);
    return safeEqual(hmac('sha256', secret, request.body), signature) ? VALID : WRONG_SIGNATURE;
  },
};
