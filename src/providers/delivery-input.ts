import { deliveryBody, type Delivery } from '../domain/delivery.ts';
import type { ProviderInput } from './provider.ts';

/** A stored delivery as providers see it; `endpointUrl` is `$PUBLIC_URL/wh/<token>`, the URL senders sign. */
export function deliveryInput(delivery: Delivery, endpointUrl: string): ProviderInput {
  const query = delivery.query === '' ? '' : `?${delivery.query}`;
  return { headers: delivery.headers, body: deliveryBody(delivery), url: `${endpointUrl}${delivery.subPath}${query}`, method: delivery.method };
}
