import { z } from 'zod';

/** A conversation on one platform: a Telegram chat, a Slack or Discord channel, the console. */
export const chatRefSchema = z.object({ platform: z.string().min(1), chatId: z.string().min(1) });
export type ChatRef = z.infer<typeof chatRefSchema>;

export function chatKey(chat: ChatRef): string {
  return `${chat.platform}:${chat.chatId}`;
}
