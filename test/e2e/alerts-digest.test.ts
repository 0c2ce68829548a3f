import type { ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createRecordingChannel } from '../helpers/recording-channel.ts';
import { followLink } from '../helpers/follow-link.ts';
import { startSmtpSink } from '../helpers/smtp-sink.ts';
import { localUrl, say, startTestService, testConfig } from '../helpers/start-test-service.ts';

const at = (iso: string) => Date.parse(iso);

function confirmLink(serviceUrl: string, mail: ParsedMail): string {
  const found = /https:\/\/hooks\.example\.com(\/email\/confirm\/[A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
  if (!found) throw new Error(`no confirmation link in:\n${mail.text}`);
  return serviceUrl + found;
}

describe('email digests and alerts', () => {
  it('list the alerts opened in the period, with whether they resolved', async () => {
    const sink = await startSmtpSink();
    const clock = { ms: at('2026-11-26T16:50:00Z') };
    const service = await startTestService(testConfig({ SMTP_URL: sink.url }), [createRecordingChannel('test').channel], { now: () => clock.ms });
    try {
      const stripe = localUrl(service, await say(service, 'new stripe'));
      await say(service, 'new github');
      await say(service, 'digest hourly me@example.com');
      expect((await followLink(confirmLink(service.url, (await sink.waitFor(1))[0]!))).status).toBe(200);
      await say(service, 'expect stripe 5m');
      await say(service, 'expect github 30m');

      clock.ms = at('2026-11-26T17:10:00Z');
      await service.alerts.tick();
      clock.ms = at('2026-11-26T17:40:00Z');
      await fetch(stripe, { method: 'POST', body: '{}' });
      await service.alerts.tick();

      clock.ms = at('2026-11-26T18:00:30Z');
      await service.digests!.tick();
      await service.digests!.idle();
      const digest = (await sink.waitFor(2))[1]!;
      expect(digest.text).toContain(
        [
          'Alerts in this period:',
          '  26 Nov 2026, 17:10 UTC  stripe silent: Expected every 5m; nothing since the expectation was set at 2026-11-26 16:50:00 UTC (resolved 26 Nov 2026, 17:40 UTC)',
          '  26 Nov 2026, 17:40 UTC  github silent: Expected every 30m; nothing since the expectation was set at 2026-11-26 16:50:00 UTC (still open)',
        ].join('\n'),
      );
      expect(digest.html).toContain('<h2 style="font-size:16px;margin:16px 0 6px">Alerts in this period</h2>');
    } finally {
      await service.stop();
      await sink.stop();
    }
  });
});
