import { hmac } from './hmac.ts';
import { stringAt } from './json-fields.ts';
import type { JsonObject } from './provider.ts';

/**
 * Zoom's `endpoint.url_validation`: the reply is the `plainToken` and its hex HMAC-SHA256 under the
 * app's secret token, so it can only be answered once that secret is set on the endpoint.
 */
export function zoomValidation(json: JsonObject | undefined, secret: string | undefined, maxChars: number): string | undefined {
  if (json?.event !== 'endpoint.url_validation' || secret === undefined || secret.trim() === '') return undefined;
  const plainToken = stringAt(json, 'payload.plainToken');
  if (plainToken === undefined || plainToken.length > maxChars) return undefined;
  return JSON.stringify({ plainToken, encryptedToken: hmac('sha256', secret.trim(), plainToken).toString('hex') });
}
