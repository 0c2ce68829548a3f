import { headerValue, type Delivery } from '../domain/delivery.ts';
import { formatBytes, formatTime } from '../domain/format.ts';
import { describeAnalysis } from '../notify/describe-analysis.ts';

/** One delivery in a list (`last`, `find`): id first, so it can be typed into `payload`. */
export function deliveryLine(delivery: Delivery, endpointName: string | undefined): string {
  const parts = [
    delivery.id,
    formatTime(delivery.receivedAt),
    ...(endpointName ? [endpointName] : []),
    `${delivery.method} ${delivery.subPath || '/'}`,
    ...(delivery.analysis ? [describeAnalysis(delivery.analysis)] : []),
    formatBytes(delivery.size),
    headerValue(delivery, 'content-type') ?? 'no content type',
  ];
  return parts.join(' · ');
}
