import type { RelayMark } from '../find/find-entry.ts';
import { median } from './collect-stats.ts';

/** How an endpoint's relays of a period's deliveries went, one relay per delivery and target. */
export interface ForwardingStats {
  delivered: number;
  failed: number;
  pending: number;
  /** The median time the target took to answer, over relays whose last try got an answer. */
  answerP50Ms?: number;
}

export function collectForwarding(relays: RelayMark[]): ForwardingStats {
  const count = (state: RelayMark['s']) => relays.filter((relay) => relay.s === state).length;
  const answers = relays.flatMap((relay) => (relay.ms === undefined ? [] : [relay.ms])).sort((a, b) => a - b);
  return { delivered: count('delivered'), failed: count('failed'), pending: count('pending'), ...(answers.length > 0 ? { answerP50Ms: median(answers) } : {}) };
}
