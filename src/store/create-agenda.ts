import type { KeyValueStore } from './key-value-store.ts';
import { lastSegment } from './keys.ts';

/** A stored "look at this subject at `at`": a scheduler's whole agenda is these keys, in time order. */
export interface AgendaItem {
  at: number;
  /** The endpoint it is about. */
  endpointId: string;
}

/**
 * Due times kept as keys (`<prefix><time>:<endpoint id>`), so the next due items are one range read and
 * an idle look is an empty one; each survives restarts, so what fell due while down runs on start.
 */
export function createAgenda(store: KeyValueStore, prefix: string, keyOf: (at: number, endpointId: string) => string) {
  return {
    /** The earliest items due by `now`. */
    async due(now: number, limit: number): Promise<AgendaItem[]> {
      const entries = await store.scan(prefix, { to: String(now + 1).padStart(15, '0'), limit, keysOnly: true });
      return entries.map((entry) => {
        const [at = '0'] = entry.key.slice(prefix.length).split(':');
        return { at: Number(at), endpointId: lastSegment(entry.key) };
      });
    },

    /** Replaces items by their next ones (`next` undefined: none), in one write. */
    async reschedule(changes: Array<{ check: AgendaItem; next: number | undefined }>): Promise<void> {
      const set: Array<[string, string]> = [];
      const remove: string[] = [];
      for (const { check, next } of changes) {
        const replaced = keyOf(check.at, check.endpointId);
        const following = next === undefined ? undefined : keyOf(next, check.endpointId);
        if (following === replaced) continue;
        remove.push(replaced);
        if (following) set.push([following, check.endpointId]);
      }
      if (remove.length > 0) await store.write({ delete: remove, set });
    },
  };
}
