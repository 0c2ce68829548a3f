import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlerting } from './alerts/create-alerting.ts';
import type { Channel } from './channels/channel.ts';
import { createChannels, type ChannelDeps } from './channels/index.ts';
import { createCommandRunner } from './commands/run-command.ts';
import type { Config } from './config.ts';
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
import { createDispatcher } from './notify/dispatcher.ts';
import { createDeliveryRepository } from './store/delivery-repository.ts';
import { createFindRepository } from './store/find-repository.ts';
import { createEndpointRepository } from './store/endpoint-repository.ts';
import { createEventIdIndex } from './store/event-id-index.ts';
import { openStore } from './store/open-store.ts';
import { createOutboxRepository, outboxEntryFor } from './store/outbox-repository.ts';
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
}

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
  const endpoints = createEndpointRepository(store, now);
  await takeDeliveryCounts(store, await endpoints.listAllIds());
  const deliveries = createDeliveryRepository(store);
  const outbox = createOutboxRepository(store);
  const eventIds = createEventIdIndex(store);
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

  // Alerts queue their messages through the dispatcher, which is built once the channels are.
  const alerting = createAlerting({ store, endpoints, deliveries, enqueue: (entry) => dispatcher.enqueue(entry), remindMs: config.ALERT_REMIND_HOURS * 3_600_000, logger, now });

  const forwarding = createForwarding({ store, endpoints, deliveries, alerts: alerting.service, enqueue: (entry) => dispatcher.enqueue(entry), config, logger, now, ...(options.retryBaseMs ? { baseRetryMs: options.retryBaseMs } : {}) });
  const watching = createWatching({
    store,
    endpoints,
    deliveries,
    alerts: alerting.service,
    enqueue: (entry) => dispatcher.enqueue(entry),
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
  const dispatcher = createDispatcher({ outbox, deliveries, endpoints, sendErrors, channels, pacing, logger, alertMessage: alerting.message, relayOutcomes: forwarding.health.outcomesOf, watchMessage: watching.message, ...(options.retryBaseMs ? { baseRetryMs: options.retryBaseMs } : {}) });

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
      nextId: createDeliveryIdGenerator(),
      analyze: createDeliveryAnalyzer({ eventIds, publicUrl: config.PUBLIC_URL }),
      eventIds,
      logger,
      clientAddress,
      alsoWrite: forwarding.relayWrites,
      onStored(delivery, endpoint, notified) {
        retention.touch(endpoint.id);
        if (notified) dispatcher.enqueue(outboxEntryFor(delivery, endpoint.owner), delivery);
        alerting.onDelivery(delivery, endpoint);
      },
    }),
  });

  for (const channel of channels) await channel.start();
  await dispatcher.resume();
  await alerting.scheduler.start();
  await forwarding.start();
  await watching.scheduler.start();
  await email?.scheduler.start();
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
      await alerting.scheduler.stop();
      await forwarding.stop();
      await watching.stop();
      await dispatcher.stop();
      await email?.scheduler.stop();
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeIdleConnections();
      await closed;
      for (const channel of channels) await channel.stop();
      await retention.stop();
      await store.close();
    },
  };
}
