import type { ApiCall, Payload, TelegramFake } from '../test/fakes/telegram-fake.ts';
import { BODY } from './load.ts';

/** The two timings of one measurement, both Date.now(): the clock the fake stamps `at` with. */
export interface Delivered {
  id: string;
  /** When the delivery's 2xx arrived in the bench. */
  t0: number;
}

export const textOf = (payload: Payload) => (typeof payload.text === 'string' ? payload.text : '');

/** POSTs the ingest bench's webhook body and returns the stored delivery's id from `{"ok":true,"id":...}`. */
export async function postDelivery(url: string): Promise<Delivered> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  const t0 = Date.now(); // status and headers are in: that is the 2xx arriving
  const body = (await res.json()) as { id?: unknown };
  if (!res.ok || typeof body.id !== 'string') throw new Error(`delivery answered ${res.status}: ${JSON.stringify(body)}`);
  return { id: body.id, t0 };
}

/**
 * The floor of any notification: the request hookwatch made (`template`), sent straight from this
 * process to the fake, into `chatId`. Returns the fake's arrival time minus the moment it was sent.
 */
export async function directSend(fake: TelegramFake, template: Payload, chatId: number, n: number): Promise<number> {
  const text = `${textOf(template)}\nfloor #${n}`; // unique, so its call can be found
  const t0 = Date.now();
  const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...template, chat_id: chatId, text }),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`direct sendMessage answered ${res.status}`);
  const call = await fake.waitForCall('sendMessage', (c) => textOf(c.payload) === text);
  return call.at - t0;
}

/**
 * Pairs deliveries with the fake's sendMessage calls into `chats`: the first call naming exactly one
 * delivery id is its own notification; a call naming several is a merged summary.
 */
export function matchNotifications(calls: ApiCall[], chats: number[], delivered: Delivered[]) {
  const arrivals = new Map<string, number>();
  let summaries = 0;
  for (const call of calls) {
    if (call.method !== 'sendMessage' || call.status !== 200 || !chats.includes(Number(call.payload.chat_id))) continue;
    const named = delivered.filter(({ id }) => textOf(call.payload).includes(id));
    if (named.length > 1) summaries += 1;
    else if (named.length === 1 && !arrivals.has(named[0]!.id)) arrivals.set(named[0]!.id, call.at);
  }
  const latencies = delivered.flatMap(({ id, t0 }) => {
    const at = arrivals.get(id);
    return at === undefined ? [] : [at - t0];
  });
  return { latencies, summaries };
}
