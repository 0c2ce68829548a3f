import { setTimeout as wait } from 'node:timers/promises';
import { chatKey, type ChatRef } from '../domain/chat.ts';
import { createPacer, type ChatPace, type Pace } from './pacer.ts';

export interface TurnOptions {
  /** The wait for the pace (the dispatcher's, which its stop cuts short). */
  sleep?: (ms: number) => Promise<void>;
  /** Checked before and after each wait: true gives the turn up without sending. */
  cancelled?: () => boolean;
}

export type ChatPacing = ReturnType<typeof createChatPacing>;

type Pacer = ReturnType<typeof createPacer>;

/**
 * Every message to a chat, notification or command reply, takes its turn here: one at a time per chat,
 * each no sooner than the platform's pace allows after the previous one was answered. `restore` gives
 * the send times an earlier run recorded, so a restart keeps to the pace too.
 */
export function createChatPacing(options: { restore(chat: ChatRef): Promise<number[]>; now?: () => number }) {
  const now = options.now ?? Date.now;
  const chats = new Map<string, { pacer: Pacer; tail: Promise<unknown> }>();
  const platforms = new Map<string, Pacer>();

  function chatState(chat: ChatRef, pace: Pace) {
    let state = chats.get(chatKey(chat));
    if (!state) {
      const created = { pacer: createPacer(pace), tail: Promise.resolve() as Promise<unknown> };
      created.tail = options.restore(chat).then(
        (times) => void (created.pacer = createPacer(pace, times)),
        () => undefined, // unknown: start from now, as a first run does
      );
      chats.set(chatKey(chat), (state = created));
    }
    return state;
  }

  function platformPacer(platform: string, pace: Pace = {}): Pacer {
    let pacer = platforms.get(platform);
    if (!pacer) platforms.set(platform, (pacer = createPacer(pace)));
    return pacer;
  }

  return {
    /** Runs `send` in the chat's turn once the pace allows; undefined if cancelled before it ran. */
    turn<T>(chat: ChatRef, pace: ChatPace, send: () => Promise<T>, turnOptions: TurnOptions = {}): Promise<T | undefined> {
      const state = chatState(chat, pace.chat);
      const global = platformPacer(chat.platform, pace.platform);
      const sleep = turnOptions.sleep ?? ((ms: number) => wait(ms));
      const run = state.tail.then(async () => {
        for (;;) {
          if (turnOptions.cancelled?.()) return undefined;
          const delay = Math.max(state.pacer.delayMs(now()), global.delayMs(now()));
          if (delay <= 0) break;
          await sleep(delay);
        }
        // The platform-wide slot is taken before sending (with no await since the check), so sends to
        // many chats at once cannot all pass the check before any of them is counted.
        const settle = global.reserve();
        try {
          return await send();
        } finally {
          // Both count from when the platform answered: a send slowed by its own 429 retry still counts then.
          settle(now());
          state.pacer.record(now());
        }
      });
      state.tail = run.catch(() => undefined);
      return run;
    },

    /** The chat's sends that still count against its pace. */
    recent: (chat: ChatRef): number[] => chats.get(chatKey(chat))?.pacer.recent(now()) ?? [],

    /** The same with a send starting now: what to record before it, so a crash during it still keeps the pace. */
    recentWithSend: (chat: ChatRef): number[] => chats.get(chatKey(chat))?.pacer.recentWithSend(now()) ?? [now()],
  };
}
