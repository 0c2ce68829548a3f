import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelayTarget, type RelayTarget } from '../fakes/relay-target.ts';
import { startTelegramFake, type SentRecord, type TelegramFake } from '../fakes/telegram-fake.ts';
import { startClockedService, type ClockedService } from '../helpers/start-clocked-service.ts';

const USER = 7101;

describe('forwarding on Telegram, through the Bot API fake', () => {
  let fake: TelegramFake;
  let service: ClockedService;
  let target: RelayTarget;
  const realClock = { get ms() { return Date.now(); } };

  const buttons = (sent: SentRecord) => sent.replyMarkup?.inline_keyboard.flat() ?? [];
  async function command(text: string): Promise<SentRecord> {
    const before = fake.sent(USER).length;
    fake.sendUserMessage(USER, text);
    await fake.waitForSent(before + 1, USER);
    return fake.sent(USER)[before]!;
  }

  beforeAll(async () => {
    fake = await startTelegramFake();
    target = await startRelayTarget(() => ({ status: 422, body: '{"error":"unknown customer"}' }));
    service = await startClockedService({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, FORWARD_ALLOW_PRIVATE: 'true' }, realClock);
    await fake.waitForCall('setMyCommands');
  });
  afterAll(async () => {
    await service.stop();
    await target.close();
    await fake.stop();
  });

  it('lists forward, replay and attempts in the command menu', () => {
    expect(fake.commands.map((c) => c.command)).toEqual(expect.arrayContaining(['forward', 'replay', 'attempts']));
  });

  it('tells a final failure once with a Replay button that sends the delivery again', async () => {
    const created = await command('/new shop');
    const path = new URL(/https:\/\/hooks\.example\.com\/wh\/[\w-]+/.exec(created.text ?? '')![0]).pathname;
    expect((await command(`/forward shop ${target.url}/orders`)).text).toMatch(/^✅ shop forwards to http:\/\/127\.0\.0\.1:\d+\/orders\n/);

    const before = fake.sent(USER).length;
    const { id } = (await (await fetch(service.url + path, { method: 'POST', body: '{"type":"order.created"}' })).json()) as { id: string };
    // The notification, the target's alert and the final failure: three messages, in any order.
    await fake.waitForSent(before + 3, USER);
    const failure = fake.sent(USER).slice(before).find((sent) => sent.text?.startsWith(`⛔ shop: forwarding of ${id} failed`))!;
    expect(failure.text).toMatch(new RegExp(`\\n${target.url}/orders -> 422 in \\d+ ms\\n1 try; not tried again unless replayed\\.`));
    expect(buttons(failure).map((button) => [button.text, button.callback_data])).toEqual([['Replay', `replay ${id}`], ['Attempts', `attempts ${id}`]]);

    target.answerWith(() => ({ status: 200 }));
    const replayedAt = fake.sent(USER).length;
    await fake.pressButton(USER, failure.messageId, `replay ${id}`);
    // The reply, and the target's alert resolving (the replay was its first success): in any order, a second apart at the chat's pace.
    const replies = () => fake.sent(USER).slice(replayedAt).map((sent) => sent.text ?? '');
    await expect.poll(replies, { timeout: 10_000 }).toContainEqual(expect.stringMatching(new RegExp(`^✅ Replayed ${id}: 1 of 1 delivered\\n${target.url}/orders -> 200 in \\d+ ms`)));
    expect(target.received).toHaveLength(2);
  });
});
