import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlerting } from './alerts/create-alerting.ts';
import type { LeaderWork } from './cluster/cluster.ts';
import { openCluster } from './cluster/open-cluster.ts';
import type { Channel } from './channels/channel.ts';
import { createChannels, type ChannelDeps } from './channels/index.ts';
import { createCommandRunner } from './commands/run-command.ts';
import type { Config } from './config.ts';
import { alertChangeSchema, type AlertChange } from './domain/alert.ts';
import type { Delivery } from './domain/delivery.ts';
import type { Endpoint } from './domain/endpoint.ts';
import type { RelayJob } from './domain/forward-target.ts';
import { createDeliveryIdGenerator } from './domain/ids.ts';
import { createDeliveryAnalyzer } from './http/analyze-delivery.ts';
import { answerClientError } from './http/answer-client-error.ts';
import { createBodyBudget } from './http/body-budget.ts';
import { createForwarding } from './forward/create-forwarding.ts';
import { createHttpApp } from './http/create-http-app.ts';
import { createSelfClient } from './http/create-self-client.ts';
import { listen } from './http/listen.ts';
import { createReceiver } from './http/receiver.ts';
import type { Logger } from './logger.ts';
import { createChatPacing } from './notify/chat-pacing.ts';
import { createDispatcher, type Dispatcher } from './notify/dispatcher.ts';
import { createDeliveryRepository } from './store/delivery-repository.ts';
import { createFindRepository } from './store/find-repository.ts';
import { createEndpointRepository } from './store/endpoint-repository.ts';
import { createEventIdIndex } from './store/event-id-index.ts';
import { openStore } from './store/open-store.ts';
import { keys } from './store/keys.ts';
import { createOutboxRepository, outboxEntryFor, outboxKeyOf, type OutboxEntry } from './store/outbox-repository.ts';
import { createRetention } from './store/retention.ts';
import { createSendErrorRepository } from './store/send-error-repository.ts';
import { takeDeliveryCounts } from './store/take-delivery-counts.ts';
import { createWatching } from './watches/create-watching.ts';

export interface ServiceOptions {
  config: Config;
  logger: Logger;
  console: ChannelDeps['console'];
  /** Replaces the registry's channels (tests use a recording channel). */
  createChannels?: (deps: ChannelDeps) => Channel[] | Promise<Channel[]>;
  now?: () => number;
  retryBaseMs?: number;
  /** Opens the store from DATABASE_URL (tests wrap it to watch what is read and written). */
  openStore?: typeof openStore;
  /** How often a process that does not lead tries for leadership (PostgreSQL; default 2 s). */
  leaderTryEveryMs?: number;
}

/** With several processes: how long a cached endpoint is served if the broadcast of its change is lost. */
const SHARED_CACHE_MS = 1000;
/** With several processes: a deleted endpoint's rows are swept again this long after, for writes under way elsewhere. */
const RESWEEP_AFTER_DELETE_MS = 2000;
/** The leader reads the outbox and relay queue again this often, for work whose hand-over was lost. */
const RESCAN_EVERY_MS = 30_000;

export interface RunningService {
  url: string;
  port: number;
  /** With SMTP_URL: check for due digests now, and wait until digest mails under way are done. */
  digests?: { tick(): Promise<void>; idle(): Promise<void> };
  /** Run the alert checks now (tests move the clock, then tick). */
  alerts: { tick(): Promise<void> };
  /** Poll the watches due now and wait for those polls (tests move the clock, then settle). */
  watches: { settle(): Promise<void> };
  stop(): Promise<void>;
}

/** Wires config -> store -> commands -> channels -> outbox -> http, and starts them in that order. */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const store = await (options.openStore ?? openStore)(config.DATABASE_URL);
  // SQLite: this process alone, leading from start to stop. PostgreSQL: one of several, leading while it holds the lock.
  const cluster = openCluster(config.DATABASE_URL, logger, options.leaderTryEveryMs ? { tryEveryMs: options.leaderTryEveryMs } : {});
  const endpoints = createEndpointRepository(store, now, cluster.shared ? { cacheMs: SHARED_CACHE_MS, tell: cluster.publish, resweepAfterMs: RESWEEP_AFTER_DELETE_MS } : {});
  await takeDeliveryCounts(store, await endpoints.listAllIds());
  const deliveries = createDeliveryRepository(store);
  const outbox = createOutboxRepository(store);
  const eventIds = createEventIdIndex(store, { tell: (changes) => cluster.publish('claims', changes) });
  await eventIds.load();
  const sendErrors = createSendErrorRepository(store);
  const retention = createRetention({
    store,
    endpoints,
    eventIds,
    maxDeliveries: config.RETENTION_DELIVERIES,
    maxAgeMs: config.RETENTION_DAYS * 86_400_000,
    now,
    onError: (error) => logger.error({ err: error }, 'retention failed'),
  });

  // Set once listening; `sample` posts to it.
  let listening!: (server: Server) => void;
  const listeningServer = new Promise<Server>((resolve) => (listening = resolve));

  /** Set while this process leads: it sends. Otherwise what it stores is handed to the leader. */
  let dispatcher: Dispatcher | undefined;
  /** One path for every stored notification: this process's dispatcher when it leads, else the leader's. */
  const enqueue = (entry: OutboxEntry, delivery?: Delivery) => (dispatcher ? dispatcher.enqueue(entry, delivery) : cluster.publish('work', [outboxKeyOf(entry)]));
  /** Relay jobs the same way: false keeps them here. */
  const handOffJobs = (jobs: RelayJob[]) => {
    if (dispatcher || jobs.length === 0) return false;
    cluster.publish('work', jobs.map((job) => keys.relayJob(job.deliveryId, job.targetId)));
    return true;
  };

  const alertsKeeper = { leading: () => dispatcher !== undefined, handOff: (change: AlertChange) => cluster.publish('alerts', [JSON.stringify(change)]) };
  const alerting = createAlerting({ store, endpoints, deliveries, enqueue, idSlot: cluster.idSlot, ...(cluster.shared ? { leader: alertsKeeper } : {}), remindMs: config.ALERT_REMIND_HOURS * 3_600_000, logger, now });

  const forwarding = createForwarding({ store, endpoints, deliveries, alerts: alerting.service, enqueue, idSlot: cluster.idSlot, handOff: handOffJobs, tell: (ids) => cluster.publish('changed', ids), config, logger, now, ...(options.retryBaseMs ? { baseRetryMs: options.retryBaseMs } : {}) });
  /** A stored delivery's retention and alert checks: the leader's, so one process trims and one keeps alerts. */
  const delivered = (delivery: Delivery, endpoint: Endpoint) => {
    if (!dispatcher) return cluster.publish('delivered', [`${endpoint.id} ${delivery.id} ${delivery.analysis?.signature.status === 'invalid' ? 1 : 0}`]);
    retention.touch(endpoint.id);
    alerting.onDelivery(delivery, endpoint);
  };
  const watching = createWatching({
    store,
    endpoints,
    deliveries,
    alerts: alerting.service,
    enqueue,
    idSlot: cluster.idSlot,
    onStored(delivery, endpoint) {
      retention.touch(endpoint.id);
      alerting.onDelivery(delivery, endpoint);
    },
    allowPrivate: config.FORWARD_ALLOW_PRIVATE,
    maxBytes: config.WATCH_MAX_BYTES,
    maxInFlight: config.WATCH_MAX_INFLIGHT,
    timeoutMs: config.WATCH_TIMEOUT_MS,
    logger,
    now,
  });

  // Imported only with SMTP_URL set, like the chat SDKs: nodemailer costs memory too.
  const email =
    config.SMTP_URL === undefined
      ? undefined
      : (await import('./email/create-email-digests.ts')).createEmailDigests({ store, endpoints, deliveries, sendErrors, alerts: alerting.repo, config: { ...config, SMTP_URL: config.SMTP_URL }, logger, now, ...(options.retryBaseMs ? { retryBaseMs: options.retryBaseMs } : {}) });

  const commands = createCommandRunner(
    {
      endpoints,
      deliveries,
      find: createFindRepository(store),
      sendErrors,
      publicUrl: config.PUBLIC_URL,
      retention: { maxDeliveries: config.RETENTION_DELIVERIES, maxDays: config.RETENTION_DAYS },
      emailEnabled: email !== undefined,
      ...(email ? { digests: email.subscriptions } : {}),
      alerts: alerting,
      sendToEndpoint: createSelfClient(listeningServer),
      forwarding,
      watches: { repo: watching.repo, allowPrivate: config.FORWARD_ALLOW_PRIVATE },
      now,
    },
    logger,
  );
  const platformRoutes = express.Router();
  if (email) platformRoutes.use(email.routes);
  const pacing = createChatPacing({ restore: (chat) => outbox.recentSends(chat) });
  const channelDeps: ChannelDeps = { config, commands, pacing, logger, console: options.console, http: platformRoutes };
  const channels = await (options.createChannels ?? createChannels)(channelDeps);
  const newDispatcher = () => createDispatcher({ outbox, deliveries, endpoints, sendErrors, channels, pacing, logger, alertMessage: alerting.message, relayOutcomes: forwarding.health.outcomesOf, watchMessage: watching.message, ...(options.retryBaseMs ? { baseRetryMs: options.retryBaseMs } : {}) });

  const app = createHttpApp({
    trustProxy: config.TRUST_PROXY,
    store,
    platformRoutes,
    logger,
    receiver: (clientAddress) => createReceiver({
      endpoints,
      deliveries,
      maxBodyBytes: config.MAX_BODY_BYTES,
      bodyBudget: createBodyBudget(config.MAX_INFLIGHT_BODY_BYTES),
      now,
      nextId: createDeliveryIdGenerator(cluster.idSlot),
      analyze: createDeliveryAnalyzer({ eventIds, publicUrl: config.PUBLIC_URL }),
      eventIds,
      logger,
      clientAddress,
      alsoWrite: forwarding.relayWrites,
      onStored(delivery, endpoint, notified) {
        if (notified) enqueue(outboxEntryFor(delivery, endpoint.owner), delivery);
        delivered(delivery, endpoint);
      },
    }),
  });

  let rescans: NodeJS.Timeout | undefined;
  /** What runs in one process only: platform sessions, sending, relaying, schedulers, retention. */
  const leaderWork: LeaderWork = {
    async start() {
      for (const channel of channels) await channel.start();
      dispatcher = newDispatcher();
      await dispatcher.resume();
      await alerting.scheduler.start();
      await forwarding.worker.start();
      await watching.scheduler.start();
      await email?.scheduler.start();
      retention.start();
      if (cluster.shared) rescans = setInterval(() => void rescan(), RESCAN_EVERY_MS).unref();
    },
    async stop() {
      clearInterval(rescans);
      await alerting.scheduler.stop();
      await forwarding.worker.stop();
      await watching.scheduler.stop();
      await dispatcher?.stop();
      dispatcher = undefined;
      await email?.scheduler.pause();
      await retention.stop();
      for (const channel of channels) await channel.stop();
    },
  };
  const rescan = () => Promise.all([dispatcher?.rescan(), forwarding.worker.rescan()]).catch((error: unknown) => logger.error({ err: error }, 'rescan of the outbox and relay queue failed'));
  subscribeToOtherProcesses();

  await forwarding.loadTargets();
  await cluster.lead(leaderWork);
  const server = await listen(app, config.PORT, config.HOST);
  // Every header is stored, however many (the head is still capped at node's 16 KB, answered 431).
  server.maxHeadersCount = 0;
  server.on('clientError', answerClientError);
  listening(server);
  const { port } = server.address() as AddressInfo;
  logger.info({ port, channels: channels.map((channel) => channel.platform) }, 'hookwatch listening');

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ...(email ? { digests: { tick: email.scheduler.tick, idle: email.scheduler.idle } } : {}),
    alerts: { tick: alerting.scheduler.tick },
    watches: { settle: watching.scheduler.settle },
    async stop() {
      // Polls under way fail at once (their agent closes) rather than hold the stop; then the leader's work.
      await watching.stop();
      await cluster.close();
      await forwarding.stop();
      await email?.scheduler.stop();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await closed;
      await store.close();
    },
  };

  /** What the other processes tell: work for the leader, and changes every process's memory must follow. */
  function subscribeToOtherProcesses(): void {
    const failed = (what: string) => (error: unknown) => logger.error({ err: error }, `could not take up ${what} from another process`);
    cluster.subscribe('work', (items) => {
      if (!dispatcher) return;
      dispatcher.adopt(items.filter((key) => key.startsWith(keys.outbox))).catch(failed('notifications'));
      forwarding.worker.adopt(items.filter((key) => key.startsWith(keys.relayJobs))).catch(failed('relays'));
    });
    cluster.subscribe('delivered', (items) => {
      if (dispatcher) for (const item of items) void deliveredElsewhere(item).catch(failed('a delivery\'s alert check'));
    });
    cluster.subscribe('changed', (ids) => {
      endpoints.forget(ids);
      forwarding.reloadTargets(ids).catch(failed('forwarding targets'));
    });
    cluster.subscribe('deleting', (ids) => {
      endpoints.closeGates(ids);
      forwarding.reloadTargets(ids).catch(failed('forwarding targets'));
    });
    cluster.subscribe('claims', eventIds.learn);
    cluster.subscribe('alerts', (items) => {
      if (dispatcher) for (const item of items) applyAlertChange(item).catch(failed('an alert change'));
    });
  }

  /** A change of the alerts a command asked of another process; a malformed one rejects, is logged, and the next still runs. */
  async function applyAlertChange(item: string): Promise<void> {
    await alerting.service.apply(alertChangeSchema.parse(JSON.parse(item)));
  }

  /** A delivery another process stored: read back only when an alert may depend on it (one is open, or its signature failed). */
  async function deliveredElsewhere(item: string): Promise<void> {
    const [endpointId = '', deliveryId = '', invalid] = item.split(' ');
    if (endpointId === '' || deliveryId === '') throw new Error(`malformed delivery notice "${item.slice(0, 80)}"`);
    retention.touch(endpointId);
    if (invalid !== '1' && alerting.service.openForEndpoint(endpointId).length === 0) return;
    const [delivery, endpoint] = await Promise.all([deliveries.get({ endpointId, deliveryId }), endpoints.findById(endpointId)]);
    if (delivery && endpoint) alerting.onDelivery(delivery, endpoint);
  }
}
