import { createHash } from 'node:crypto';
import type { ProviderRequest } from './provider.ts';

/**
 * What Twilio signs: the full URL, then for a form every key+value sorted by key (then value).
 * JSON bodies are not signed directly: the URL carries `bodySHA256`, checked here (undefined when it differs).
 */
export function twilioContent(request: ProviderRequest): string | undefined {
  if (request.form) {
    const pairs = [...request.form].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
    return request.url + pairs.map(([key, value]) => key + value).join('');
  }
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const bodyHash = new URLSearchParams(query).get('bodySHA256');
  if (bodyHash !== null && createHash('sha256').update(request.body).digest('hex') !== bodyHash.toLowerCase()) return undefined;
  return request.url;
}
