import type { Channel } from '../../src/channels/channel.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Pace } from '../../src/notify/pacer.ts';

export interface SentMessage {
  chatId: string;
  message: Message;
}

/** A channel that keeps what it is asked to send; `failWith` makes the next sends throw (while it returns an error). */
export function createRecordingChannel(platform = 'test') {
  const sent: SentMessage[] = [];
  const sentAt: number[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let failure: (() => Error | undefined) | undefined;
  let hang = false;
  let pace: Pace = {};
  /** Every call of send, also failed and hanging ones. */
  const attempts = { count: 0 };
  /** When each of those calls came (ms). */
  const attemptedAt: number[] = [];

  const channel: Channel = {
    platform,
    start: async () => undefined,
    stop: async () => undefined,
    pace: () => ({ chat: pace }),
    async send(chatId, message) {
      attempts.count += 1;
      attemptedAt.push(Date.now());
      if (hang) return new Promise<void>(() => undefined);
      const error = failure?.();
      if (error) throw error;
      sent.push({ chatId, message });
      sentAt.push(Date.now());
      for (const waiter of waiters.filter((w) => sent.length >= w.count)) waiter.resolve();
    },
  };

  return {
    channel,
    attempts,
    attemptedAt,
    sent,
    sentAt,
    failWith(make: (() => Error | undefined) | undefined) {
      failure = make;
    },
    /** Sends never complete: the process "dies" before a notification goes out. */
    hangSends() {
      hang = true;
    },
    setPace(next: Pace) {
      pace = next;
    },
    waitFor(count: number, timeoutMs = 5000): Promise<void> {
      if (sent.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${sent.length} of ${count} messages sent`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}
