import { afterEach, describe, expect, it } from 'vitest';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { localUrl, say, startTestService, testConfig, type TestService } from '../helpers/start-test-service.ts';

describe('alert messages in a chat\'s queue', () => {
  const running: TestService[] = [];
  afterEach(async () => {
    for (const service of running.splice(0)) await service.stop();
  });

  it('go out alone between burst summaries, never merged into one', async () => {
    const recorder = createRecordingChannel();
    recorder.setPace({ minIntervalMs: 1500 });
    const clock = { ms: Date.parse('2026-11-26T09:00:00Z') };
    const service = await startTestService(testConfig(), [recorder.channel], { now: () => clock.ms });
    running.push(service);
    const url = localUrl(service, await say(service, 'new stripe'));
    await say(service, 'new cron');
    await say(service, 'expect cron 1m');
    await fetch(url, { method: 'POST', body: '{"type":"lone.event"}' });
    await recorder.waitFor(1);

    const burst = () => Promise.all(Array.from({ length: 10 }, () => fetch(url, { method: 'POST', body: '{"type":"invoice.paid"}' })));
    await burst();
    clock.ms += 2 * 60_000;
    await service.alerts.tick();
    await burst();
    await recorder.waitFor(4, 10_000);

    expect(recorder.sent.map((sent) => sent.message.title)).toEqual(['stripe · POST /', expect.stringMatching(/^10 deliveries in \d+s$/), 'cron silent for 2m', expect.stringMatching(/^10 deliveries in \d+s$/)]);
    expect(recorder.sent[2]!.message.buttons?.[0]).toEqual({ label: 'Acknowledge', action: { command: 'ack', args: [expect.stringMatching(/^\w{16}$/)] }, style: 'primary' });
  });
});
