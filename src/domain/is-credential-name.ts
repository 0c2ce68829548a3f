/**
 * Parts of a header or query parameter name that say its value opens something: `Authorization`,
 * `X-Shopify-Hmac-Sha256`, `Stripe-Signature`, `X-Api-Key`, `Cookie`, `?access_token=`,
 * `X-Amz-Credential`. `auth` but not `author`/`authority`, which name people and hosts.
 */
const CREDENTIAL_PARTS = /auth(?!or(?!i[sz]))|token|secret|key|signature|hmac|password|passwd|pwd|session|cookie|credential|jwt/i;
/** Short words that are credentials only as a whole part of the name (`sig`, not `signal`). */
const CREDENTIAL_WORDS = /(?:^|[^a-z0-9])(sig|pass|pw)(?:$|[^a-z0-9])/i;

/**
 * The one rule (spec section 2) for which values are masked in chat, mail and logs and left as
 * variables by `curl`: the same for header names and query parameter names.
 */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_PARTS.test(name) || CREDENTIAL_WORDS.test(name);
}
