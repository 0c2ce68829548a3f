/**
 * What several hookwatch processes on one database share: which of them leads (runs the work that
 * must run once: platform sessions, sending, schedulers) and a broadcast between them. With SQLite
 * there is one process, always the leader, and nothing to broadcast.
 */
export interface Cluster {
  /** False for SQLite: this process is the whole service. */
  readonly shared: boolean;
  /** Starts `work` whenever this process becomes the leader and stops it when it no longer is. Call once. */
  lead(work: LeaderWork): Promise<void>;
  isLeader(): boolean;
  /** This process's id slot among the live processes (see createDeliveryIdGenerator); undefined alone. */
  idSlot(): number | undefined;
  /** Tells the other processes; items of one event-loop turn go out together, split to fit a message. */
  publish(topic: Topic, items: string[]): void;
  /** What other processes publish (never this process's own). */
  subscribe(topic: Topic, handler: (items: string[]) => void): void;
  /** Stops the leader's work (if this process leads) and leaves the cluster. */
  close(): Promise<void>;
}

/**
 * work: outbox and relay job keys a process stored, for the leader to send; delivered: deliveries a
 * process stored, for the leader's retention and alerts; changed: endpoints whose cached rows (and
 * forwarding targets) are stale; claims: event-id claims and removals; deleting: endpoints being
 * deleted, whose writes every process stops; alerts: changes commands ask of the alerts, which the leader keeps.
 */
export type Topic = 'work' | 'delivered' | 'changed' | 'claims' | 'deleting' | 'alerts';
export const TOPICS = ['work', 'delivered', 'changed', 'claims', 'deleting', 'alerts'] as const satisfies readonly Topic[];

export interface LeaderWork {
  start(): Promise<void>;
  stop(): Promise<void>;
}
