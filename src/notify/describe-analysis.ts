import type { Analysis } from '../domain/delivery.ts';

/** `Stripe · payment_intent.succeeded · $99.99 from jane@example.com · signature valid`. */
export function describeAnalysis(analysis: Analysis, endpointName = '<endpoint>'): string {
  const known = analysis.provider !== 'generic';
  // A watched API's answer was fetched by hookwatch: no sender signed it, so "unsigned" would tell nothing.
  const signed = known && analysis.provider !== 'watch';
  return [
    ...(known ? [analysis.providerName] : []),
    ...(analysis.event ? [analysis.event] : []),
    ...(analysis.summary ? [analysis.summary] : []),
    ...(signed ? [signatureText(analysis.signature, endpointName)] : []),
  ].join(' · ');
}

export function signatureText(signature: Analysis['signature'], endpointName: string): string {
  switch (signature.status) {
    case 'invalid':
      return `signature invalid: ${signature.reason ?? 'unknown reason'}`;
    case 'valid':
      return 'signature valid';
    case 'unverified':
      return `signed, not verified: set a secret with "secret ${endpointName} <secret>"`;
    case 'unsigned':
      return 'unsigned';
  }
}
