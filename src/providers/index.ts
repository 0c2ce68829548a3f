// The public face of provider intelligence: parse once, then detect, verify and answer handshakes.
export { deliveryInput } from './delivery-input.ts';
export { detectProvider } from './detect-provider.ts';
export { handshakeResponse, type HandshakeResponse } from './handshake-response.ts';
export type { Detection, Provider, ProviderInput, ProviderRequest, Verification } from './provider.ts';
export { providers } from './provider-list.ts';
export { providerRequest } from './provider-request.ts';
export { verifyDelivery } from './verify-delivery.ts';
