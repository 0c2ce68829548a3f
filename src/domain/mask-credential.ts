const MASK = '••••';

/** `Bearer sk_live_abc…3f9a` -> `Bearer ••••3f9a`: the scheme and last 4 stay, to tell keys apart. */
export function maskCredential(value: string): string {
  const match = /^(\w+ )(.+)$/.exec(value);
  const [scheme, secret] = match ? [match[1]!, match[2]!] : ['', value];
  return secret.length <= 8 ? `${scheme}${MASK}` : `${scheme}${MASK}${secret.slice(-4)}`;
}
