import type { Detection, Provider, ProviderRequest, Verification } from './provider.ts';
import { providers } from './provider-list.ts';
import { EMPTY_SECRET, invalid, UNSIGNED, UNVERIFIED } from './verdicts.ts';

/**
 * Checks a delivery's signature with the endpoint's secret at `nowMs`. `unsigned` when the provider has no
 * signature scheme or the delivery carries no signature and no secret is set; `unverified` when it is signed
 * but no secret is set; otherwise `valid` or `invalid` with a reason.
 * Never throws: hostile input is a verdict.
 */
export function verifyDelivery(
  request: ProviderRequest,
  detection: Detection | undefined,
  secret: string | undefined,
  nowMs: number,
  list: readonly Provider[] = providers,
): Verification {
  const provider = list.find((candidate) => candidate.id === detection?.provider);
  if (!provider?.verify) return UNSIGNED;
  if (secret === undefined) return provider.signatureHeaders?.some((name) => request.header(name) !== undefined) ? UNVERIFIED : UNSIGNED;
  // Pasted secrets often carry a trailing newline.
  const trimmed = secret.trim();
  if (trimmed === '') return EMPTY_SECRET;
  try {
    return provider.verify(request, trimmed, nowMs);
  } catch {
    return invalid('signature could not be checked');
  }
}
