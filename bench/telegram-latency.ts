import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTelegramFake, type Payload, type TelegramFake } from '../test/fakes/telegram-fake.ts';
import { freePort, stopChild } from './children.ts';
import { printLatencyReport } from './latency-report.ts';
import { createEndpoints, spawnHookwatchOnFake, waitReady } from './telegram-rig.ts';
import { directSend, matchNotifications, postDelivery, textOf, type Delivered } from './telegram-probes.ts';

const CHATS = Array.from({ length: 10 }, (_, i) => 1001 + i);
const DELIVERIES = 60;
/** One POST every 120 ms round-robin: each chat gets one per 1.2 s, under its 1/s pace, so nothing is merged. */
const SPACING_MS = 120;
/** Not one of CHATS, so the direct sends never touch a measured chat. */
const FLOOR_CHAT = 2001;
const NOTIFY_WAIT_MS = 3_000;
const DEADLINE_MS = 20_000;

const sleepUntil = (time: number) => sleep(Math.max(0, time - Date.now()));

/** One uncounted delivery (cold paths, connections); its notification is the template for the floor. */
async function warmUp(fake: TelegramFake, url: string): Promise<Payload> {
  const { id } = await postDelivery(url);
  return (await fake.waitForCall('sendMessage', (c) => textOf(c.payload).includes(id), NOTIFY_WAIT_MS)).payload;
}

/** Deliveries on a fixed schedule; each floor sample half a slot later, once the notification it mirrors is out. */
async function measureRounds(fake: TelegramFake, urls: Map<number, string>, template: Payload) {
  const delivered: Delivered[] = [];
  const floor: number[] = [];
  const start = Date.now();
  for (let i = 0; i < DELIVERIES; i++) {
    await sleepUntil(start + i * SPACING_MS);
    delivered.push(await postDelivery(urls.get(CHATS[i % CHATS.length]!)!));
    await sleepUntil(start + i * SPACING_MS + SPACING_MS / 2);
    floor.push(await directSend(fake, template, FLOOR_CHAT, i));
  }
  return { delivered, floor };
}

/** Polls until every delivery has its own notification, or NOTIFY_WAIT_MS passed (merged or lost ones never will). */
async function awaitNotifications(fake: TelegramFake, delivered: Delivered[]) {
  const deadline = Date.now() + NOTIFY_WAIT_MS;
  let matched = matchNotifications(fake.calls, CHATS, delivered);
  while (matched.latencies.length < delivered.length && Date.now() < deadline) {
    await sleep(50);
    matched = matchNotifications(fake.calls, CHATS, delivered);
  }
  return matched;
}

async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the Telegram latency scenario took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function scenario(fake: TelegramFake, child: ChildProcess, baseUrl: string): Promise<boolean> {
  await waitReady(fake, baseUrl, child);
  const urls = await createEndpoints(fake, CHATS);
  // The last chat: its first measured delivery comes ~1 s later, so the warm-up cannot pace it.
  const template = await warmUp(fake, urls.get(CHATS.at(-1)!)!);
  const { delivered, floor } = await measureRounds(fake, urls, template);
  const { latencies, summaries } = await awaitNotifications(fake, delivered);
  const merged = delivered.length - latencies.length;
  return printLatencyReport({ baseline: floor, hookwatch: latencies, merged, summaries, expected: DELIVERIES });
}

function printConditions(): void {
  console.log('Telegram notification latency: hookwatch process -> Bot API fake in the bench process, loopback');
  console.log(
    `${DELIVERIES} lone deliveries round-robin over ${CHATS.length} private chats, one POST every ${SPACING_MS} ms ` +
      `(each chat one per ${(SPACING_MS * CHATS.length) / 1000} s), after 1 uncounted warm-up`,
  );
  console.log("latency = fake's arrival of the sendMessage naming the delivery id - arrival of its 2xx in the bench (Date.now(), whole ms)");
  console.log(`floor = the same sendMessage POSTed directly from the bench to the fake, ${DELIVERIES} times, interleaved`);
  console.log('');
}

/** The target: a lone delivery's notification leaves within 100 ms of its 2xx (p50). Bounded by DEADLINE_MS. */
export async function runTelegramLatency(): Promise<boolean> {
  printConditions();
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-tg-bench-'));
  let fake: TelegramFake | undefined;
  let child: ChildProcess | undefined;
  try {
    fake = await startTelegramFake();
    const port = await freePort();
    child = spawnHookwatchOnFake(fake, dataDir, port);
    return await withDeadline(scenario(fake, child, `http://127.0.0.1:${port}`), DEADLINE_MS);
  } finally {
    // Child first: it polls the fake, and stops cleanly only while the fake still answers.
    if (child) await stopChild(child);
    await fake?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
