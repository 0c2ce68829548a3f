import { maskQuery } from './mask-query.ts';

/**
 * A URL as chat may show it: `https://user:pass@host/x?token=abc` -> `https://••••@host/x?token=••••`.
 * Text that is not a URL is returned as it is (it came from the chat that typed it).
 */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  const credentials = url.username || url.password ? '••••@' : '';
  const query = url.search ? `?${maskQuery(url.search.slice(1))}` : '';
  return `${url.protocol}//${credentials}${url.host}${url.pathname}${query}`;
}
