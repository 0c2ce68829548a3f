import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cluster } from '../../src/cluster/cluster.ts';
import { openCluster } from '../../src/cluster/open-cluster.ts';
import { cutLeadersConnection } from '../helpers/cut-leaders-connection.ts';
import { ROOT } from '../helpers/npm-start.ts';
import { createTestDatabase, testPostgresUrl } from '../helpers/postgres-database.ts';
import { silentLogger } from '../helpers/start-test-service.ts';

/** Leader work that records its starts and stops. */
function recordingWork() {
  const events: string[] = [];
  return { events, work: { start: async () => void events.push('start'), stop: async () => void events.push('stop') } };
}

async function until(condition: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const clusters: Cluster[] = [];
afterEach(async () => {
  await Promise.all(clusters.splice(0).map((cluster) => cluster.close()));
});

function join(url: string): Cluster {
  const cluster = openCluster(url, silentLogger, { tryEveryMs: 100 });
  clusters.push(cluster);
  return cluster;
}

describe('a SQLite process', () => {
  it('leads from the start until it closes, and tells no one', async () => {
    const cluster = openCluster('sqlite://data/x.sqlite', silentLogger);
    const { events, work } = recordingWork();
    await cluster.lead(work);
    expect(cluster.shared).toBe(false);
    expect(cluster.isLeader()).toBe(true);
    cluster.publish('changed', ['abc']);
    await cluster.close();
    expect(events).toEqual(['start', 'stop']);
  });
});

describe.skipIf(!testPostgresUrl)('processes on one PostgreSQL database', () => {
  it('lets one lead; when its process is killed, another takes over', async () => {
    const url = await createTestDatabase();
    // The first leader is another OS process running the compiled module, so kill -9 is real.
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `
      import { openCluster } from './dist/cluster/open-cluster.js';
      import { pino } from 'pino';
      const cluster = openCluster(process.env.URL, pino({ level: 'silent' }), { tryEveryMs: 100 });
      await cluster.lead({ start: async () => console.log('leading'), stop: async () => {} });
    `], { cwd: ROOT, env: { ...process.env, URL: url } });
    let output = '';
    holder.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => output.includes('leading'), () => 'the other process leads');

    const cluster = join(url);
    const { events, work } = recordingWork();
    await cluster.lead(work);
    // Several of its tries for the lock go by without it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(cluster.isLeader()).toBe(false);
    expect(events).toEqual([]);

    holder.kill('SIGKILL');
    await once(holder, 'exit');
    await until(() => events.length > 0, () => 'this process takes over');
    expect(cluster.isLeader()).toBe(true);
    expect(events).toEqual(['start']);
  });

  it('stops the leader\'s work when its connection is cut, lets another lead, and tries again', async () => {
    const url = await createTestDatabase();
    const first = join(url);
    const second = join(url);
    const one = recordingWork();
    const two = recordingWork();
    await first.lead(one.work);
    await second.lead(two.work);
    expect([first.isLeader(), second.isLeader()]).toEqual([true, false]);

    expect(await cutLeadersConnection(url)).toBe(1);

    await until(() => one.events.includes('stop') && two.events.includes('start'), () => `the leadership moves ${JSON.stringify([one.events, two.events])}`);
    expect(first.isLeader()).toBe(false);
    await second.close();
    await until(() => one.events.length === 3, () => 'the first process leads again');
    expect(one.events).toEqual(['start', 'stop', 'start']);
  });

  it('gives each live process its own id slot', async () => {
    const url = await createTestDatabase();
    const processes = [join(url), join(url), join(url)];
    for (const cluster of processes) await cluster.lead(recordingWork().work);
    const slots = processes.map((cluster) => cluster.idSlot());
    expect(slots.every((slot) => slot !== undefined)).toBe(true);
    expect(new Set(slots).size).toBe(3);
  });

  it('hands each topic of one turn to its own listeners, items with spaces whole', async () => {
    const url = await createTestDatabase();
    const [sender, listener] = [join(url), join(url)];
    for (const cluster of [sender, listener]) await cluster.lead(recordingWork().work);
    const heard: Array<[string, string[]]> = [];
    listener.subscribe('delivered', (items) => heard.push(['delivered', items]));
    listener.subscribe('alerts', (items) => heard.push(['alerts', items]));
    sender.publish('delivered', ['e1 d1 0']);
    sender.publish('alerts', ['{"op":"acknowledge","alertId":"a 1"}']);
    sender.publish('delivered', ['e2 d2 1']);
    await until(() => heard.length === 2, () => JSON.stringify(heard));
    expect(heard).toEqual([['delivered', ['e1 d1 0', 'e2 d2 1']], ['alerts', ['{"op":"acknowledge","alertId":"a 1"}']]]);
  });

  it('broadcasts to every other process, however many items, and not back to the sender', async () => {
    const url = await createTestDatabase();
    const sender = join(url);
    const listener = join(url);
    await sender.lead(recordingWork().work);
    await listener.lead(recordingWork().work);
    const heard: string[][] = [];
    const echoed: string[] = [];
    listener.subscribe('work', (items) => heard.push(items));
    listener.subscribe('changed', () => heard.push(['wrong topic']));
    sender.subscribe('work', (items) => echoed.push(...items));

    // About 100 KB in one turn: more than a dozen NOTIFY payloads.
    const items = Array.from({ length: 2500 }, (_, i) => `outbox:${String(i).padStart(6, '0')}:telegram:12345678`);
    sender.publish('work', items.slice(0, 1000));
    sender.publish('work', items.slice(1000));
    await until(() => heard.flat().length === items.length, () => 'everything is heard');
    expect(heard.flat()).toEqual(items);
    expect(heard.length).toBeGreaterThan(10);
    expect(echoed).toEqual([]);
  });
});
