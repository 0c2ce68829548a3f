import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeApi } from '../fakes/api-server.ts';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-fake.ts';
import { startClockedService, type ClockedService } from '../helpers/start-clocked-service.ts';
import { buttonsOf, nextSent } from '../helpers/telegram-replies.ts';

const USER = 7001;
const MINUTE = 60_000;

describe('API watches on Telegram, through the Bot API fake, against a local API that changes on cue', () => {
  let fake: TelegramFake;
  let api: FakeApi;
  let service: ClockedService;
  const clock = { ms: Date.parse('2026-11-26T09:00:00Z') };

  const command = (text: string) => nextSent(fake, USER, () => fake.sendUserMessage(USER, text));
  const buttons = buttonsOf;
  const poll = (minutes: number) =>
    nextSent(fake, USER, async () => {
      clock.ms += minutes * MINUTE;
      await service.watches.settle();
    });

  beforeAll(async () => {
    fake = await startTelegramFake();
    api = await FakeApi.start();
    service = await startClockedService({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, FORWARD_ALLOW_PRIVATE: 'true' }, clock);
    await fake.waitForCall('setMyCommands');
  });
  afterAll(async () => {
    await service.stop();
    await fake.stop();
    await api.close();
  });

  it('lists watch, watches, unwatch and diff in the command menu', () => {
    expect(fake.commands.map((c) => c.command)).toEqual(expect.arrayContaining(['watch', 'watches', 'unwatch', 'diff']));
  });

  it('tells a change in HTML with the sender-controlled text escaped, cut to fit, and a Diff button that lists it all', async () => {
    const items = (n: number, label: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${String(i).padStart(2, '0')}`, `${label}<b>${i}</b>`]));
    api.answer = { status: 200, body: JSON.stringify(items(30, 'a')) };
    expect((await command(`/watch ${api.url()} every 1m as order42`)).text).toMatch(/^✅ Watching order42\nGET http:\/\/127\.0\.0\.1:\d+\/orders\/42 every 1m\./);
    expect((await poll(0)).text).toMatch(/^✅ Watching order42: first answer HTTP 200 · application\/json · \d+ B/);

    api.answer = { status: 200, body: JSON.stringify(items(30, 'b')) };
    const changed = await poll(1);
    expect(changed.parseMode).toBe('HTML');
    expect(changed.raw).toContain('k00: &quot;a&lt;b&gt;0&lt;/b&gt;&quot; -&gt; &quot;b&lt;b&gt;0&lt;/b&gt;&quot;');
    expect(changed.text).toContain('… and 15 more: Diff lists them all.');
    expect(buttons(changed).map((button) => button.text)).toEqual(['Diff', 'Payload', 'Mute 1h']);

    const diff = await nextSent(fake, USER, () => fake.pressButton(USER, changed.messageId, buttons(changed)[0]!.callback_data!));
    expect(diff.text).toContain('k29: "a<b>29</b>" -> "b<b>29</b>"');
  });
});
