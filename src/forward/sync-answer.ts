import type { ForwardedAnswer } from '../http/receiver.ts';
import { HOP_BY_HOP } from './build-relay-request.ts';
import type { TryResult } from './create-relay-try.ts';

/** The target's answer as it gave it (minus hop-by-hop headers), or 502 saying why there was none. */
/** What the sender of a delivery to an endpoint with a sync target is answered. */
export function syncAnswer(result: TryResult, deliveryId: string): ForwardedAnswer {
  if (result.kind !== 'gone' && result.answer.kind === 'answered' && result.answer.body) {
    const { status, headers, body } = result.answer;
    return { status, headers: headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())), body };
  }
  const why = result.kind === 'gone' ? 'the endpoint was deleted' : result.answer.kind === 'failed' ? result.answer.error : 'no answer';
  const body = Buffer.from(JSON.stringify({ ok: false, id: deliveryId, error: `forwarding target unreachable: ${why}` }));
  return { status: 502, headers: [['content-type', 'application/json']], body };
}
