import { BODY } from './load.ts';
import { pollFor, type ChatFake, type LatencyPlatform, type Notice, type Payload } from './latency-rig.ts';

/** The two timings of one measurement, both Date.now(): the clock the fakes stamp `at` with. */
export interface Delivered {
  id: string;
  /** When the delivery's 2xx arrived in the bench. */
  t0: number;
}

/** POSTs the ingest bench's webhook body and returns the stored delivery's id from `{"ok":true,"id":...}`. */
export async function postDelivery(url: string): Promise<Delivered> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  const t0 = Date.now(); // status and headers are in: that is the 2xx arriving
  const body = (await res.json()) as { id?: unknown };
  if (!res.ok || typeof body.id !== 'string') throw new Error(`delivery answered ${res.status}: ${JSON.stringify(body)}`);
  return { id: body.id, t0 };
}

/** The first notification naming `id` (the warm-up's: its request is the floor's template). */
export function waitForNotice<F extends ChatFake>(platform: LatencyPlatform<F>, fake: F, id: string, timeoutMs: number): Promise<Notice> {
  return pollFor(() => platform.notices(fake).find((n) => n.text.includes(id)), timeoutMs, `notification of delivery ${id}`);
}

/**
 * The floor of any notification: the request hookwatch made (`template`), sent straight from this
 * process to the fake, into the floor's chat 0. Returns the fake's arrival time minus the moment it was sent.
 */
export async function floorSample<F extends ChatFake>(platform: LatencyPlatform<F>, fake: F, template: Payload, n: number): Promise<number> {
  const chat = platform.chatId(0);
  const marker = `(floor #${n})`; // unique, so its arrival can be found; the brackets keep #1 out of #10
  const text = `${typeof template.text === 'string' ? template.text : ''}\n${marker}`;
  const t0 = Date.now();
  await platform.postDirect(fake, chat, { ...template, text });
  // Answered, so already recorded: the first look finds it, and `at` was stamped on arrival anyway.
  const notice = await pollFor(() => platform.notices(fake).find((c) => c.chat === chat && c.text.includes(marker)), 1_000, `direct send ${marker}`);
  return notice.at - t0;
}

/**
 * Pairs deliveries with the fake's notifications into `chats`: the first one naming exactly one
 * delivery id is its own notification; one naming several is a merged summary.
 */
export function matchNotifications(notices: Notice[], chats: string[], delivered: Delivered[]) {
  const arrivals = new Map<string, number>();
  let summaries = 0;
  for (const notice of notices) {
    if (!chats.includes(notice.chat)) continue;
    const named = delivered.filter(({ id }) => notice.text.includes(id));
    if (named.length > 1) summaries += 1;
    else if (named.length === 1 && !arrivals.has(named[0]!.id)) arrivals.set(named[0]!.id, notice.at);
  }
  const latencies = delivered.flatMap(({ id, t0 }) => {
    const at = arrivals.get(id);
    return at === undefined ? [] : [at - t0];
  });
  return { latencies, summaries };
}
