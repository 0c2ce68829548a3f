const CREDENTIAL_NAMES = new Set(['authorization', 'cookie', 'proxy-authorization', 'set-cookie']);
const CREDENTIAL_PARTS = /token|secret|key|signature|password/i;
const MASK = '••••';

/** Spec section 2: names that carry credentials. */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_NAMES.has(name.toLowerCase()) || CREDENTIAL_PARTS.test(name);
}

/** `Bearer sk_live_abc…3f9a` -> `Bearer ••••3f9a`: the scheme and last 4 stay, to tell keys apart. */
export function maskCredential(value: string): string {
  const match = /^(\w+ )(.+)$/.exec(value);
  const [scheme, secret] = match ? [match[1]!, match[2]!] : ['', value];
  return secret.length <= 8 ? `${scheme}${MASK}` : `${scheme}${MASK}${secret.slice(-4)}`;
}
