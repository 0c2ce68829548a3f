import { chatKey, type ChatRef } from '../domain/chat.ts';

/**
 * The key layout. Every key is written whole by one writer and never read-modify-written:
 * collections are key prefixes (one key per member), so concurrent writers cannot lose each
 * other's work. Ids inside keys sort by time, so a prefix scan is a time-ordered index. Counts
 * are the exception: the store adds to them in place (WriteOp `add`), so no writer reads one first.
 */
export const keys = {
  endpoint: (id: string) => `endpoint:${id}`,
  allEndpoints: 'endpoint:',
  token: (token: string) => `token:${token}`,
  chatEndpoints: (chat: ChatRef) => `chat:${encodeURIComponent(chatKey(chat))}:`,
  chatEndpoint: (chat: ChatRef, endpointId: string) => `${keys.chatEndpoints(chat)}${endpointId}`,
  allDeliveries: 'delivery:',
  deliveries: (endpointId: string) => `delivery:${endpointId}:`,
  delivery: (endpointId: string, deliveryId: string) => `delivery:${endpointId}:${deliveryId}`,
  /** How many keys a collection holds (`delivery:<endpoint id>:`), kept by the writes that add and remove them. */
  countOf: (collection: string) => `count:${collection}`,
  /** Set once every endpoint's delivery count was taken from its rows (databases from before counts were kept). */
  countsTaken: 'meta:counts-taken',
  rejections: (endpointId: string) => `rejected:${endpointId}:`,
  rejection: (endpointId: string, id: string) => `rejected:${endpointId}:${id}`,
  /** Notifications dropped for good (dispatcher), for `show`. */
  undeliveredOf: (endpointId: string) => `undelivered:${endpointId}:`,
  undelivered: (endpointId: string, deliveryId: string) => `undelivered:${endpointId}:${deliveryId}`,
  /**
   * What `find` searches, one entry per delivery under the same id (delivery repository); of a forwarding
   * endpoint, rewritten as its relays settle (forward repository, one settle at a time per delivery).
   */
  allFindEntries: 'find:',
  findEntries: (endpointId: string) => `find:${endpointId}:`,
  findEntry: (endpointId: string, deliveryId: string) => `find:${endpointId}:${deliveryId}`,
  allEventIds: 'eventid:',
  eventIds: (endpointId: string) => `eventid:${endpointId}:`,
  eventId: (endpointId: string, eventIdHash: string) => `eventid:${endpointId}:${eventIdHash}`,
  /** The event-id key a delivery claimed, by delivery id: retention removes it with the delivery. */
  allEventIdsByDelivery: 'eventid-of:',
  eventIdsByDelivery: (endpointId: string) => `eventid-of:${endpointId}:`,
  eventIdOf: (endpointId: string, deliveryId: string) => `eventid-of:${endpointId}:${deliveryId}`,
  outbox: 'outbox:',
  outboxEntry: (deliveryId: string, chat: ChatRef) => `outbox:${deliveryId}:${encodeURIComponent(chatKey(chat))}`,
  /** Why the last notification for an endpoint could not be sent, until one is (dispatcher). */
  sendErrors: 'send-error:',
  sendError: (endpointId: string) => `send-error:${endpointId}`,
  /** When a chat was last sent to, so a restarted process keeps the platform's pace (dispatcher). */
  recentSends: (chat: ChatRef) => `sends:${encodeURIComponent(chatKey(chat))}`,
  /** A chat's digest subscription (written by the digest command). */
  digests: 'digest:',
  digest: (chat: ChatRef) => `digest:${encodeURIComponent(chatKey(chat))}`,
  /** A pending address confirmation (digest command) and its use (confirmation link). */
  digestConfirm: (token: string) => `digest-confirm:${token}`,
  digestConfirmUsed: (token: string) => `digest-confirmed:${token}`,
  /** An address confirmed for a chat (confirmation link). */
  digestAddress: (chat: ChatRef, email: string) => `digest-address:${encodeURIComponent(chatKey(chat))}:${encodeURIComponent(email)}`,
  /** Unsubscribe token -> chat and address (digest command), and its use (unsubscribe link). */
  digestUnsubscribe: (token: string) => `digest-unsubscribe:${token}`,
  digestUnsubscribed: (token: string) => `digest-unsubscribed:${token}`,
  /** When an address withdrew its consent for a chat (unsubscribe link): nothing goes to it until a later confirmation. */
  digestWithdrawn: (chat: ChatRef, email: string) => `digest-withdrawn:${encodeURIComponent(chatKey(chat))}:${encodeURIComponent(email)}`,
  /** Confirmation mails sent, for their limits (digest command): the last per address, and each per chat by time. */
  digestMailedTo: (email: string) => `digest-mailed-to:${encodeURIComponent(email)}`,
  digestMailedFrom: (chat: ChatRef) => `digest-mailed-from:${encodeURIComponent(chatKey(chat))}:`,
  digestMailFrom: (chat: ChatRef, at: number, token: string) => `${keys.digestMailedFrom(chat)}${String(at).padStart(15, '0')}:${token}`,
  /** Claims of digest periods, so each is sent once across restarts (scheduler). */
  digestClaims: 'digest-sent:',
  digestChatClaims: (chat: ChatRef) => `digest-sent:${encodeURIComponent(chatKey(chat))}:`,
  digestClaim: (chat: ChatRef, periodEnd: number) => `${keys.digestChatClaims(chat)}${String(periodEnd).padStart(15, '0')}`,
  /** An alert (alert service), a chat's alerts by opening time, and the one open alert per kind and subject. */
  alert: (id: string) => `alert:${id}`,
  chatAlerts: (chat: ChatRef) => `alert-chat:${encodeURIComponent(chatKey(chat))}:`,
  chatAlert: (chat: ChatRef, alertId: string) => `${keys.chatAlerts(chat)}${alertId}`,
  openAlerts: 'alert-open:',
  openAlert: (openKey: string) => `alert-open:${openKey}`,
  /** An endpoint's silence expectation (expect command), and when the scheduler next looks at it. */
  expectation: (endpointId: string) => `expect:${endpointId}`,
  silenceChecks: 'expect-due:',
  silenceCheck: (at: number, endpointId: string) => `expect-due:${String(Math.max(0, at)).padStart(15, '0')}:${endpointId}`,
  /** An endpoint's forwarding targets (forward command). */
  forwardTargets: 'forward-target:',
  endpointTargets: (endpointId: string) => `forward-target:${endpointId}:`,
  forwardTarget: (endpointId: string, targetId: string) => `forward-target:${endpointId}:${targetId}`,
  /** Relays not yet settled, written with their delivery (receiver) or by replay; the worker's queue. */
  relayJobs: 'relay:',
  deliveryRelayJobs: (deliveryId: string) => `relay:${deliveryId}:`,
  relayJob: (deliveryId: string, targetId: string) => `relay:${deliveryId}:${targetId}`,
  /** Every try of a delivery's relays, by time (attempts command). */
  endpointRelayAttempts: (endpointId: string) => `relay-try:${endpointId}:`,
  relayAttempts: (endpointId: string, deliveryId: string) => `relay-try:${endpointId}:${deliveryId}:`,
  relayAttempt: (endpointId: string, deliveryId: string, attemptId: string) => `relay-try:${endpointId}:${deliveryId}:${attemptId}`,
  /** Relays whose last try failed for good, per endpoint (replay <endpoint> failed); cleared by a success. */
  relayFailures: (endpointId: string) => `relay-failed:${endpointId}:`,
  relayFailure: (endpointId: string, deliveryId: string, targetId: string) => `relay-failed:${endpointId}:${deliveryId}:${targetId}`,
  /** A watched API (watch command), what its poller last saw, its answers kept as deliveries, and when it is next polled. */
  watch: (endpointId: string) => `watch:${endpointId}`,
  watchState: (endpointId: string) => `watch-state:${endpointId}`,
  watchAnswers: (endpointId: string) => `watch-answer:${endpointId}:`,
  watchAnswer: (endpointId: string, deliveryId: string) => `watch-answer:${endpointId}:${deliveryId}`,
  watchPolls: 'watch-due:',
  watchPoll: (at: number, endpointId: string) => `watch-due:${String(Math.max(0, at)).padStart(15, '0')}:${endpointId}`,
};

export function lastSegment(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}
