import type { SentRecord, TelegramFake } from '../fakes/telegram-fake.ts';

/** The next message the bot sends to `chatId` after `action` (a typed command, a button, a clock tick). */
export async function nextSent(fake: TelegramFake, chatId: number, action: () => unknown): Promise<SentRecord> {
  const before = fake.sent(chatId).length;
  await action();
  await fake.waitForSent(before + 1, chatId);
  return fake.sent(chatId)[before]!;
}

export const buttonsOf = (sent: SentRecord) => sent.replyMarkup?.inline_keyboard.flat() ?? [];
