import { z } from 'zod';
import { chatRefSchema, type ChatRef } from '../domain/chat.ts';
import type { KeyValueStore } from '../store/key-value-store.ts';
import { keys } from '../store/keys.ts';

export const subscriptionSchema = z.object({
  chat: chatRefSchema,
  schedule: z.enum(['hourly', 'daily', 'off']),
  /** The address asked for; digests go to it only once it is confirmed for this chat. */
  email: z.string().nullable(),
  /** When this schedule was chosen: periods ending before it are not sent. */
  since: z.number(),
  unsubscribeToken: z.string(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

export const confirmationSchema = z.object({ chat: chatRefSchema, email: z.string(), expiresAt: z.number() });
export type Confirmation = z.infer<typeof confirmationSchema>;

export const claimSchema = z.object({
  chat: chatRefSchema,
  email: z.string(),
  start: z.number(),
  end: z.number(),
  unsubscribeToken: z.string(),
  /** sending: claimed, not yet accepted by the SMTP server (resumed after a restart). */
  status: z.enum(['sending', 'sent', 'empty', 'failed']),
});
export type Claim = z.infer<typeof claimSchema>;

/** Claims kept per chat: the newest tells where the next period starts. */
const CLAIMS_KEPT = 3;

export type DigestRepository = ReturnType<typeof createDigestRepository>;

/**
 * Digest state, one writer per key: the digest command writes subscriptions, confirmations and
 * unsubscribe tokens; the confirmation and unsubscribe links write their own "used" keys; the
 * scheduler writes claims.
 */
export function createDigestRepository(store: KeyValueStore) {
  const parse = <T>(schema: z.ZodType<T>, value: unknown) => (value === undefined ? undefined : schema.parse(value));

  return {
    /** The command's write: the subscription, its unsubscribe token and maybe a confirmation, together. */
    async saveSubscription(subscription: Subscription, confirmation?: { token: string; value: Confirmation }): Promise<void> {
      await store.write({
        set: [
          [keys.digest(subscription.chat), subscriptionSchema.parse(subscription)],
          [keys.digestUnsubscribe(subscription.unsubscribeToken), subscription.chat],
          ...(confirmation ? [[keys.digestConfirm(confirmation.token), confirmationSchema.parse(confirmation.value)] as [string, unknown]] : []),
        ],
      });
    },
    async addConfirmation(token: string, confirmation: Confirmation): Promise<void> {
      await store.write({ set: [[keys.digestConfirm(token), confirmationSchema.parse(confirmation)]] });
    },
    subscription: async (chat: ChatRef) => parse(subscriptionSchema, await store.get(keys.digest(chat))),
    async subscriptions(): Promise<Subscription[]> {
      return (await store.scan(keys.digests)).map((entry) => subscriptionSchema.parse(entry.value));
    },

    confirmation: async (token: string) => parse(confirmationSchema, await store.get(keys.digestConfirm(token))),
    confirmationUsed: async (token: string) => (await store.get(keys.digestConfirmUsed(token))) !== undefined,
    /** The link's write: the address is confirmed for the chat and the token is spent, together. */
    async confirm(token: string, confirmation: Confirmation, at: number): Promise<void> {
      await store.write({ set: [[keys.digestConfirmUsed(token), { at }], [keys.digestAddress(confirmation.chat, confirmation.email), { token, at }]] });
    },
    isConfirmed: async (chat: ChatRef, email: string) => (await store.get(keys.digestAddress(chat, email))) !== undefined,

    unsubscribeChat: async (token: string) => parse(chatRefSchema, await store.get(keys.digestUnsubscribe(token))),
    isUnsubscribed: async (token: string) => (await store.get(keys.digestUnsubscribed(token))) !== undefined,
    async unsubscribe(token: string, at: number): Promise<void> {
      await store.write({ set: [[keys.digestUnsubscribed(token), { at }]] });
    },

    async lastClaim(chat: ChatRef): Promise<Claim | undefined> {
      const [last] = await store.scan(keys.digestChatClaims(chat), { reverse: true, limit: 1 });
      return last && claimSchema.parse(last.value);
    },
    claim: async (chat: ChatRef, end: number) => parse(claimSchema, await store.get(keys.digestClaim(chat, end))),
    async saveClaim(claim: Claim): Promise<void> {
      await store.write({ set: [[keys.digestClaim(claim.chat, claim.end), claimSchema.parse(claim)]] });
      if (claim.status !== 'sending') await store.keepNewest(keys.digestChatClaims(claim.chat), CLAIMS_KEPT);
    },
    async unfinishedClaims(): Promise<Claim[]> {
      return (await store.scan(keys.digestClaims)).map((entry) => claimSchema.parse(entry.value)).filter((claim) => claim.status === 'sending');
    },
  };
}
