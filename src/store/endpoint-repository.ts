import type { ChatRef } from '../domain/chat.ts';
import { endpointSchema, type Endpoint } from '../domain/endpoint.ts';
import type { KeyValueStore } from './key-value-store.ts';
import { keys, lastSegment } from './keys.ts';
import { outboxEntrySchema } from './outbox-repository.ts';
import { createWriteGate } from './write-gate.ts';

/** How long a cached endpoint is trusted before another process's change must be seen. */
const TOKEN_CACHE_MS = 5000;

export interface EndpointRepositoryOptions {
  /** How long a cached endpoint is served (default 5 s): the bound on seeing another process's change if its broadcast is lost. */
  cacheMs?: number;
  /** Tells the other processes: `changed` endpoints' cached rows are stale; `deleting` ones take no more writes. */
  tell?: (topic: 'changed' | 'deleting', endpointIds: string[]) => void;
  /**
   * With other processes: how long after a delete its rows are swept once more, for writes another process
   * had under way when it heard of the delete.
   */
  resweepAfterMs?: number;
}

export type EndpointRepository = ReturnType<typeof createEndpointRepository>;

export function createEndpointRepository(store: KeyValueStore, now: () => number, options: EndpointRepositoryOptions = {}) {
  const cacheMs = options.cacheMs ?? TOKEN_CACHE_MS;
  const byToken = new Map<string, { endpoint: Endpoint; cachedAt: number }>();
  /** The same endpoints by id, for the dispatcher's lookup per notification. */
  const byId = new Map<string, { endpoint: Endpoint; cachedAt: number }>();
  const gate = createWriteGate();

  const parse = (value: unknown) => (value === undefined ? undefined : endpointSchema.parse(value));

  async function save(endpoint: Endpoint): Promise<void> {
    await store.write({
      set: [
        [keys.endpoint(endpoint.id), endpoint],
        [keys.token(endpoint.token), endpoint.id],
        [keys.chatEndpoint(endpoint.owner, endpoint.id), endpoint.id],
      ],
    });
    cache(endpoint);
    options.tell?.('changed', [endpoint.id]);
  }

  function cache(endpoint: Endpoint): void {
    const entry = { endpoint, cachedAt: now() };
    byToken.set(endpoint.token, entry);
    byId.set(endpoint.id, entry);
  }

  async function get(id: string): Promise<Endpoint | undefined> {
    return parse(await store.get(keys.endpoint(id)));
  }

  return {
    save,
    get,

    /**
     * The receiver's lookup: served from memory for a few seconds after a read. A deleted endpoint
     * is never served, also not by a lookup that read the store before the delete.
     */
    async findByToken(token: string): Promise<Endpoint | undefined> {
      const cached = byToken.get(token);
      if (cached && now() - cached.cachedAt < cacheMs) return gate.isClosed(cached.endpoint.id) ? undefined : cached.endpoint;
      const id = await store.get(keys.token(token));
      const endpoint = typeof id === 'string' && !gate.isClosed(id) ? await get(id) : undefined;
      if (endpoint && !gate.isClosed(endpoint.id)) {
        cache(endpoint);
        return endpoint;
      }
      byToken.delete(token);
      return undefined;
    },

    /** Like `get`, served from memory for a few seconds after a read or save; never a deleted endpoint. */
    async findById(id: string): Promise<Endpoint | undefined> {
      const cached = byId.get(id);
      if (gate.isClosed(id)) return undefined;
      if (cached && now() - cached.cachedAt < cacheMs) return cached.endpoint;
      const endpoint = await get(id);
      if (endpoint && !gate.isClosed(id)) cache(endpoint);
      return gate.isClosed(id) ? undefined : endpoint;
    },

    /** Runs a write of the endpoint's rows (a delivery, a rejection) unless it is deleted: then undefined. */
    whileLive: <T>(endpointId: string, write: () => Promise<T>) => gate.pass(endpointId, write),

    async listForChat(chat: ChatRef): Promise<Endpoint[]> {
      const ids = (await store.scan(keys.chatEndpoints(chat), { keysOnly: true })).map((entry) => lastSegment(entry.key));
      const endpoints = (await store.getMany(ids.map(keys.endpoint))).map(parse);
      return endpoints.filter((endpoint): endpoint is Endpoint => endpoint !== undefined).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)); // a stable order, so pages of `list` hold still
    },

    /** Gives every endpoint of `from` to `to` in one write: a chat whose id changed keeps its endpoints. */
    async moveChat(from: ChatRef, to: ChatRef): Promise<number> {
      const moved = (await this.listForChat(from)).map((endpoint) => ({ ...endpoint, owner: to }));
      if (moved.length === 0) return 0;
      await store.write({
        set: moved.flatMap((endpoint): Array<[string, unknown]> => [
          [keys.endpoint(endpoint.id), endpoint],
          [keys.chatEndpoint(to, endpoint.id), endpoint.id],
        ]),
        delete: moved.map((endpoint) => keys.chatEndpoint(from, endpoint.id)),
      });
      for (const endpoint of moved) cache(endpoint);
      options.tell?.('changed', moved.map((endpoint) => endpoint.id));
      return moved.length;
    },

    async listAllIds(): Promise<string[]> {
      return (await store.scan(keys.allEndpoints, { keysOnly: true })).map((entry) => lastSegment(entry.key));
    },

    /** Another process changed these endpoints: their cached rows go. */
    forget(ids: string[]): void {
      for (const id of ids) {
        const cached = byId.get(id);
        if (cached) byToken.delete(cached.endpoint.token);
        byId.delete(id);
      }
    },

    /** Another process is deleting these endpoints: no write of theirs starts here any more. */
    closeGates(ids: string[]): void {
      this.forget(ids);
      for (const id of ids) void gate.close(id);
    },

    /**
     * The endpoint and every row of it: deliveries, rejections, event ids, forwarding, notifications not yet
     * sent. With other processes, they close their gates when told, and the rows are swept again after
     * `resweepAfterMs`, for a write one of them had under way.
     */
    async remove(endpoint: Endpoint): Promise<void> {
      byToken.delete(endpoint.token);
      byId.delete(endpoint.id);
      options.tell?.('deleting', [endpoint.id]);
      await gate.close(endpoint.id);
      await removeRows(endpoint);
      if (options.resweepAfterMs === undefined) return;
      await new Promise((resolve) => setTimeout(resolve, options.resweepAfterMs));
      await removeRows(endpoint);
    },
  };

  async function removeRows(endpoint: Endpoint): Promise<void> {
    await store.write({
      delete: [keys.endpoint(endpoint.id), keys.token(endpoint.token), keys.chatEndpoint(endpoint.owner, endpoint.id), keys.sendError(endpoint.id), keys.countOf(keys.deliveries(endpoint.id))],
    });
    await store.deleteRange(keys.deliveries(endpoint.id));
    await store.deleteRange(keys.findEntries(endpoint.id));
    await store.deleteRange(keys.rejections(endpoint.id));
    await store.deleteRange(keys.undeliveredOf(endpoint.id));
    await store.deleteRange(keys.eventIds(endpoint.id));
    // Relay jobs left are dropped by the worker when it finds the endpoint gone.
    for (const prefix of [keys.endpointTargets(endpoint.id), keys.endpointRelayAttempts(endpoint.id), keys.relayFailures(endpoint.id)]) await store.deleteRange(prefix);
    await store.deleteRange(keys.eventIdsByDelivery(endpoint.id));
    const queued = (await store.scan(keys.outbox)).filter((entry) => outboxEntrySchema.parse(entry.value).endpointId === endpoint.id);
    await store.write({ delete: queued.map((entry) => entry.key) });
  }
}
