import type { ChatRef } from '../domain/chat.ts';

const PLACES: Record<string, string> = { telegram: 'Telegram chat', slack: 'Slack channel', discord: 'Discord channel', console: 'the console chat' };

/** `Slack channel C0123`: how a digest names the chat it reports on. */
export function chatLabel(chat: ChatRef): string {
  if (chat.platform === 'console') return 'the console chat';
  return `${PLACES[chat.platform] ?? `${chat.platform} chat`} ${chat.chatId}`;
}
