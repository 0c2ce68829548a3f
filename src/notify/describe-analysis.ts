import type { Analysis } from '../domain/delivery.ts';

/** `Stripe · payment_intent.succeeded · $99.99 from jane@example.com · signature valid`. */
export function describeAnalysis(analysis: Analysis): string {
  const known = analysis.provider !== 'generic';
  return [
    ...(known ? [analysis.providerName] : []),
    ...(analysis.event ? [analysis.event] : []),
    ...(analysis.summary ? [analysis.summary] : []),
    ...(known ? [signatureText(analysis.signature)] : []),
  ].join(' · ');
}

export function signatureText(signature: Analysis['signature']): string {
  if (signature.status === 'invalid') return `signature invalid: ${signature.reason ?? 'unknown reason'}`;
  return signature.status === 'valid' ? 'signature valid' : 'unsigned';
}
