/** `hub.challenge` of a `hub.mode=subscribe` request (Meta, WebSub) or Graph's `validationToken`, from the URL. */
export function queryChallenge(url: string): string | undefined {
  const at = url.indexOf('?');
  if (at < 0) return undefined;
  const query = new URLSearchParams(url.slice(at + 1).split('#')[0]);
  const hub = query.get('hub.challenge');
  if (hub !== null && query.get('hub.mode') === 'subscribe') return hub;
  return query.get('validationToken') ?? undefined;
}
