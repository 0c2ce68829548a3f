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
/** A confirmation about to be mailed: written with the records that count it against the mail limits. */
export type PendingConfirmation = { token: string; value: Confirmation; mailedAt: number };

/** What an unsubscribe token stands for; rows from before consent was kept per address hold the chat alone. */
const unsubscribeTargetSchema = z.union([
  z.object({ chat: chatRefSchema, email: z.string().nullable() }),
  chatRefSchema.transform((chat) => ({ chat, email: null })),
]);
export type UnsubscribeTarget = z.infer<typeof unsubscribeTargetSchema>;
/** A confirmed address, a withdrawal, a confirmation mail: when. */
const whenSchema = z.object({ at: z.number() });
export type Consent = 'given' | 'withdrawn' | 'none';

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
 * Digest state, one writer per key: the digest command writes subscriptions, confirmations, unsubscribe
 * tokens and the confirmation-mail records; the confirmation and unsubscribe links write their own
 * keys (an address confirmed, a token used, consent withdrawn); the scheduler writes claims.
 */
export function createDigestRepository(store: KeyValueStore) {
  const parse = <T>(schema: z.ZodType<T, unknown>, value: unknown) => (value === undefined ? undefined : schema.parse(value));
  const pad = (ms: number) => String(ms).padStart(15, '0');

  /** The pending confirmation and the records of its mail (last to the address, one more from the chat). */
  const confirmationWrites = ({ token, value, mailedAt }: PendingConfirmation): Array<[string, unknown]> => [
    [keys.digestConfirm(token), confirmationSchema.parse(value)],
    [keys.digestMailedTo(value.email), { at: mailedAt }],
    [keys.digestMailFrom(value.chat, mailedAt, token), { email: value.email }],
  ];

  return {
    /** The command's write: the subscription, its unsubscribe token and maybe a confirmation, together. */
    async saveSubscription(subscription: Subscription, confirmation?: PendingConfirmation): Promise<void> {
      await store.write({
        set: [
          [keys.digest(subscription.chat), subscriptionSchema.parse(subscription)],
          [keys.digestUnsubscribe(subscription.unsubscribeToken), { chat: subscription.chat, email: subscription.email }],
          ...(confirmation ? confirmationWrites(confirmation) : []),
        ],
      });
    },
    async addConfirmation(confirmation: PendingConfirmation): Promise<void> {
      await store.write({ set: confirmationWrites(confirmation) });
    },
    /** When the last confirmation mail to `email` was sent, by any chat. */
    lastMailTo: async (email: string) => parse(whenSchema, await store.get(keys.digestMailedTo(email)))?.at,
    /** When the chat's confirmation mails since `fromMs` (inclusive) were sent, oldest first; older records are forgotten. */
    async mailsFrom(chat: ChatRef, fromMs: number): Promise<number[]> {
      const prefix = keys.digestMailedFrom(chat);
      await store.deleteRange(prefix, pad(fromMs));
      const recent = await store.scan(prefix, { from: pad(fromMs), keysOnly: true });
      return recent.map((entry) => Number(entry.key.slice(prefix.length, prefix.length + 15)));
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
    /** given: confirmed for the chat, and not unsubscribed since; withdrawn: unsubscribed since its last confirmation. */
    async consent(chat: ChatRef, email: string): Promise<Consent> {
      const [confirmed, withdrawn] = (await store.getMany([keys.digestAddress(chat, email), keys.digestWithdrawn(chat, email)])).map((value) => parse(whenSchema, value)?.at);
      if (confirmed !== undefined && (withdrawn === undefined || confirmed > withdrawn)) return 'given';
      return withdrawn === undefined ? 'none' : 'withdrawn';
    },
    withdrawnAt: async (chat: ChatRef, email: string) => parse(whenSchema, await store.get(keys.digestWithdrawn(chat, email)))?.at,

    unsubscribeTarget: async (token: string) => parse(unsubscribeTargetSchema, await store.get(keys.digestUnsubscribe(token))),
    isUnsubscribed: async (token: string) => (await store.get(keys.digestUnsubscribed(token))) !== undefined,
    /** The link's write: the token is used and the address's consent for the chat ends, together. */
    async unsubscribe(token: string, target: UnsubscribeTarget, at: number): Promise<void> {
      const withdrawal: Array<[string, unknown]> = target.email === null ? [] : [[keys.digestWithdrawn(target.chat, target.email), { at }]];
      await store.write({ set: [[keys.digestUnsubscribed(token), { at }], ...withdrawal] });
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
