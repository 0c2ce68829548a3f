import { maskQuery } from '../domain/mask-query.ts';

/** A watched URL as chat shows it: credential-looking query values (`api_key=`, `token=`) masked. */
export function shownUrl(url: string): string {
  const parsed = new URL(url);
  const query = parsed.search.slice(1);
  return query ? `${parsed.origin}${parsed.pathname}?${maskQuery(query)}` : `${parsed.origin}${parsed.pathname}`;
}
