import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-fake.ts';
import { startClockedService, type ClockedService } from '../helpers/start-clocked-service.ts';
import { buttonsOf, nextSent as nextReply } from '../helpers/telegram-replies.ts';

const USER = 7001;
const STRANGER = 7002;
const MINUTE = 60_000;

describe('alerts on Telegram, through the Bot API fake, with a clock the test moves', () => {
  let fake: TelegramFake;
  let service: ClockedService;
  const clock = { ms: Date.parse('2026-11-26T09:00:00Z') };

  const nextSent = (chatId: number, action: () => unknown) => nextReply(fake, chatId, action);
  const command = (chatId: number, text: string) => nextSent(chatId, () => fake.sendUserMessage(chatId, text));
  const buttons = buttonsOf;

  beforeAll(async () => {
    fake = await startTelegramFake();
    service = await startClockedService({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot }, clock);
    await fake.waitForCall('setMyCommands');
  });
  afterAll(async () => {
    await service.stop();
    await fake.stop();
  });

  it('lists expect, alerts and ack in the command menu', () => {
    expect(fake.commands.map((c) => c.command)).toEqual(expect.arrayContaining(['expect', 'alerts', 'ack']));
  });

  it('tells a silence in HTML with an Acknowledge button that works, refuses the alert to another chat, and tells the return', async () => {
    const created = await command(USER, '/new stripe');
    const path = new URL(/https:\/\/hooks\.example\.com\/wh\/[\w-]+/.exec(created.text ?? '')![0]).pathname;
    expect((await command(USER, '/expect stripe 15m')).text).toBe('✅ Expecting stripe every 15m\nAn alert here when nothing arrives for 15m.');

    clock.ms += 20 * MINUTE;
    const alert = await nextSent(USER, () => service.alerts.tick());
    expect(alert.parseMode).toBe('HTML');
    expect(alert.raw).toContain('<b>⛔ stripe silent for 20m</b>');
    expect(alert.text).toContain('Expected every 15m; nothing since the expectation was set at 2026-11-26 09:00:00 UTC.');
    expect(buttons(alert).map((button) => button.text)).toEqual(['Acknowledge', 'Last deliveries']);
    const ack = buttons(alert)[0]!.callback_data!;
    expect(ack).toMatch(/^ack \w{16}$/);

    expect((await command(STRANGER, `/${ack}`)).text).toBe(`⚠️ No alert "${ack.slice(4)}" in this chat. /alerts lists the open ones with their ids.`);
    const acknowledged = await nextSent(USER, () => fake.pressButton(USER, alert.messageId, ack));
    expect(acknowledged.text).toMatch(/^✅ Acknowledged: stripe silent\nNo reminders until it resolves/);

    clock.ms += 5 * MINUTE;
    // The delivery's notification and the alert's end: two messages, in either order.
    const before = fake.sent(USER).length;
    await fetch(service.url + path, { method: 'POST', body: '{}' });
    await fake.waitForSent(before + 2, USER);
    expect(fake.sent(USER).slice(before).map((sent) => sent.text)).toContainEqual(expect.stringMatching(/^✅ stripe back after 25m\nResolved by delivery \w+\.$/));
  });
});
