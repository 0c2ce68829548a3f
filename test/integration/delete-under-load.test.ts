import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite-store.ts';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig } from '../helpers/start-test-service.ts';

const WORKERS = 16;

describe('delete under load', () => {
  it('answers 404 to every request after the reply and leaves no row of the endpoint', async () => {
    const config = testConfig({ MAX_BODY_BYTES: '1000' });
    const chat = createRecordingChannel();
    // Notifications stay queued, so outbox entries exist when the delete comes.
    chat.failWith(() => new Error('chat platform down'));
    const service = await startTestService(config, [chat.channel]);
    const url = localUrl(service, await say(service, 'new doomed'));
    const id = (await say(service, 'show doomed')).fields?.find((field) => field.label === 'Id')?.value ?? '';
    await say(service, 'new kept');

    let replied = false;
    let sent = 0;
    let afterReply = 0;
    const statuses = { before: new Map<number, number>(), after: new Map<number, number>() };
    async function worker(): Promise<void> {
      while (afterReply < 400) {
        const n = sent++;
        const started = replied;
        // Every fifth is too large (a rejection row); the rest carry an event id (an index row).
        const body = n % 5 === 0 ? 'x'.repeat(2000) : JSON.stringify({ n });
        const response = await fetch(url, { method: 'POST', headers: { 'x-github-event': 'push', 'x-github-delivery': `d-${n}` }, body });
        await response.arrayBuffer();
        const tally = started ? statuses.after : statuses.before;
        tally.set(response.status, (tally.get(response.status) ?? 0) + 1);
        if (started) afterReply += 1;
      }
    }
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    await expect.poll(() => statuses.before.get(200) ?? 0, { timeout: 10_000 }).toBeGreaterThan(300);
    const reply = await say(service, 'delete doomed confirm');
    replied = true;
    await load;
    await service.stop();

    expect(reply.title).toBe('doomed deleted');
    expect([...statuses.after]).toEqual([[404, afterReply]]);
    const store = await createSqliteStore(config.DATABASE_URL);
    const left = [];
    for (const prefix of ['endpoint:', 'token:', 'chat:', 'delivery:', 'rejected:', 'eventid:', 'eventid-of:', 'count:', 'outbox:']) {
      for (const entry of await store.scan(prefix)) if (entry.key.includes(id) || JSON.stringify(entry.value).includes(id)) left.push(entry.key);
    }
    const kept = await store.scan('endpoint:');
    await store.close();
    expect(left).toEqual([]);
    expect(kept.map((entry) => (entry.value as { name: string }).name)).toEqual(['kept']);
  });
});
