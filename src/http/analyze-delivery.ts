import type { Analysis, Delivery } from '../domain/delivery.ts';
import type { Endpoint } from '../domain/endpoint.ts';
import { deliveryInput, detectProvider, handshakeResponse, providerRequest, verifyDelivery, type HandshakeResponse } from '../providers/index.ts';
import type { EventIdIndex } from '../store/event-id-index.ts';

export interface DeliveryAnalysis {
  analysis: Analysis | undefined;
  /** What the sender needs as the answer instead of our usual `{"ok":true}` (verification handshakes). */
  handshake: HandshakeResponse | undefined;
  /** The event-id index rows to write with the delivery, when it is the first of its event. */
  indexEntries: Array<[string, string]>;
}

/**
 * Who sent a delivery, which event it is, whether its signature holds (as of its arrival) and
 * whether it repeats an earlier event. Tens of microseconds, no I/O: the duplicate lookup is the
 * event-id index's, in memory.
 */
export function createDeliveryAnalyzer(options: { eventIds: EventIdIndex; publicUrl: string }) {
  return function analyzeDelivery(delivery: Delivery, endpoint: Endpoint): DeliveryAnalysis {
    const request = providerRequest(deliveryInput(delivery, `${options.publicUrl}/wh/${endpoint.token}`));
    const detection = detectProvider(request);
    const verification = verifyDelivery(request, detection, endpoint.signingSecret, delivery.receivedAt);
    const handshake = handshakeResponse(request, verification, endpoint.signingSecret);
    if (!detection) return { analysis: undefined, handshake, indexEntries: [] };
    const claim = detection.eventId ? options.eventIds.claim(endpoint.id, detection.eventId, delivery.id) : { entries: [] };
    const analysis: Analysis = {
      ...detection,
      signature: verification.status === 'invalid' ? { status: 'invalid', reason: verification.reason } : { status: verification.status },
      ...(claim.duplicateOf ? { duplicateOf: claim.duplicateOf } : {}),
    };
    return { analysis, handshake, indexEntries: claim.entries };
  };
}
