import { checkTimestamp, UNIX_SECONDS } from './check-timestamp.ts';
import { fromHex } from './decode-signature.ts';
import { discordEvent } from './discord-event.ts';
import { ed25519Verify } from './ed25519-verify.ts';
import type { Provider } from './provider.ts';
import { malformedHeader, missingHeader, WRONG_SIGNATURE } from './verdicts.ts';

const HEADER = 'X-Signature-Ed25519';
const TIMESTAMP_HEADER = 'X-Signature-Timestamp';

/**
 * Discord interactions and webhook events: Ed25519 over `${timestamp}${body}`. The "secret" is the
 * application's public key (hex) from the developer portal, so nothing secret is stored for Discord.
 */
export const discord: Provider = {
  id: 'discord',
  name: 'Discord',
  headers: ['x-signature-ed25519', 'x-signature-timestamp'],
  signatureHeaders: [HEADER.toLowerCase()],
  describe: ({ json }) => discordEvent(json),
  verify(request, publicKey, nowMs) {
    const header = request.header(HEADER);
    const timestamp = request.header(TIMESTAMP_HEADER);
    if (header === undefined) return missingHeader(HEADER);
    if (timestamp === undefined) return missingHeader(TIMESTAMP_HEADER);
    if (!UNIX_SECONDS.test(timestamp)) return malformedHeader(TIMESTAMP_HEADER);
    const signature = fromHex(header.trim(), 64);
    if (!signature) return malformedHeader(HEADER);
    const result = ed25519Verify(publicKey, signature, Buffer.from(timestamp), request.body);
    if (result !== true) return result === false ? WRONG_SIGNATURE : result;
    return checkTimestamp(Number(timestamp), nowMs);
  },
};
