import type { Cluster, LeaderWork } from './cluster.ts';

/** SQLite: one process (the file lock refuses a second), so it leads from start to stop and tells no one. */
export function createSoloCluster(): Cluster {
  let work: LeaderWork | undefined;
  return {
    shared: false,
    async lead(leaderWork) {
      work = leaderWork;
      await work.start();
    },
    isLeader: () => work !== undefined,
    idSlot: () => undefined,
    publish() {},
    subscribe() {},
    async close() {
      await work?.stop();
      work = undefined;
    },
  };
}
