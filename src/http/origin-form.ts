/** `http://host:port` at the start of an absolute-form request target (RFC 9112 3.2.2). */
const SCHEME_AND_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The request target as a path: `POST http://host/wh/<token>?q HTTP/1.1` (legal, and what a
 * proxy-minded client sends) becomes `/wh/<token>?q`. Only the scheme and authority are cut, so
 * the rest stays byte for byte what was sent; an origin-form target is returned unchanged.
 */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const match = SCHEME_AND_AUTHORITY.exec(target);
  if (!match) return target;
  const rest = target.slice(match[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
