import { startTelegramFake, type ApiCall, type TelegramFake } from '../test/fakes/telegram-fake.ts';
import { endpointUrlIn, type LatencyPlatform, type Notice, type Payload } from './latency-rig.ts';

const textOf = (payload: Payload) => (typeof payload.text === 'string' ? payload.text : '');

function noticeOf(call: ApiCall): Notice {
  return { chat: String(call.payload.chat_id), text: textOf(call.payload), at: call.at, payload: call.payload };
}

/**
 * Telegram for the notification latency scenario (latency-scenario.ts): the Bot API fake with hookwatch's
 * bot long-polling it, every chat allowed. Chat ids are strings in the scenario and numbers at the fake.
 */
export const telegramLatency: LatencyPlatform<TelegramFake> = {
  text: { name: 'Telegram', api: 'Bot API', method: 'sendMessage', chatKind: 'private chat' },
  chatId: (n) => String(1000 + n),
  // grammY's bot.start() begins with deleteWebhook.
  waitReady: (fake, timeoutMs) => fake.waitForCall('deleteWebhook', undefined, timeoutMs),
  startFake: () => startTelegramFake(),

  env(fake) {
    return { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot };
  },

  /** `/new bench` in a private chat; the webhook URL is read from the bot's reply. */
  async newEndpoint(fake, chat) {
    const chatId = Number(chat);
    const before = fake.sent(chatId).length;
    fake.sendUserMessage(chatId, '/new bench', { chatType: 'private' });
    const sent = await fake.waitForSent(before + 1, chatId, 10_000);
    return endpointUrlIn(sent[before]?.text ?? '', `in chat ${chat}`);
  },

  notices(fake) {
    return fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 200).map(noticeOf);
  },

  /** sendMessage as grammY sends it: JSON to /bot<token>/sendMessage. */
  async postDirect(fake, chat, payload) {
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...payload, chat_id: Number(chat) }),
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`direct sendMessage answered ${res.status}`);
  },
};
