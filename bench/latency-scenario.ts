import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/helpers/spawn-service.ts';
import { stopChild, waitHealthy } from './children.ts';
import { floorSample, matchNotifications, postDelivery, waitForNotice, type Delivered } from './latency-probes.ts';
import { printLatencyReport } from './latency-report.ts';
import { CHAT_COUNT, spawnHookwatch, withDeadline, type ChatFake, type LatencyPlatform, type Payload } from './latency-rig.ts';

const DELIVERIES = 60;
/** One POST every 120 ms round-robin over 10 chats: each gets one per 1.2 s, under its pace (1/s; Discord 5 per 5 s), so nothing is merged. */
const SPACING_MS = 120;
const NOTIFY_WAIT_MS = 3_000;
const DEADLINE_MS = 20_000;

const sleepUntil = (time: number) => sleep(Math.max(0, time - Date.now()));

/** A platform together with its started fake: what one run of the scenario works on. */
interface Rig<F extends ChatFake> {
  platform: LatencyPlatform<F>;
  fake: F;
  chats: string[];
}

/** Deliveries on a fixed schedule; each floor sample half a slot later, once the notification it mirrors is out. */
async function measureRounds<F extends ChatFake>({ platform, fake }: Rig<F>, urls: string[], template: Payload) {
  const delivered: Delivered[] = [];
  const floor: number[] = [];
  const start = Date.now();
  for (let i = 0; i < DELIVERIES; i++) {
    await sleepUntil(start + i * SPACING_MS);
    delivered.push(await postDelivery(urls[i % urls.length]!));
    await sleepUntil(start + i * SPACING_MS + SPACING_MS / 2);
    floor.push(await floorSample(platform, fake, template, i));
  }
  return { delivered, floor };
}

/** Polls until every delivery has its own notification, or NOTIFY_WAIT_MS passed (merged or lost ones never will). */
async function awaitNotifications<F extends ChatFake>({ platform, fake, chats }: Rig<F>, delivered: Delivered[]) {
  const deadline = Date.now() + NOTIFY_WAIT_MS;
  let matched = matchNotifications(platform.notices(fake), chats, delivered);
  while (matched.latencies.length < delivered.length && Date.now() < deadline) {
    await sleep(50);
    matched = matchNotifications(platform.notices(fake), chats, delivered);
  }
  return matched;
}

async function scenario<F extends ChatFake>(rig: Rig<F>, child: ChildProcess, baseUrl: string): Promise<boolean> {
  const { platform, fake, chats } = rig;
  await waitHealthy(baseUrl, child);
  await platform.waitReady(fake, 10_000);
  const urls = await Promise.all(chats.map((chat) => platform.newEndpoint(fake, chat, baseUrl)));
  // One uncounted delivery (cold paths, connections), to the last chat: its first measured delivery
  // comes ~1 s later, so the warm-up cannot pace it. Its notification is the floor's template.
  const warmUp = await postDelivery(urls.at(-1)!);
  const template = (await waitForNotice(platform, fake, warmUp.id, NOTIFY_WAIT_MS)).payload;
  const { delivered, floor } = await measureRounds(rig, urls, template);
  const { latencies, summaries } = await awaitNotifications(rig, delivered);
  const merged = delivered.length - latencies.length;
  const result = { baseline: floor, hookwatch: latencies, merged, summaries, expected: DELIVERIES };
  return printLatencyReport(result, platform.text.method);
}

function printConditions({ name, api, method, chatKind }: LatencyPlatform<ChatFake>['text']): void {
  console.log(`${name} notification latency: hookwatch process -> ${api} fake in the bench process, loopback`);
  console.log(
    `${DELIVERIES} lone deliveries round-robin over ${CHAT_COUNT} ${chatKind}s, one POST every ${SPACING_MS} ms ` +
      `(each ${chatKind} one per ${(SPACING_MS * CHAT_COUNT) / 1000} s), after 1 uncounted warm-up`,
  );
  console.log(`latency = fake's arrival of the ${method} naming the delivery id - arrival of its 2xx in the bench (Date.now(), whole ms)`);
  console.log(`floor = the same ${method} POSTed directly from the bench to the fake, ${DELIVERIES} times, interleaved`);
  console.log('');
}

/** The target: a lone delivery's notification leaves within 100 ms of its 2xx (p50). Bounded by DEADLINE_MS. */
export async function runLatencyScenario<F extends ChatFake>(platform: LatencyPlatform<F>): Promise<boolean> {
  printConditions(platform.text);
  const dataDir = await mkdtemp(join(tmpdir(), 'hookwatch-latency-bench-'));
  let fake: F | undefined;
  let child: ChildProcess | undefined;
  try {
    fake = await platform.startFake();
    const port = await freePort();
    child = spawnHookwatch(dataDir, port, platform.env(fake));
    const chats = Array.from({ length: CHAT_COUNT }, (_, i) => platform.chatId(i + 1));
    const work = scenario({ platform, fake, chats }, child, `http://127.0.0.1:${port}`);
    return await withDeadline(work, DEADLINE_MS, `the ${platform.text.name} latency scenario`);
  } finally {
    // Child first: a polling bot stops cleanly only while the fake still answers.
    if (child) await stopChild(child);
    await fake?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
