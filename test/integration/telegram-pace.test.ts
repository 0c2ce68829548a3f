import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannels } from '../../src/channels/index.ts';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram-fake.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

const CHATS = 100;

describe('the Telegram bot under many chats at once', () => {
  let fake: TelegramFake;
  let service: TestService;

  beforeAll(async () => {
    fake = await startTelegramFake();
    service = await startTestService(testConfig({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot }), createChannels);
  });
  afterAll(async () => {
    await service.stop();
    await fake.stop();
  });

  it('keeps to Telegram\'s 30 messages a second across chats when 100 chats each get a notification at once', async () => {
    const chatIds = Array.from({ length: CHATS }, (_, i) => 5000 + i);
    // Endpoints made through the command layer directly: their replies would take the same global slots.
    const urls = await Promise.all(
      chatIds.map(async (chatId) => localUrl(service, await say(service, `new pace-${chatId}`, { chat: { platform: 'telegram', chatId: String(chatId) }, format: (name, args = []) => [name, ...args].join(' ') }))),
    );
    const responses = await Promise.all(urls.map((url) => fetch(url, { method: 'POST', body: '{"type":"at.once"}' })));
    expect(responses.every((response) => response.ok)).toBe(true);
    await fake.waitForSent(CHATS, undefined, 10_000);
    expect(new Set(fake.sent().map((sent) => sent.chatId))).toEqual(new Set(chatIds));
    expect(fake.maxPerSecondOverall()).toBeLessThanOrEqual(30);
  });
});
